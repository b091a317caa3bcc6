/**
 * One import: a file of one kind, read, staged, checked and merged in a single transaction.
 * Any invalid row rejects the whole file and changes nothing; the attempt is logged either way.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { sql, type Kysely } from 'kysely';
import type { ImportKind } from '../../domain/types';
import type { Database } from '../db/schema';
import { runChecks } from './checks';
import { controlCharacterChecks } from './control-characters';
import { fileError, ImportRejected, readerReason, type RowError } from './errors';
import { formatOf, loaderFor, type FileFormat } from './formats';
import { RECORD_KINDS } from './kinds';
import { createMacros } from './sql';
import { stageRaw } from './stage';
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
}

async function sha256Of(file: string): Promise<string> {
	const hash = createHash('sha256');
	for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
	return hash.digest('hex');
}

async function checkFile(file: string, name: string): Promise<number> {
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

export async function importFile(
	db: Kysely<Database>,
	kind: ImportKind,
	file: string,
	options: ImportOptions = {}
): Promise<ImportResult> {
	const name = options.name ?? path.basename(file);
	const format = formatOf(file, name);
	const size = await checkFile(file, name);
	const record = RECORD_KINDS[kind];
	const batch = await db
		.insertInto('import_batches')
		.values({
			kind,
			file_name: name,
			file_size: size,
			sha256: await sha256Of(file),
			format,
			status: 'running',
			started_at: sql<string>`current_localtimestamp()`
		} as never)
		.returning('id')
		.executeTakeFirstOrThrow();
	const batchId = batch.id;
	let workspace: ImportWorkspace | null = null;
	try {
		workspace = await openWorkspace(file, format);
		const { input } = workspace;
		const result = await db.transaction().execute(async (conn) => {
			try {
				await createMacros(conn);
				const raw = await loaderFor(format, name)(conn, input, name, record.spec, workspace!);
				const staged = await stageRaw(conn, name, record.spec, raw);
				const ctx = { db: conn, file: name, staged, batchId };
				const checks = [
					...(await controlCharacterChecks(conn, staged)),
					...(await record.prepare(ctx))
				];
				const { errors, total } = await runChecks(
					conn,
					sql`import_typed`,
					checks,
					staged.headerOf,
					record.spec.columns.map((c) => c.name)
				);
				if (errors.length > 0) throw new ImportRejected(name, errors, total);
				const counts = await record.merge(ctx);
				await sql`INSERT INTO import_batch_units
					SELECT DISTINCT ${batchId}, unit_version_id FROM (${record.touchedUnits})
					WHERE unit_version_id IS NOT NULL`.execute(conn);
				return { staged, counts };
			} finally {
				await dropImportTables(conn);
			}
		});
		const { staged, counts } = result;
		await db
			.updateTable('import_batches')
			.set({
				status: 'done',
				rows_total: staged.rows,
				inserted: counts.inserted,
				updated: counts.updated,
				unchanged: counts.unchanged,
				skipped: staged.skipped,
				finished_at: sql<string>`current_localtimestamp()`
			} as never)
			.where('id', '=', batchId)
			.execute();
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
				finished_at: sql<string>`current_localtimestamp()`
			} as never)
			.where('id', '=', batchId)
			.execute();
		throw rejected;
	} finally {
		await workspace?.dispose();
	}
}

/** Temp tables live as long as the pooled connection: drop them so a big file's rows do not linger. */
async function dropImportTables(db: Kysely<Database>): Promise<void> {
	// After a failed statement the transaction only accepts ROLLBACK, which drops them anyway.
	try {
		await dropTemps(db);
	} catch {
		/* rolled back with the transaction */
	}
}

async function dropTemps(db: Kysely<Database>): Promise<void> {
	const { rows: views } = await sql<{ name: string }>`SELECT view_name AS name FROM duckdb_views()
		WHERE temporary AND view_name LIKE 'import_%'`.execute(db);
	for (const { name } of views) await sql`DROP VIEW IF EXISTS ${sql.id(name)}`.execute(db);
	const { rows: tables } = await sql<{
		name: string;
	}>`SELECT table_name AS name FROM duckdb_tables()
		WHERE temporary AND table_name LIKE 'import_%'`.execute(db);
	for (const { name } of tables) await sql`DROP TABLE IF EXISTS ${sql.id(name)}`.execute(db);
}

export type { RowError };
