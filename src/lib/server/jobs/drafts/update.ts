/**
 * A draft changed: its kind (its header found again, its mapping proposed again) or its mapping,
 * checked against the file's headers and the kind's columns.
 */
import { rm } from 'node:fs/promises';
import type { Kysely } from 'kysely';
import { IMPORT_KINDS, type ImportKind } from '../../../domain/types';
import type { Database } from '../../db';
import { serialWrite } from '../../db/writes';
import { KIND_SPECS } from '../../import/columns';
import { MAX_COLUMNS } from '../../import/limits';
import type { Uploader } from '../jobs';
import { layoutFor } from './detect';
import { assertOpen, ownDraft, type DraftRow } from './draft';
import { headerSet, mappingFor } from './profiles';
import { rejectedFileOf } from './rejected';
import { checkManager, DraftRefused } from './refused';

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

/** What a change sets: the kind and the header it maps, and how. */
interface Shape {
	kind: ImportKind;
	headers: string[];
	headerRow: number | null;
	mapping: (string | null)[];
	profileId: number | null;
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
	const shape = await changedKind(db, draft, change.kind);
	const { kind, headers, headerRow } = shape;
	let { mapping, profileId } = shape;
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
 * The draft's shape once its kind is `sent` (undefined: kept): a new kind has its header found
 * again and its mapping proposed again. Refused (400) for a kind that is none.
 */
async function changedKind(db: Kysely<Database>, draft: DraftRow, sent: unknown): Promise<Shape> {
	const kept: Shape = {
		kind: draft.kind,
		headers: JSON.parse(draft.headers) as string[],
		headerRow: draft.header_row,
		mapping: JSON.parse(draft.mapping) as (string | null)[],
		profileId: draft.profile_id
	};
	if (sent === undefined) return kept;
	if (typeof sent !== 'string' || !(IMPORT_KINDS as readonly string[]).includes(sent)) {
		throw new DraftRefused(`kind must be one of ${IMPORT_KINDS.join(', ')}`, 400);
	}
	if (sent === kept.kind) return kept;
	const kind = sent as ImportKind;
	const layout = layoutFor(kind, JSON.parse(draft.head_rows));
	const { mapping, profileId } = await mappingFor(db, kind, layout);
	return { kind, headers: layout.headers, headerRow: layout.headerRow, mapping, profileId };
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
