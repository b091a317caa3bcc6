/**
 * One import: a file of one kind, read, staged and checked (validating), then merged in a single
 * transaction (committing). Any invalid row rejects the whole file and changes nothing; the
 * attempt is logged either way, and its outcome is written in the same transaction as its rows,
 * so a kill can never leave data committed under an import marked failed.
 */
import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { sql, type Kysely } from 'kysely';
import type { ImportKind } from '../../domain/types';
import type { Database } from '../db/schema';
import { keepErrors, loggedNow, logImport, noteHash } from './batches';
import { runChecks, withReaderProblems, withRecordKeys, type Check } from './checks';
import { withMapping, type KindSpec } from './columns';
import { controlCharacterChecks } from './control-characters';
import { fileError, ImportRejected, readerReason, type RowError } from './errors';
import { formatOf, loaderFor, type FileFormat } from './formats';
import { fileChunks } from './formats/text';
import { RECORD_KINDS } from './kinds';
import type { MergeCounts, RecordKind } from './kinds/context';
import { ProgressTracker, type ProgressListener } from './progress';
import { checkReach, noteTouchedUnits, stageTouchedUnits } from './reach';
import { createMacros } from './sql';
import { stageRaw, type StagedFile } from './stage';
import { openWorkspace, type ImportWorkspace } from './workspace';

export interface ImportResult {
	batchId: number;
	kind: ImportKind;
	file: string;
	format: FileFormat;
	rows: number;
	inserted: number;
	updated: number;
	unchanged: number;
	skipped: number;
	warnings: string[];
}

export interface ImportOptions {
	/** The name errors show (the path as the user typed it); defaults to the file's base name. */
	name?: string;
	/**
	 * The unit versions the import may change (the uploader's scope, auth/scope.ts): a file that
	 * touches a unit outside them is rejected. Absent for an administrator and the CLI.
	 */
	allowedUnits?: readonly number[];
	onProgress?: ProgressListener;
	/** Receives the tracker, to interrupt the import (a server shutting down). */
	onStart?: (tracker: ProgressTracker) => void;
	/**
	 * The record kind that reads and merges the file, when not its kind's own: the campaigns
	 * editor's save (kinds/campaign-edit.ts) is a targets import with its own merge.
	 */
	record?: RecordKind;
	/**
	 * The user's column mapping (source header as written → column, or null to leave it out),
	 * laid over the aliases (columns.ts `withMapping`): the upload page's draft, a profile.
	 */
	mapping?: Record<string, string | null>;
	/** The file's SHA-256 when the import was logged before it was known (`importFile`). */
	sha256?: Promise<string>;
}

/** The kind's columns with the import's mapping, when it has one. */
const specOf = (record: RecordKind, options: ImportOptions): KindSpec =>
	options.mapping ? withMapping(record.spec, options.mapping) : record.spec;

export async function sha256Of(file: string): Promise<string> {
	const hash = createHash('sha256');
	for await (const chunk of fileChunks(file)) hash.update(chunk);
	return hash.digest('hex');
}

/** The size of the one regular, non-empty file `file` names; otherwise the error a user reads. */
export async function checkFile(file: string, name: string): Promise<number> {
	let size: number;
	try {
		const info = await stat(file);
		if (!info.isFile()) {
			throw fileError(name, 'not a regular file; name one file (not a folder or a pattern)');
		}
		size = info.size;
	} catch (error) {
		if (error instanceof ImportRejected) throw error;
		throw fileError(name, 'file not found');
	}
	if (size === 0) throw fileError(name, 'the file is empty (0 bytes)');
	return size;
}

/** Logs and runs an import of `file` at once (the CLI without a server, tests, benchmarks). */
export async function importFile(
	db: Kysely<Database>,
	kind: ImportKind,
	file: string,
	options: ImportOptions = {}
): Promise<ImportResult> {
	const name = options.name ?? path.basename(file);
	const format = formatOf(file, name);
	const size = await checkFile(file, name);
	// Hashed while the import reads, on the thread DuckDB leaves idle (it reads a JSON array on
	// one): a 624 MB payload's 0.5 s no longer comes first.
	const sha256 = sha256Of(file);
	sha256.catch(() => {});
	const batchId = await logImport(db, {
		kind,
		fileName: name,
		fileSize: size,
		sha256: '',
		format,
		source: 'cli',
		username: 'cli'
	});
	return runImport(db, batchId, kind, file, { ...options, name, sha256 });
}

/** Runs the logged (queued) import `batchId` of `file`: validating, committing, done or failed. */
export async function runImport(
	db: Kysely<Database>,
	batchId: number,
	kind: ImportKind,
	file: string,
	options: ImportOptions = {}
): Promise<ImportResult> {
	const name = options.name ?? path.basename(file);
	const record = options.record ?? RECORD_KINDS[kind];
	const tracker = new ProgressTracker(options.onProgress);
	options.onStart?.(tracker);
	let workspace: ImportWorkspace | null = null;
	try {
		const format = formatOf(file, name);
		await checkFile(file, name);
		await setStatus(db, batchId, 'validating', {
			started_at: loggedNow()
		});
		workspace = await openWorkspace(file, format);
		const open = workspace;
		const { staged, counts } = await tracker.follow(db, async (conn) => {
			try {
				const staged = await validate(conn, {
					record,
					spec: specOf(record, options),
					format,
					name,
					batchId,
					workspace: open,
					tracker
				});
				// The file's cells are no longer needed, only its typed rows: a commit of a big
				// file then holds one copy of it in memory, not two.
				await dropTemps(conn, MERGE_INPUTS);
				await setStatus(db, batchId, 'committing', {
					rows_total: staged.rows,
					commit_started_at: loggedNow()
				});
				tracker.phase('committing', 2);
				const sha256 = await options.sha256;
				const counts = await conn.transaction().execute(async (trx) => {
					if (sha256 !== undefined) await noteHash(trx, batchId, kind, sha256);
					const ctx = { db: trx, file: name, staged, batchId };
					const counts = await record.merge(ctx);
					tracker.step();
					await noteTouchedUnits(trx, batchId, record);
					if (options.allowedUnits) await checkReach(trx, name, record, options.allowedUnits);
					await finish(trx, batchId, staged, counts, [
						...staged.warnings,
						...(counts.warnings ?? [])
					]);
					return counts;
				});
				tracker.step();
				return { staged, counts };
			} finally {
				await dropImportTables(conn);
			}
		});
		return {
			batchId,
			kind,
			file: name,
			format,
			rows: staged.rows,
			inserted: counts.inserted,
			updated: counts.updated,
			unchanged: counts.unchanged,
			skipped: staged.skipped,
			warnings: [...staged.warnings, ...(counts.warnings ?? [])]
		};
	} catch (error) {
		const rejected =
			error instanceof ImportRejected
				? error
				: fileError(name, `import failed: ${readerReason(error, name)}`);
		await db
			.updateTable('import_batches')
			.set({
				status: 'failed',
				rejected: rejected.totalErrors,
				message: rejected.message.slice(0, 10_000),
				finished_at: loggedNow()
			})
			.where('id', '=', batchId)
			.execute();
		await keepErrors(db, batchId, rejected.errors);
		const sha256 = await options.sha256?.catch(() => undefined);
		if (sha256 !== undefined) await noteHash(db, batchId, kind, sha256);
		throw rejected;
	} finally {
		await workspace?.dispose();
	}
}

interface Validation {
	record: RecordKind;
	/** The record's columns, with the import's mapping laid over them. */
	spec: KindSpec;
	format: FileFormat;
	name: string;
	batchId: number;
	workspace: ImportWorkspace;
	tracker: ProgressTracker;
	/**
	 * Called once the rows are typed and checked, before a rejection is thrown: a check only
	 * (checkImport) takes its preview and every failing row from the same tables here.
	 */
	checked?: (conn: Kysely<Database>, staged: StagedFile, checks: Check[]) => Promise<void>;
}

/**
 * Reads, stages, types and checks the file into temp tables of `conn` (no stored table changes),
 * or throws the rejection with its row errors.
 */
async function validate(conn: Kysely<Database>, v: Validation): Promise<StagedFile> {
	const { record, name, tracker } = v;
	tracker.phase('validating', 5);
	await createMacros(conn);
	const raw = await loaderFor(v.format, name)(conn, v.workspace.input, name, v.spec, v.workspace);
	tracker.step();
	const staged = await stageRaw(conn, name, v.spec, raw);
	tracker.rows(staged.rows);
	tracker.step();
	const ctx = { db: conn, file: name, staged, batchId: v.batchId };
	const characterChecks = await controlCharacterChecks(conn, staged);
	tracker.step();
	const checks = [...characterChecks, ...(await record.prepare(ctx))];
	tracker.step();
	const checked = await runChecks(
		conn,
		sql`import_typed`,
		checks,
		staged.headerOf,
		record.spec.columns.map((c) => c.name)
	);
	const found = raw.rowProblems
		? await withReaderProblems(conn, raw.rowProblems, checked)
		: checked;
	const { total } = found;
	const errors = raw.recordKey
		? await withRecordKeys(conn, v.spec.key, found.errors)
		: found.errors;
	tracker.step();
	await v.checked?.(conn, staged, checks);
	if (errors.length > 0) throw new ImportRejected(name, errors, total);
	return staged;
}

/** What a check of a file found, without importing it (the upload page's draft). */
export interface CheckOutcome {
	/** The data rows under the header; 0 when the file could not be read that far. */
	rows: number;
	errors: RowError[];
	totalErrors: number;
	warnings: string[];
	/** The first rows as they would be stored (`import_typed`), when the file was read that far. */
	preview: Record<string, unknown>[];
}

export interface CheckOptions extends ImportOptions {
	/** How many of the first typed rows to return. */
	previewRows: number;
	/**
	 * Receives, while the typed table is there, what it needs to write every failing row (its
	 * rows of `import_typed` and the checks over them): the draft's rejected-rows file.
	 */
	failing?: (conn: Kysely<Database>, staged: StagedFile, checks: Check[]) => Promise<void>;
}

/**
 * The validation of an import and nothing else: the same reading, staging, typing and checks as
 * `runImport`, on the same connection, with no write to any stored table (not even the log).
 * Its preview is the typed table's first rows, so it cannot disagree with the import.
 */
export async function checkImport(
	db: Kysely<Database>,
	kind: ImportKind,
	file: string,
	options: CheckOptions
): Promise<CheckOutcome> {
	const name = options.name ?? path.basename(file);
	const record = RECORD_KINDS[kind];
	const tracker = new ProgressTracker(options.onProgress);
	options.onStart?.(tracker);
	let workspace: ImportWorkspace | null = null;
	let outcome: CheckOutcome = { rows: 0, errors: [], totalErrors: 0, warnings: [], preview: [] };
	try {
		const format = formatOf(file, name);
		await checkFile(file, name);
		workspace = await openWorkspace(file, format);
		const open = workspace;
		await tracker.follow(db, async (conn) => {
			try {
				const staged = await validate(conn, {
					record,
					spec: specOf(record, options),
					format,
					name,
					batchId: 0,
					workspace: open,
					tracker,
					checked: async (conn, staged, checks) => {
						const { rows } = await sql<Record<string, unknown>>`SELECT * FROM import_typed
							ORDER BY __row LIMIT ${options.previewRows}`.execute(conn);
						outcome = { ...outcome, rows: staged.rows, warnings: staged.warnings, preview: rows };
						await options.failing?.(conn, staged, checks);
					}
				});
				outcome = { ...outcome, rows: staged.rows, warnings: staged.warnings };
				// The uploader's scope, as far as it can be told before the merge (reach.ts).
				if (options.allowedUnits) {
					await stageTouchedUnits(conn, record);
					await checkReach(conn, name, record, options.allowedUnits);
				}
			} finally {
				await dropImportTables(conn);
			}
		});
		return outcome;
	} catch (error) {
		const rejected =
			error instanceof ImportRejected
				? error
				: fileError(name, `import failed: ${readerReason(error, name)}`);
		return { ...outcome, errors: rejected.errors, totalErrors: rejected.totalErrors };
	} finally {
		await workspace?.dispose();
	}
}

/**
 * The phase an import enters, written at once outside any transaction: a reader sees it, and at
 * a restart a batch left `validating` or `committing` is known to have been cut off.
 */
async function setStatus(
	db: Kysely<Database>,
	batchId: number,
	status: 'validating' | 'committing',
	more: Partial<Record<'started_at' | 'commit_started_at' | 'rows_total', unknown>>
): Promise<void> {
	await db
		.updateTable('import_batches')
		.set({ status, ...more } as never)
		.where('id', '=', batchId)
		.execute();
}

/** The outcome, in the import's own transaction: done exactly when its rows are committed. */
async function finish(
	trx: Kysely<Database>,
	batchId: number,
	staged: StagedFile,
	counts: MergeCounts,
	warnings: string[]
): Promise<void> {
	await trx
		.updateTable('import_batches')
		.set({
			status: 'done',
			rows_total: staged.rows,
			rows_done: staged.rows,
			inserted: counts.inserted,
			updated: counts.updated,
			unchanged: counts.unchanged,
			skipped: staged.skipped,
			message: warnings.length > 0 ? warnings.join('\n').slice(0, 10_000) : null,
			stored_file: null,
			finished_at: loggedNow()
		})
		.where('id', '=', batchId)
		.execute();
}

/** Temp tables live as long as the pooled connection: drop them so a big file's rows do not linger. */
export async function dropImportTables(db: Kysely<Database>): Promise<void> {
	// After a failed statement a transaction only accepts ROLLBACK, which drops them anyway.
	try {
		await dropTemps(db);
	} catch {
		/* rolled back with the transaction */
	}
}

/** The temp tables a kind's merge reads (kinds/): everything else of the validation may go. */
const MERGE_INPUTS = ['import_typed', 'import_code_counts'];

async function dropTemps(db: Kysely<Database>, keep: string[] = []): Promise<void> {
	const { rows: views } = await sql<{ name: string }>`SELECT view_name AS name FROM duckdb_views()
		WHERE temporary AND view_name LIKE 'import_%'`.execute(db);
	for (const { name } of views) await sql`DROP VIEW IF EXISTS ${sql.id(name)}`.execute(db);
	const { rows: tables } = await sql<{
		name: string;
	}>`SELECT table_name AS name FROM duckdb_tables()
		WHERE temporary AND table_name LIKE 'import_%'`.execute(db);
	for (const { name } of tables.filter((t) => !keep.includes(t.name))) {
		await sql`DROP TABLE IF EXISTS ${sql.id(name)}`.execute(db);
	}
}

export type { RowError };
