/**
 * The upload page's drafts (issue 14): an uploaded file is first a draft, not an import. The
 * server reads its first rows, tells its kind (the kind whose columns its headers match best),
 * finds its header row and proposes a mapping of each source header to a column (the aliases, or
 * a saved profile of the same headers); the user adjusts it, checks the file (the whole
 * validation, in the import queue, writing nothing to the data), and commits a draft whose last
 * check was clean: it is then queued as an import like any upload (jobs.ts), with its mapping.
 *
 * A draft is its uploader's alone (any other id is answered as one that does not exist) and
 * expires after DRAFT_HOURS: its file and its file of rejected rows are removed then, and at
 * the server's start.
 */
import { createWriteStream, existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { once } from 'node:events';
import { sql, type Kysely } from 'kysely';
import { vietnamTimestamp } from '../../domain/dates';
import { IMPORT_KINDS, MANAGING_ROLES, type ImportKind } from '../../domain/types';
import { scopeOf } from '../auth/scope';
import { audit, sessionUser } from '../auth/users';
import type { Database, Store } from '../db';
import type { DraftCheckStatus, ImportDraftTable } from '../db/schema';
import { serialWrite } from '../db/writes';
import { logImport } from '../import/batches';
import { exportFailures, type Failure } from '../import/checks';
import { findHeaderRow, foldHeader, KIND_SPECS, matchHeader } from '../import/columns';
import { ImportRejected, MAX_ERRORS, type RowError } from '../import/errors';
import { formatOf, type FileFormat } from '../import/formats';
import { headGrids } from '../import/formats/peek';
import { MAX_COLUMNS } from '../import/limits';
import { vietnameseReason } from '../import/reasons';
import { checkImport } from '../import/run';
import { openImportsFolder, saveUpload, UploadTooLarge } from './files';
import { queueUploadedJob, UploadRefused, uploadFormat, type Uploader } from './jobs';
import { importQueue, QueueClosed, type JobKey } from './queue';
import { visibleJob, type ImportJobSummary } from './views';

/** How long a draft and its file are kept. */
export const DRAFT_HOURS = 24;
/** The rows of the preview: the first typed rows of the file. */
export const PREVIEW_ROWS = 20;
/** A profile's name, in characters. */
export const MAX_PROFILE_NAME = 80;
/**
 * Drafts an uploader keeps at once (each up to 500 MB on disk): a new one past them removes the
 * oldest not committed nor being checked.
 */
export const MAX_OPEN_DRAFTS = 5;
/** Profiles at most (every kind together): a few source systems per province, with room. */
export const MAX_PROFILES = 200;

/** Why a draft request is refused: 400 for what was sent, 403 for a role, 409 for its state. */
export class DraftRefused extends Error {
	constructor(
		message: string,
		readonly status: 400 | 403 | 409
	) {
		super(message);
	}
}

const draftKey = (id: number): JobKey => `draft:${id}`;

/** What the last check of a draft found (stored as JSON in `check_result`). */
export interface DraftCheck {
	rows: number;
	total_errors: number;
	/** The first row errors (MAX_ERRORS), each with its reason in Vietnamese beside it. */
	errors: (RowError & { reason: string })[];
	warnings: string[];
	/** The same notes in Vietnamese. */
	warnings_vi: string[];
	/** The kind and mapping it checked: a commit imports exactly these. */
	kind: ImportKind;
	mapping: (string | null)[];
	preview: PreviewRow[];
}

/** A typed row as it will be stored: canonical column → value (ISO text, boolean, number). */
export type PreviewRow = Record<string, string | number | boolean | null>;

export interface DraftView {
	id: string;
	kind: ImportKind;
	filename: string;
	size: number;
	sha256: string;
	format: string;
	created_at: string;
	expires_at: string;
	/** The spreadsheet row of the header, when one was found. */
	header_row: number | null;
	/** How well the headers match each kind: the detected kind is the best. */
	kinds: { kind: ImportKind; matched: number; missing_required: string[] }[];
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

type DraftRow = ImportDraftTable & { id: number; check_status: DraftCheckStatus };

const now = () => vietnamTimestamp(Date.now(), { milliseconds: true });
const later = (hours: number) =>
	vietnamTimestamp(Date.now() + hours * 3_600_000, { milliseconds: true });

/** The folded headers, sorted, without repeats or blanks: what a profile is picked by. */
export function headerSet(headers: string[]): string {
	return [...new Set(headers.map(foldHeader).filter((h) => h !== ''))].sort().join('|');
}

/** The file of every rejected row of a draft's last check, beside its stored upload. */
const rejectedFileOf = (stored: string) => `${stored}.rejected.csv`;

/** A draft's mapping as the importer takes it: source header as written → column or null. */
export function mappingRecord(
	headers: string[],
	mapping: (string | null)[]
): Record<string, string | null> {
	const record: Record<string, string | null> = {};
	headers.forEach((header, i) => {
		if (header.trim() !== '') record[header.trim()] = mapping[i] ?? null;
	});
	return record;
}

/** The mapping a committed draft gave its import (jobs.ts runs the import with it). */
export async function committedMapping(
	db: Kysely<Database>,
	batchId: number
): Promise<Record<string, string | null> | undefined> {
	const draft = await db
		.selectFrom('import_drafts')
		.select(['headers', 'mapping'])
		.where('batch_id', '=', batchId)
		.executeTakeFirst();
	if (!draft) return undefined;
	return mappingRecord(JSON.parse(draft.headers), JSON.parse(draft.mapping));
}

interface Layout {
	headerRow: number | null;
	headers: string[];
	proposed: (string | null)[];
}

/** The header of `grids` for `kind`, found as the readers find it, with the aliases' mapping. */
function layoutFor(kind: ImportKind, grids: string[][][]): Layout {
	const spec = KIND_SPECS[kind];
	let best: { index: number; cells: string[]; score: number } | null = null;
	for (const grid of grids) {
		const found = findHeaderRow(spec, grid);
		if (!found) continue;
		const score = found.match.matched + (found.match.missingRequired.length === 0 ? 1000 : 0);
		if (!best || score > best.score) best = { index: found.index, cells: grid[found.index], score };
	}
	// No alias matched: the first row of several cells is offered as the header, for the user to
	// map by hand (the reading with the most cells, for a CSV's delimiters).
	if (!best) {
		for (const grid of [...grids].sort((a, b) => filledWidth(b) - filledWidth(a))) {
			const index = grid.findIndex((row) => row.filter((c) => (c ?? '').trim() !== '').length >= 2);
			if (index >= 0) {
				best = { index, cells: grid[index], score: 0 };
				break;
			}
		}
	}
	if (!best) return { headerRow: null, headers: [], proposed: [] };
	let width = best.cells.length;
	while (width > 0 && (best.cells[width - 1] ?? '').trim() === '') width--;
	const headers = best.cells.slice(0, width).map((h) => (h ?? '').trim());
	return { headerRow: best.index + 1, headers, proposed: matchHeader(spec, headers).targets };
}

/** The most filled cells of any of a reading's first rows. */
const filledWidth = (grid: string[][]) =>
	Math.max(0, ...grid.map((row) => row.filter((c) => (c ?? '').trim() !== '').length));

/** Each kind's match of the file's first rows, best first. */
function kindScores(grids: string[][][]): DraftView['kinds'] {
	return IMPORT_KINDS.map((kind) => {
		const layout = layoutFor(kind, grids);
		const match = matchHeader(KIND_SPECS[kind], layout.headers);
		return { kind, matched: match.matched, missing_required: match.missingRequired };
	}).sort(
		(a, b) =>
			Number(a.missing_required.length > 0) - Number(b.missing_required.length > 0) ||
			b.matched - a.matched
	);
}

async function profileFor(db: Kysely<Database>, kind: ImportKind, set: string) {
	return db
		.selectFrom('import_profiles')
		.select(['id', 'name', 'mapping'])
		.where('kind', '=', kind)
		.where('header_set', '=', set)
		.executeTakeFirst();
}

/** The mapping of `headers` for `kind`: a stored profile's when one has these headers. */
async function mappingFor(db: Kysely<Database>, kind: ImportKind, layout: Layout) {
	const profile = await profileFor(db, kind, headerSet(layout.headers));
	if (!profile) return { mapping: layout.proposed, profileId: null };
	const byFolded = JSON.parse(profile.mapping) as Record<string, string | null>;
	const columns = new Set(KIND_SPECS[kind].columns.map((c) => c.name));
	const mapping = layout.headers.map((header, i) => {
		const folded = foldHeader(header);
		if (!(folded in byFolded)) return layout.proposed[i];
		const column = byFolded[folded];
		return column !== null && columns.has(column) ? column : null;
	});
	return { mapping, profileId: profile.id };
}

export function checkManager(uploader: Uploader): void {
	if (!MANAGING_ROLES.includes(uploader.role)) {
		throw new DraftRefused('only a reform team or an administrator may upload files', 403);
	}
}

/**
 * Saves `body` as a draft of `uploader`: the file streamed to disk as any upload, its first rows
 * read, its kind told (or `kindAsked`), its mapping proposed. Its id.
 */
export async function createDraft(
	store: Store,
	uploader: Uploader,
	fileName: string,
	kindAsked: string | null,
	body: ReadableStream<Uint8Array>
): Promise<number> {
	checkManager(uploader);
	if (kindAsked !== null && !(IMPORT_KINDS as readonly string[]).includes(kindAsked)) {
		throw new DraftRefused(`kind must be one of ${IMPORT_KINDS.join(', ')}`, 400);
	}
	let format: FileFormat;
	try {
		format = uploadFormat(fileName) as FileFormat;
	} catch (error) {
		if (error instanceof UploadRefused) throw new DraftRefused(error.message, 400);
		throw error;
	}
	await sweepDrafts(store.db);
	const folder = await openImportsFolder(store.path);
	let saved;
	try {
		saved = await saveUpload(body, folder, format);
	} catch (error) {
		if (error instanceof UploadTooLarge) throw error;
		throw new DraftRefused('the upload was cut off before the end of the file; send it again', 400);
	}
	try {
		if (saved.size === 0) throw new DraftRefused('the file is empty (0 bytes)', 400);
		let grids: string[][][];
		try {
			grids = await headGrids(store.db, saved.file, format, fileName);
		} catch (error) {
			if (error instanceof ImportRejected) throw new DraftRefused(error.message, 400);
			throw error;
		}
		const kind = (kindAsked as ImportKind | null) ?? kindScores(grids)[0].kind;
		const layout = layoutFor(kind, grids);
		const { mapping, profileId } = await mappingFor(store.db, kind, layout);
		const row = await serialWrite(store.db, () =>
			store.db
				.insertInto('import_drafts')
				.values({
					user_id: uploader.id,
					username: uploader.username,
					kind,
					file_name: fileName,
					file_size: saved.size,
					sha256: saved.sha256,
					format: formatOf(saved.file, fileName),
					stored_file: saved.file,
					header_row: layout.headerRow,
					head_rows: JSON.stringify(grids),
					headers: JSON.stringify(layout.headers),
					header_set: headerSet(layout.headers),
					mapping: JSON.stringify(mapping),
					profile_id: profileId,
					check_result: null,
					checked_at: null,
					batch_id: null,
					created_at: now(),
					expires_at: later(DRAFT_HOURS)
				})
				.returning('id')
				.executeTakeFirstOrThrow()
		);
		await dropOldDrafts(store.db, uploader.id);
		return row.id;
	} catch (error) {
		await rm(saved.file, { force: true });
		throw error;
	}
}

/** Removes the uploader's open drafts past the newest MAX_OPEN_DRAFTS, with their files. */
async function dropOldDrafts(db: Kysely<Database>, userId: string): Promise<void> {
	const old = await db
		.selectFrom('import_drafts')
		.select(['id', 'stored_file'])
		.where('user_id', '=', userId)
		.where('batch_id', 'is', null)
		.where('check_status', 'not in', ['queued', 'checking'])
		.orderBy('id', 'desc')
		.offset(MAX_OPEN_DRAFTS)
		.limit(1000)
		.execute();
	if (old.length === 0) return;
	await serialWrite(db, () =>
		db
			.deleteFrom('import_drafts')
			.where(
				'id',
				'in',
				old.map((d) => d.id)
			)
			.execute()
	);
	for (const draft of old) {
		if (!draft.stored_file) continue;
		await rm(draft.stored_file, { force: true });
		await rm(rejectedFileOf(draft.stored_file), { force: true });
	}
}

/** The draft `id` when it is `viewer`'s and has not expired; else null (the API's 404). */
async function ownDraft(
	db: Kysely<Database>,
	viewer: Uploader,
	id: number
): Promise<DraftRow | null> {
	const draft = await db
		.selectFrom('import_drafts')
		.selectAll()
		.where('id', '=', id)
		.where('user_id', '=', viewer.id)
		.where(sql<boolean>`expires_at > ${now()}::TIMESTAMP`)
		.executeTakeFirst();
	return (draft as DraftRow | undefined) ?? null;
}

/** Whether the draft `id` is `viewer`'s and open to see (the endpoints ask before reading a body). */
export async function hasDraft(
	db: Kysely<Database>,
	viewer: Uploader,
	id: number
): Promise<boolean> {
	return (await ownDraft(db, viewer, id)) !== null;
}

/** A draft id as the URL gives it: digits only, within INTEGER; anything else names no draft. */
export function parseDraftId(text: string): number | null {
	if (!/^[1-9][0-9]{0,9}$/.test(text)) return null;
	const id = Number(text);
	return id <= 2_147_483_647 ? id : null;
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
	const headers = JSON.parse(draft.headers) as string[];
	const mapping = JSON.parse(draft.mapping) as (string | null)[];
	const spec = KIND_SPECS[draft.kind];
	const proposed = matchHeader(spec, headers).targets;
	const grids = JSON.parse(draft.head_rows) as string[][][];
	const match = matchHeader(
		{ ...spec, mapping: new Map(headers.map((h, i) => [foldHeader(h), mapping[i] ?? null])) },
		headers
	);
	const profile =
		draft.profile_id === null
			? null
			: await db
					.selectFrom('import_profiles')
					.select(['id', 'name'])
					.where('id', '=', draft.profile_id)
					.executeTakeFirst();
	const duplicate = await db
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
		.executeTakeFirst();
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
	const committed = draft.batch_id === null ? null : await visibleJob(db, viewer, draft.batch_id);
	return {
		id: String(draft.id),
		kind: draft.kind,
		filename: draft.file_name,
		size: draft.file_size,
		sha256: draft.sha256,
		format: draft.format,
		created_at: stamp(draft.created_at)!,
		expires_at: stamp(draft.expires_at)!,
		header_row: draft.header_row,
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
		missing_required: match.missingRequired,
		profile: profile ? { id: String(profile.id), name: profile.name } : null,
		duplicate_of: duplicate
			? { id: String(duplicate.id), filename: duplicate.file_name, finished_at: duplicate.finished }
			: null,
		check: {
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
		},
		import: committed?.view ?? null
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

/** What a draft may still be changed or checked in: not committed, not being checked. */
function assertOpen(draft: DraftRow): void {
	if (draft.batch_id !== null) {
		throw new DraftRefused('this draft was already committed as an import', 409);
	}
	if (draft.check_status === 'queued' || draft.check_status === 'checking') {
		throw new DraftRefused('this draft is being checked; wait for the check to end', 409);
	}
	if (draft.stored_file === null || !existsSync(draft.stored_file)) {
		throw new DraftRefused('the uploaded file is gone; upload it again', 409);
	}
}

/**
 * Changes a draft's kind (its header is found again, its mapping proposed again) or its mapping
 * (source header as written → a column of the kind, or null to leave it out); its last check is
 * forgotten: a commit needs a check of what it imports. False when the viewer cannot see it.
 */
export async function updateDraft(
	db: Kysely<Database>,
	viewer: Uploader,
	id: number,
	change: { kind?: unknown; mapping?: unknown }
): Promise<boolean> {
	checkManager(viewer);
	// Read and written in one turn of the writes' queue: two changes at once each see the other.
	return serialWrite(db, () => applyChange(db, viewer, id, change));
}

async function applyChange(
	db: Kysely<Database>,
	viewer: Uploader,
	id: number,
	change: { kind?: unknown; mapping?: unknown }
): Promise<boolean> {
	const draft = await ownDraft(db, viewer, id);
	if (!draft) return false;
	assertOpen(draft);
	let kind = draft.kind;
	let headers = JSON.parse(draft.headers) as string[];
	let mapping = JSON.parse(draft.mapping) as (string | null)[];
	let headerRow = draft.header_row;
	let profileId = draft.profile_id;
	if (change.kind !== undefined) {
		if (
			typeof change.kind !== 'string' ||
			!(IMPORT_KINDS as readonly string[]).includes(change.kind)
		) {
			throw new DraftRefused(`kind must be one of ${IMPORT_KINDS.join(', ')}`, 400);
		}
		if (change.kind !== kind) {
			kind = change.kind as ImportKind;
			const layout = layoutFor(kind, JSON.parse(draft.head_rows));
			headers = layout.headers;
			headerRow = layout.headerRow;
			({ mapping, profileId } = await mappingFor(db, kind, layout));
		}
	}
	if (change.mapping !== undefined) {
		mapping = changedMapping(kind, headers, mapping, change.mapping);
		profileId = null;
	}
	await serialWrite(db, () =>
		db
			.updateTable('import_drafts')
			.set({
				kind,
				headers: JSON.stringify(headers),
				header_set: headerSet(headers),
				header_row: headerRow,
				mapping: JSON.stringify(mapping),
				profile_id: profileId,
				check_status: 'none',
				check_result: null,
				checked_at: null
			})
			.where('id', '=', id)
			.execute()
	);
	if (draft.stored_file) await rm(rejectedFileOf(draft.stored_file), { force: true });
	return true;
}

/**
 * `sent` (header as written → column or null) laid over the draft's mapping; refused (400) when
 * it is not such an object, names a header the file does not have or a column the kind does not,
 * has more entries than a file has columns, or feeds one column from two headers.
 */
function changedMapping(
	kind: ImportKind,
	headers: string[],
	current: (string | null)[],
	sent: unknown
): (string | null)[] {
	if (typeof sent !== 'object' || sent === null || Array.isArray(sent)) {
		throw new DraftRefused('mapping must be an object of source header → column (or null)', 400);
	}
	const entries = Object.entries(sent as Record<string, unknown>);
	if (entries.length > MAX_COLUMNS) {
		throw new DraftRefused(`mapping may have at most ${MAX_COLUMNS} headers`, 400);
	}
	const columns = new Set(KIND_SPECS[kind].columns.map((c) => c.name));
	const next = [...current];
	for (const [header, column] of entries) {
		const indexes = headers.flatMap((h, i) => (h === header ? [i] : []));
		if (indexes.length === 0) {
			throw new DraftRefused(`the file has no header ${JSON.stringify(header.slice(0, 80))}`, 400);
		}
		if (column !== null && (typeof column !== 'string' || !columns.has(column))) {
			throw new DraftRefused(
				`${JSON.stringify(String(column).slice(0, 80))} is not a column of ${kind}; expected one of ${[...columns].join(', ')} or null`,
				400
			);
		}
		for (const i of indexes) next[i] = column as string | null;
	}
	const fed = next.filter((c): c is string => c !== null);
	const twice = fed.find((c, i) => fed.indexOf(c) !== i);
	if (twice) throw new DraftRefused(`two headers feed the column ${twice}; keep one`, 400);
	return next;
}

/**
 * Queues the check of a draft (the whole validation, nothing written to the data) in the import
 * queue; the page follows it by polling the draft. False when the viewer cannot see it.
 */
export async function queueCheck(
	db: Kysely<Database>,
	viewer: Uploader,
	id: number
): Promise<boolean> {
	checkManager(viewer);
	// Looked at and marked queued in one turn of the writes' queue: a second ask meets a 409.
	const draft = await serialWrite(db, async () => {
		const draft = await ownDraft(db, viewer, id);
		if (!draft) return null;
		assertOpen(draft);
		await setCheck(db, id, { check_status: 'queued', check_result: null, checked_at: null });
		return draft;
	});
	if (!draft) return false;
	void importQueue(db)
		.enqueue(draftKey(id), async (running) => {
			await setCheck(db, id, { check_status: 'checking' });
			try {
				await runCheck(db, draft, running);
			} catch (error) {
				await setCheck(db, id, { check_status: 'none' });
				throw error;
			}
		})
		.catch(async (error: unknown) => {
			if (error instanceof QueueClosed) {
				await setCheck(db, id, { check_status: 'none' }).catch(() => undefined);
			} else console.error(`check of draft ${id} failed:`, error);
		});
	return true;
}

async function setCheck(
	db: Kysely<Database>,
	id: number,
	values: Partial<Pick<ImportDraftTable, 'check_result' | 'checked_at'>> & {
		check_status: DraftCheckStatus;
	}
): Promise<void> {
	await serialWrite(db, () =>
		db.updateTable('import_drafts').set(values).where('id', '=', id).execute()
	);
}

async function runCheck(
	db: Kysely<Database>,
	draft: DraftRow,
	running: Parameters<Parameters<ReturnType<typeof importQueue>['enqueue']>[1]>[0]
): Promise<void> {
	const file = draft.stored_file!;
	const headers = JSON.parse(draft.headers) as string[];
	const mapping = JSON.parse(draft.mapping) as (string | null)[];
	const rejected = new RejectedRows(rejectedFileOf(file));
	let exported = false;
	// The uploader's scope as it is now, as the commit will keep it (jobs.ts).
	const user = await sessionUser(db, draft.user_id);
	const scope = user ? await scopeOf(db, user) : null;
	try {
		const outcome = await checkImport(db, draft.kind, file, {
			name: draft.file_name,
			allowedUnits: scope && !scope.all ? [...scope.versions] : undefined,
			mapping: mappingRecord(headers, mapping),
			previewRows: PREVIEW_ROWS,
			onStart: running.started,
			onProgress: running.progress,
			failing: async (conn, staged, checks) => {
				await rejected.open([...staged.headerOf.values()]);
				await exportFailures(
					conn,
					sql`import_typed`,
					checks,
					staged.headerOf,
					KIND_SPECS[draft.kind].columns.map((c) => c.name),
					(page) => rejected.write(page, [...staged.headerOf.keys()])
				);
				exported = true;
			}
		});
		// Rejected before its rows were checked (a missing column, an unreadable file), or as a
		// whole after (the scope): those errors.
		const whole = exported ? outcome.errors.filter((e) => e.row === null) : outcome.errors;
		if (!exported) await rejected.open([]);
		await rejected.write(
			whole.map((e) => ({ ...e, cells: {} })),
			[]
		);
		await rejected.close();
		const clean = outcome.totalErrors === 0 && outcome.rows > 0;
		if (clean) await rm(rejectedFileOf(file), { force: true });
		const result: DraftCheck = {
			rows: outcome.rows,
			total_errors: outcome.totalErrors,
			errors: outcome.errors
				.slice(0, MAX_ERRORS)
				.map((e) => ({ ...e, reason: vietnameseReason(e.message) })),
			warnings: outcome.warnings,
			warnings_vi: outcome.warnings.map(vietnameseReason),
			kind: draft.kind,
			mapping,
			preview: outcome.preview.map(previewRow)
		};
		await setCheck(db, draft.id, {
			check_status: clean ? 'clean' : 'errors',
			check_result: JSON.stringify(result),
			checked_at: now()
		});
	} finally {
		await rejected.close().catch(() => undefined);
	}
}

/** A typed row's values as JSON can carry them (DuckDB's BIGINT and the like as numbers). */
function previewRow(row: Record<string, unknown>): PreviewRow {
	const out: PreviewRow = {};
	for (const [key, value] of Object.entries(row)) {
		if (key.startsWith('raw_')) continue;
		if (value === null || value === undefined) out[key] = null;
		else if (typeof value === 'bigint') out[key] = Number(value);
		else if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
			out[key] = value;
		else out[key] = String(value);
	}
	return out;
}

/**
 * The file of every rejected row of a check: UTF-8 with a byte-order mark (Excel reads it as
 * Vietnamese), CRLF, RFC 4180 quoting, every cell formula-safe (export/table.ts); a line per
 * error: row, column, value, reason in Vietnamese, then the row's cells as written.
 */
class RejectedRows {
	#stream: ReturnType<typeof createWriteStream> | null = null;
	constructor(readonly file: string) {}

	async open(headers: string[]): Promise<void> {
		this.#stream = createWriteStream(this.file, { flags: 'w', mode: 0o600, encoding: 'utf8' });
		await this.#line(['Dòng', 'Cột', 'Giá trị', 'Lý do', ...headers], '\uFEFF');
	}

	async write(page: Failure[], columns: string[]): Promise<void> {
		for (const f of page) {
			await this.#line([
				f.row === null ? '' : String(f.row),
				f.column ?? '',
				f.value ?? '',
				vietnameseReason(f.message),
				...columns.map((c) => f.cells[c] ?? '')
			]);
		}
	}

	async #line(cells: string[], prefix = ''): Promise<void> {
		const text = prefix + cells.map(csvCell).join(',') + '\r\n';
		if (!this.#stream!.write(text)) await once(this.#stream!, 'drain');
	}

	async close(): Promise<void> {
		const stream = this.#stream;
		this.#stream = null;
		if (stream) await new Promise<void>((resolve) => stream.end(resolve));
	}
}

/**
 * A cell of the rejected-rows file: formula-safe as the exports write theirs (export/table.ts,
 * OWASP "CSV injection": a leading apostrophe before `=`, `+`, `-`, `@`, tab, carriage return),
 * quoted as RFC 4180 when it holds a quote, a comma or a line break.
 */
function csvCell(text: string): string {
	const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
	return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** The rejected-rows file of a draft the viewer may see, when its last check had errors. */
export async function rejectedRowsFile(
	db: Kysely<Database>,
	viewer: Uploader,
	id: number
): Promise<{ file: string; name: string } | null> {
	const draft = await ownDraft(db, viewer, id);
	if (!draft || draft.check_status !== 'errors' || !draft.stored_file) return null;
	const file = rejectedFileOf(draft.stored_file);
	if (!existsSync(file)) return null;
	const base = draft.file_name.replace(/\.[^.]*$/, '');
	return { file, name: `${base}-dong-bi-loai.csv` };
}

/**
 * Commits a draft whose last check was clean: queued as an import of its file with its mapping
 * (the import validates again); the import's id. Refused (409) for any other draft.
 */
export async function commitDraft(
	db: Kysely<Database>,
	viewer: Uploader,
	id: number
): Promise<number | null> {
	checkManager(viewer);
	// Looked at and committed in one turn of the writes' queue: a second commit meets a 409.
	const batchId = await serialWrite(db, async () => {
		const draft = await ownDraft(db, viewer, id);
		if (!draft) return null;
		assertOpen(draft);
		if (draft.check_status !== 'clean') {
			throw new DraftRefused(
				'check the file first: only a file whose check was clean is imported',
				409
			);
		}
		// The import logged and the draft marked in one transaction: never one without the other.
		return db.transaction().execute(async (trx) => {
			const batchId = await logImport(trx, {
				kind: draft.kind,
				fileName: draft.file_name,
				fileSize: draft.file_size,
				sha256: draft.sha256,
				format: draft.format,
				source: 'api',
				userId: viewer.id,
				username: viewer.username,
				storedFile: draft.stored_file
			});
			await trx
				.updateTable('import_drafts')
				.set({ batch_id: batchId, stored_file: null })
				.where('id', '=', id)
				.execute();
			return batchId;
		});
	});
	if (batchId === null) return null;
	void queueUploadedJob(db, batchId);
	return batchId;
}

/**
 * Saves the draft's mapping as the profile `name` for its kind and headers (replacing the
 * profile of the same headers), audited; its id. Refused (400) for a name empty, too long or
 * with control characters, and past MAX_PROFILES.
 */
export async function saveProfile(
	db: Kysely<Database>,
	viewer: Uploader,
	id: number,
	nameSent: unknown,
	ip: string | null = null
): Promise<number | null> {
	checkManager(viewer);
	const draft = await ownDraft(db, viewer, id);
	if (!draft) return null;
	const name = typeof nameSent === 'string' ? nameSent.trim() : '';
	if (name.length === 0 || name.length > MAX_PROFILE_NAME) {
		throw new DraftRefused(`the profile name must have 1 to ${MAX_PROFILE_NAME} characters`, 400);
	}
	// eslint-disable-next-line no-control-regex -- refusing control characters is the point
	if (/[\u0000-\u001f\u007f-\u009f]/.test(name)) {
		throw new DraftRefused('the profile name may not hold control characters', 400);
	}
	const headers = JSON.parse(draft.headers) as string[];
	if (headers.length === 0) throw new DraftRefused('the file has no header to map', 400);
	const mapping = JSON.parse(draft.mapping) as (string | null)[];
	const byFolded: Record<string, string | null> = {};
	headers.forEach((h, i) => {
		const folded = foldHeader(h);
		if (folded) byFolded[folded] = mapping[i] ?? null;
	});
	const profileId = await serialWrite(db, async () => {
		const existing = await profileFor(db, draft.kind, draft.header_set);
		const values = {
			name,
			mapping: JSON.stringify(byFolded),
			updated_by: viewer.username,
			updated_at: now()
		};
		if (existing) {
			await db.updateTable('import_profiles').set(values).where('id', '=', existing.id).execute();
			return existing.id;
		}
		const [{ n }] = await db
			.selectFrom('import_profiles')
			.select((eb) => eb.fn.countAll<number>().as('n'))
			.execute();
		if (Number(n) >= MAX_PROFILES) {
			throw new DraftRefused(`at most ${MAX_PROFILES} profiles can be kept; replace one`, 400);
		}
		const row = await db
			.insertInto('import_profiles')
			.values({ ...values, kind: draft.kind, header_set: draft.header_set })
			.returning('id')
			.executeTakeFirstOrThrow();
		return row.id;
	});
	await serialWrite(db, () =>
		db.updateTable('import_drafts').set({ profile_id: profileId }).where('id', '=', id).execute()
	);
	await audit(db, {
		action: 'import_profile',
		actor: { username: viewer.username, userId: viewer.id, ip },
		detail: { profile: profileId, name, kind: draft.kind, headers: headers.length }
	});
	return profileId;
}

/**
 * Removes the expired drafts and their files. Run at each new draft and at the server's start;
 * the files of the drafts still open are returned, for the start's sweep of stray files.
 */
export async function sweepDrafts(db: Kysely<Database>): Promise<Set<string>> {
	const expired = await db
		.selectFrom('import_drafts')
		.select(['id', 'stored_file'])
		.where(sql<boolean>`expires_at <= ${now()}::TIMESTAMP`)
		.execute();
	for (const draft of expired) {
		if (draft.stored_file) {
			await rm(draft.stored_file, { force: true });
			await rm(rejectedFileOf(draft.stored_file), { force: true });
		}
	}
	if (expired.length > 0) {
		await serialWrite(db, () =>
			db
				.deleteFrom('import_drafts')
				.where(
					'id',
					'in',
					expired.map((d) => d.id)
				)
				.execute()
		);
	}
	const open = await db
		.selectFrom('import_drafts')
		.select('stored_file')
		.where('stored_file', 'is not', null)
		.execute();
	const keep = new Set<string>();
	for (const { stored_file } of open) {
		keep.add(stored_file!);
		keep.add(rejectedFileOf(stored_file!));
	}
	return keep;
}

/** At the server's start: a check cut off by a stop is forgotten (it wrote nothing). */
export async function resetInterruptedChecks(db: Kysely<Database>): Promise<void> {
	await db
		.updateTable('import_drafts')
		.set({ check_status: 'none' })
		.where('check_status', 'in', ['queued', 'checking'])
		.execute();
}
