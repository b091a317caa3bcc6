/** A draft as the upload page shows it: its file, kind, mapping, check and import. */
import { existsSync } from 'node:fs';
import { sql, type Kysely } from 'kysely';
import type { ImportKind } from '../../../domain/types';
import type { Database } from '../../db';
import type { DraftCheckStatus } from '../../db/schema';
import { foldHeader, KIND_SPECS, matchHeader } from '../../import/columns';
import type { Uploader } from '../jobs';
import { importQueue } from '../queue';
import { visibleJob, type ImportJobSummary } from '../views';
import { draftKey, type DraftCheck } from './check';
import { kindScores, type KindScore } from './detect';
import { ownDraft, type DraftRow } from './draft';
import { rejectedFileOf } from './rejected';
import { PORTAL_COLUMNS } from '../../import/formats/portal';

export interface DraftView {
	id: string;
	kind: ImportKind;
	filename: string;
	size: number;
	sha256: string;
	format: string;
	/**
	 * The national portal's sync payload (DongBoHoSoMC): its columns are derived from the
	 * payload's fields (import/formats/portal.ts), nothing to map.
	 */
	portal: boolean;
	created_at: string;
	expires_at: string;
	/** The spreadsheet row of the header, when one was found. */
	header_row: number | null;
	/** How well the headers match each kind: the detected kind is the best. */
	kinds: KindScore[];
	/** The kind's columns, for the mapping's choices. */
	columns: { name: string; required: boolean; type: string; label: string }[];
	/** One per source header, in the file's order: the column it feeds (null: left out). */
	mapping: { header: string; column: string | null; proposed: string | null }[];
	missing_required: string[];
	/** The profile the mapping came from, while unchanged since. */
	profile: { id: string; name: string } | null;
	/** A done import of the same kind and content. */
	duplicate_of: { id: string; filename: string; finished_at: string | null } | null;
	check: {
		status: DraftCheckStatus;
		checked_at: string | null;
		progress: number | null;
		rows_done: number | null;
		rows_total: number | null;
		rows_per_second: number | null;
		seconds_left: number | null;
		queue_position: number | null;
		result: DraftCheck | null;
		/** A file of every rejected row can be downloaded. */
		rejected_file: boolean;
		/** Unit code → name, for the preview's unit column. */
		unit_names: Record<string, string>;
	};
	/** The import this draft was committed as. */
	import: ImportJobSummary | null;
}

const stamp = (value: string | null) =>
	value === null ? null : `${value.replace(' ', 'T').slice(0, 19)}+07:00`;

/** The draft as the upload page shows it, or null when `viewer` may not see it. */
export async function draftView(
	db: Kysely<Database>,
	viewer: Uploader,
	id: number
): Promise<DraftView | null> {
	const draft = await ownDraft(db, viewer, id);
	if (!draft) return null;
	const profile =
		draft.profile_id === null
			? null
			: await db
					.selectFrom('import_profiles')
					.select(['id', 'name'])
					.where('id', '=', draft.profile_id)
					.executeTakeFirst();
	const duplicate = await duplicateOf(db, draft);
	const check = await checkView(db, draft);
	const committed = draft.batch_id === null ? null : await visibleJob(db, viewer, draft.batch_id);
	return {
		id: String(draft.id),
		kind: draft.kind,
		filename: draft.file_name,
		size: draft.file_size,
		sha256: draft.sha256,
		format: draft.format,
		portal: isPortalDraft(draft.format, draft.headers),
		created_at: stamp(draft.created_at)!,
		expires_at: stamp(draft.expires_at)!,
		header_row: draft.header_row,
		...mappingView(draft),
		profile: profile ? { id: String(profile.id), name: profile.name } : null,
		duplicate_of: duplicate
			? { id: String(duplicate.id), filename: duplicate.file_name, finished_at: duplicate.finished }
			: null,
		check,
		import: committed?.view ?? null
	};
}

/** The draft's header as the page maps it: each kind's match, the kind's columns, its mapping. */
function mappingView(
	draft: DraftRow
): Pick<DraftView, 'kinds' | 'columns' | 'mapping' | 'missing_required'> {
	const headers = JSON.parse(draft.headers) as string[];
	const mapping = JSON.parse(draft.mapping) as (string | null)[];
	const spec = KIND_SPECS[draft.kind];
	const proposed = matchHeader(spec, headers).targets;
	const grids = JSON.parse(draft.head_rows) as string[][][];
	const match = matchHeader(
		{ ...spec, mapping: new Map(headers.map((h, i) => [foldHeader(h), mapping[i] ?? null])) },
		headers
	);
	return {
		kinds: kindScores(grids),
		columns: spec.columns.map((c) => ({
			name: c.name,
			required: c.required,
			type: c.type,
			// The first alias is the Vietnamese header exports use: the column's name for a clerk.
			label: c.aliases[0] ?? c.name
		})),
		mapping: headers.map((header, i) => ({
			header,
			column: mapping[i] ?? null,
			proposed: proposed[i] ?? null
		})),
		missing_required: match.missingRequired
	};
}

/** The last done import of the same kind and content. */
async function duplicateOf(db: Kysely<Database>, draft: DraftRow) {
	return (
		db
			.selectFrom('import_batches')
			.select([
				'id',
				'file_name',
				sql<string | null>`strftime(finished_at, '%Y-%m-%dT%H:%M:%S+07:00')`.as('finished')
			])
			.where('kind', '=', draft.kind)
			.where('sha256', '=', draft.sha256)
			.where('status', '=', 'done')
			// Once committed, an earlier import of the same file, not the draft's own.
			.$if(draft.batch_id !== null, (q) => q.where('id', '<', draft.batch_id!))
			.orderBy('id', 'desc')
			.limit(1)
			.executeTakeFirst()
	);
}

/** The draft's check: its progress while it runs (from the queue), its last outcome after. */
async function checkView(db: Kysely<Database>, draft: DraftRow): Promise<DraftView['check']> {
	const queue = importQueue(db);
	const live = queue.progressOf(draftKey(draft.id));
	const result = draft.check_result ? (JSON.parse(draft.check_result) as DraftCheck) : null;
	let rowsPerSecond: number | null = null;
	let secondsLeft: number | null = null;
	if (live) {
		const seconds = (Date.now() - live.phaseStartedAt) / 1000;
		if (seconds > 0.5 && live.rowsDone > 0) {
			rowsPerSecond = Math.round(live.rowsDone / seconds);
			secondsLeft = Math.round((live.rowsTotal - live.rowsDone) / (live.rowsDone / seconds));
		}
	}
	return {
		status: draft.check_status,
		checked_at: stamp(draft.checked_at),
		progress: live ? Math.round(live.fraction * 1000) / 1000 : null,
		rows_done: live ? live.rowsDone : null,
		rows_total: live ? live.rowsTotal : null,
		rows_per_second: rowsPerSecond,
		seconds_left: secondsLeft,
		queue_position: draft.check_status === 'queued' ? queue.position(draftKey(draft.id)) : null,
		result,
		rejected_file:
			draft.check_status === 'errors' &&
			draft.stored_file !== null &&
			existsSync(rejectedFileOf(draft.stored_file)),
		unit_names: result ? await unitNames(db, result) : {}
	};
}

/** The names of the units the preview names (the version valid today, or the last one). */
async function unitNames(db: Kysely<Database>, check: DraftCheck): Promise<Record<string, string>> {
	const codes = [
		...new Set(
			check.preview.map((row) => row.unit_code).filter((c): c is string => typeof c === 'string')
		)
	];
	if (codes.length === 0) return {};
	const { rows } = await sql<{ code: string; name: string }>`SELECT code,
			arg_max(name, coalesce(valid_from, DATE '1900-01-01')) AS name
		FROM unit_versions WHERE code IN (${sql.join(codes)}) GROUP BY code`.execute(db);
	return Object.fromEntries(rows.map((r) => [r.code, r.name]));
}

/** A payload's draft keeps the derived columns as its header (formats/peek.ts). */
function isPortalDraft(format: string, headers: string): boolean {
	return (format === 'json' || format === 'ndjson') && headers === JSON.stringify(PORTAL_COLUMNS);
}
