/**
 * The import log (`import_batches`): an import's row from the moment it is asked for (`queued`)
 * to its outcome, and the rows that outlive the process writing them.
 */
import { sql, type Kysely } from 'kysely';
import { vietnamTimestamp } from '../../domain/dates';
import type { ImportKind } from '../../domain/types';
import type { Database, ImportStatus } from '../db/schema';
import type { RowError } from './errors';

export const INTERRUPTED =
	'interrupted: the process stopped before the import finished; nothing was imported, import the file again';

/** The statuses of an import that is being worked on: a process holds it. */
export const RUNNING_STATUSES: readonly ImportStatus[] = ['running', 'validating', 'committing'];

/**
 * Now, as the log stores times (Vietnam wall clock, to the millisecond). Taken here rather than
 * from DuckDB's current_localtimestamp(), which inside a transaction is the transaction's start:
 * an import's finish written in its own transaction would read as the moment its commit began.
 */
export const loggedNow = () => vietnamTimestamp(Date.now(), { milliseconds: true });

/** At most this many of a rejected file's row errors are kept (issue 14: "the first 1,000"). */
export const KEPT_ERRORS = 1000;

/**
 * A batch still validating or committing when the store opens was cut off by a kill or a crash:
 * its transaction never committed, so it changed nothing. Mark it failed, or it would show as
 * running forever (issue 10). Only one process can hold the file, and it has just opened it: no
 * import of its own has started yet. Queued jobs are left queued: the server runs them
 * (jobs/queue.ts `resumeQueuedJobs`).
 */
export async function failInterruptedImports(db: Kysely<Database>): Promise<number> {
	// No finish time: when it stopped is unknown, and the restart's time would read as its duration.
	const result = await sql`UPDATE import_batches SET status = 'failed', message = ${INTERRUPTED}
		WHERE status IN (${sql.join(RUNNING_STATUSES)})`.execute(db);
	return Number(result.numAffectedRows ?? 0);
}

export interface NewImport {
	kind: ImportKind;
	/** The file's name as the user gave it (never a server path for an upload). */
	fileName: string;
	fileSize: number;
	/** '' while run.ts `importFile` still hashes the file; it notes it then (`noteHash`). */
	sha256: string;
	format: string;
	source: 'api' | 'cli' | 'editor';
	userId?: string | null;
	username: string;
	/** Where an uploaded file waits for its turn. */
	storedFile?: string | null;
}

/**
 * Logs an import as queued, noting the last done import of the same kind and content: the same
 * file again changes nothing, and the user is told (issue 14).
 */
export async function logImport(db: Kysely<Database>, job: NewImport): Promise<number> {
	const earlier = job.sha256 ? await lastDoneImport(db, job.kind, job.sha256) : null;
	const row = await db
		.insertInto('import_batches')
		.values({
			kind: job.kind,
			file_name: job.fileName,
			file_size: job.fileSize,
			sha256: job.sha256,
			format: job.format,
			status: 'queued',
			source: job.source,
			user_id: job.userId ?? null,
			username: job.username,
			stored_file: job.storedFile ?? null,
			duplicate_of: earlier?.id ?? null,
			message: null,
			started_at: null,
			commit_started_at: null,
			finished_at: null,
			undone_at: null,
			undone_by: null,
			queued_at: loggedNow()
		})
		.returning('id')
		.executeTakeFirstOrThrow();
	return row.id;
}

/** The last done import of `kind` whose file had this SHA-256. */
async function lastDoneImport(db: Kysely<Database>, kind: ImportKind, sha256: string) {
	const row = await db
		.selectFrom('import_batches')
		.select('id')
		.where('kind', '=', kind)
		.where('sha256', '=', sha256)
		.where('status', '=', 'done')
		.orderBy('id', 'desc')
		.limit(1)
		.executeTakeFirst();
	return row ?? null;
}

/**
 * The file's SHA-256 of an import logged before it was known (run.ts `importFile` hashes while
 * the import reads), and the earlier done import of the same file.
 */
export async function noteHash(
	db: Kysely<Database>,
	batchId: number,
	kind: ImportKind,
	sha256: string
): Promise<void> {
	const earlier = await lastDoneImport(db, kind, sha256);
	await db
		.updateTable('import_batches')
		.set({ sha256, duplicate_of: earlier?.id ?? null })
		.where('id', '=', batchId)
		.execute();
}

/** Fails a job that never ran (its file is gone, its caller is gone), with the reason. */
export async function failQueuedImport(
	db: Kysely<Database>,
	batchId: number,
	message: string
): Promise<void> {
	await db
		.updateTable('import_batches')
		.set({ status: 'failed', message, finished_at: loggedNow() })
		.where('id', '=', batchId)
		.where('status', '=', 'queued')
		.execute();
}

/** A rejected file's first row errors, for the API and the upload page (not for the CLI). */
export async function keepErrors(
	db: Kysely<Database>,
	batchId: number,
	errors: RowError[]
): Promise<void> {
	const kept = errors.slice(0, KEPT_ERRORS);
	// A few hundred rows per statement keeps each one's parameters few.
	for (let start = 0; start < kept.length; start += 250) {
		await db
			.insertInto('import_errors')
			.values(
				kept.slice(start, start + 250).map((e, i) => ({
					batch_id: batchId,
					position: start + i,
					row: e.row,
					column_name: e.column,
					value: e.value,
					message: e.message,
					record: e.record ?? null
				}))
			)
			.execute();
	}
}

export async function keptErrors(db: Kysely<Database>, batchId: number): Promise<RowError[]> {
	const rows = await db
		.selectFrom('import_errors')
		.select(['row', 'column_name', 'value', 'message', 'record'])
		.where('batch_id', '=', batchId)
		.orderBy('position')
		.execute();
	return rows.map((r) => ({
		row: r.row,
		column: r.column_name,
		value: r.value,
		message: r.message,
		...(r.record === null ? {} : { record: r.record })
	}));
}
