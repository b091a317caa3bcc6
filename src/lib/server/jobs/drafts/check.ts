/**
 * A draft's check: the whole validation of its file with its mapping, in the import queue,
 * writing nothing to the data; its outcome (errors, notes, preview rows) kept on the draft and
 * every rejected row written to its rejected-rows file.
 */
import { rm } from 'node:fs/promises';
import { sql, type Kysely } from 'kysely';
import type { ImportKind } from '../../../domain/types';
import { scopeOf } from '../../auth/scope';
import { sessionUser } from '../../auth/users';
import type { Database } from '../../db';
import type { DraftCheckStatus, ImportDraftTable } from '../../db/schema';
import { serialWrite } from '../../db/writes';
import { exportFailures, exportReaderProblems } from '../../import/checks';
import { KIND_SPECS } from '../../import/columns';
import { MAX_ERRORS, type RowError } from '../../import/errors';
import { vietnameseReason } from '../../import/reasons';
import { checkImport, type CheckOutcome } from '../../import/run';
import type { Uploader } from '../jobs';
import { importQueue, QueueClosed, type JobKey, type RunningTask } from '../queue';
import { assertOpen, now, ownDraft, type DraftRow } from './draft';
import { mappingRecord } from './mapping';
import { RejectedRows, rejectedFileOf } from './rejected';
import { checkManager } from './refused';

/** The rows of the preview: the first typed rows of the file. */
export const PREVIEW_ROWS = 20;

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

/** A draft's check in the import queue (its progress and place are read by this key). */
export const draftKey = (id: number): JobKey => `draft:${id}`;

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
	running: RunningTask
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
				if (staged.rowProblems) {
					const columns = [...staged.headerOf.keys()];
					await exportReaderProblems(conn, staged.rowProblems, columns, (page) =>
						rejected.write(page, columns)
					);
				}
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
		await setCheck(db, draft.id, {
			check_status: clean ? 'clean' : 'errors',
			check_result: JSON.stringify(checkResult(draft.kind, mapping, outcome)),
			checked_at: now()
		});
	} finally {
		await rejected.close().catch(() => undefined);
	}
}

/** The check's outcome as the draft keeps it: the first errors and the notes in both languages. */
function checkResult(
	kind: ImportKind,
	mapping: (string | null)[],
	outcome: CheckOutcome
): DraftCheck {
	return {
		rows: outcome.rows,
		total_errors: outcome.totalErrors,
		errors: outcome.errors
			.slice(0, MAX_ERRORS)
			.map((e) => ({ ...e, reason: vietnameseReason(e.message) })),
		warnings: outcome.warnings,
		warnings_vi: outcome.warnings.map(vietnameseReason),
		kind,
		mapping,
		preview: outcome.preview.map(previewRow)
	};
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
