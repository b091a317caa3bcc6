/**
 * A backup: a consistent snapshot of the database written to a new DuckDB file, while the server
 * goes on serving and importing (CONTRACT: `backup <file>`).
 *
 * DuckDB's `COPY FROM DATABASE` copies every table, view, sequence (at its current value), macro
 * and index into an attached file. Run in one transaction it reads one MVCC snapshot: an import
 * that is still running (one long transaction, import/run.ts) is either committed before the
 * snapshot began and is in it whole, or it is not in it at all; readers and writers go on beside
 * it, nothing waits for the copy. (A file copy after CHECKPOINT would need every writer stopped:
 * DuckDB checkpoints only with no other transaction open.)
 *
 * The copy is written under a hidden temporary name beside the target and renamed into place once
 * complete and on disk, so the final name never holds half a backup, whatever stops the process.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { open, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema';

/** A backup that cannot be written where it was asked: the message says what to do instead. */
export class BackupRefused extends Error {}

export interface BackupWritten {
	file: string;
	bytes: number;
	/** The newest migration in the snapshot (`schema_migrations`). */
	schemaVersion: number;
	milliseconds: number;
}

export interface BackupOptions {
	/** Replace a file already at the target; without it, an existing file is refused. */
	force?: boolean;
}

/** Files that belong to the database itself: a backup written over one of them would destroy it. */
const DATABASE_COMPANIONS = ['', '.wal', '.tmp', '.sock'];

export async function writeBackup(
	db: Kysely<Database>,
	databaseFile: string,
	target: string,
	{ force = false }: BackupOptions = {}
): Promise<BackupWritten> {
	const started = performance.now();
	const file = path.resolve(target);
	await checkTarget(file, path.resolve(databaseFile), force);
	const partial = path.join(
		path.dirname(file),
		`.${path.basename(file)}.partial-${randomBytes(4).toString('hex')}`
	);
	try {
		const schemaVersion = await copyDatabase(db, partial);
		if (existsSync(`${partial}.wal`)) {
			throw new Error(
				`the backup's log ${partial}.wal was not folded into it; nothing was written`
			);
		}
		await flushToDisk(partial);
		// Asked again at the end: another backup may have taken the name meanwhile.
		if (!force && existsSync(file)) throw exists(file);
		await rename(partial, file);
		await flushToDisk(path.dirname(file));
		const { size } = await stat(file);
		return {
			file,
			bytes: size,
			schemaVersion,
			milliseconds: Math.round(performance.now() - started)
		};
	} finally {
		await rm(partial, { force: true });
		await rm(`${partial}.wal`, { force: true });
	}
}

async function checkTarget(file: string, databaseFile: string, force: boolean): Promise<void> {
	if (DATABASE_COMPANIONS.some((suffix) => file === `${databaseFile}${suffix}`)) {
		throw new BackupRefused(
			`${file} is the database itself (or one of its files); write the backup to another file`
		);
	}
	const folder = path.dirname(file);
	const folderInfo = await stat(folder).catch(() => null);
	if (!folderInfo?.isDirectory()) {
		throw new BackupRefused(`${folder}: no such folder; create it first, or write elsewhere`);
	}
	const existing = await stat(file).catch(() => null);
	if (existing?.isDirectory()) {
		throw new BackupRefused(`${file} is a folder; name the backup file, e.g. ${file}/kpi.duckdb`);
	}
	if (existing && !force) throw exists(file);
}

function exists(file: string): BackupRefused {
	return new BackupRefused(
		`${file} already exists; choose another name, or add --force to replace it`
	);
}

/** The snapshot itself: the database copied, in one transaction, into a new file at `partial`. */
async function copyDatabase(db: Kysely<Database>, partial: string): Promise<number> {
	// Attached databases are seen by every connection of the instance: a name of its own, so that
	// two backups at once (a nightly one and an operator's) never meet.
	const alias = sql.id(`backup_${randomBytes(6).toString('hex')}`);
	await sql`ATTACH ${sql.lit(partial)} AS ${alias}`.execute(db);
	try {
		const schemaVersion = await db.transaction().execute(async (trx) => {
			const { rows } = await sql<{ name: string }>`SELECT current_database() AS name`.execute(trx);
			const { version } = await trx
				.selectFrom('schema_migrations')
				.select((eb) => eb.fn.max('version').as('version'))
				.executeTakeFirstOrThrow();
			await sql`COPY FROM DATABASE ${sql.id(rows[0].name)} TO ${alias}`.execute(trx);
			return Number(version);
		});
		// Everything into the file itself, so that no .wal is needed beside it.
		await sql`CHECKPOINT ${alias}`.execute(db);
		return schemaVersion;
	} finally {
		await sql`DETACH ${alias}`.execute(db);
	}
}

async function flushToDisk(file: string): Promise<void> {
	const handle = await open(file, 'r');
	try {
		await handle.sync();
	} finally {
		await handle.close();
	}
}
