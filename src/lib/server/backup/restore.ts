/**
 * Putting a backup back (CONTRACT: `restore <file>`, with the server stopped). Nothing of the
 * current database is touched until the backup has been checked (check.ts), read whole into a new
 * file beside the database and opened as the server will open it (migrations, aggregates); then
 * the current database is moved aside, with its .wal, and the new file renamed into its place.
 * A refusal at any step leaves the current database as it was.
 */
import { existsSync } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { Kysely, sql } from 'kysely';
import { vietnamTimestamp } from '../../domain/dates';
import { audit, CLI_ACTOR } from '../auth/users';
import { DuckDBDialect } from '../db/dialect';
import type { Database } from '../db/schema';
import { openStore } from '../store';
import { checkBackup, firstLine, NotABackup } from './check';

/** A restore that may not run now (the database is in use); nothing was changed. */
export class RestoreRefused extends Error {}

export interface Restored {
	database: string;
	schemaVersion: number;
	/** Where the database it replaced was moved, or null when there was none. */
	replacedKeptAs: string | null;
}

const BACKUP = 'backup_file';
const RESTORED = 'restored_file';

export async function restoreBackup(
	backupFile: string,
	databaseFile: string,
	displayName = backupFile
): Promise<Restored> {
	const database = path.resolve(databaseFile);
	if (path.resolve(backupFile) === database) {
		throw new RestoreRefused(`${displayName} is the database itself; name a backup file`);
	}
	await refuseIfInUse(database);
	// Owner-only from the first byte, as the database itself (db/index.ts ownerOnly).
	process.umask(0o077);
	await mkdir(path.dirname(database), { recursive: true, mode: 0o700 });
	const staging = `${database}.restoring`;
	await removeDatabaseFiles(staging);
	try {
		const { schemaVersion } = await copyIntoStaging(backupFile, staging, displayName);
		// As the server will open it: an older backup is migrated, the aggregates are made ready;
		// the restore itself goes into the restored database's audit log.
		const store = await openStore(staging);
		try {
			await audit(store.db, {
				action: 'restore',
				actor: CLI_ACTOR,
				detail: { file: path.resolve(backupFile), schema_version: schemaVersion }
			});
		} finally {
			await store.close();
		}
		if (existsSync(`${staging}.wal`)) {
			throw new Error(`${staging}.wal was left after closing it; nothing was changed`);
		}
		const replacedKeptAs = await swapIn(staging, database);
		return { database, schemaVersion, replacedKeptAs };
	} finally {
		await removeDatabaseFiles(staging);
	}
}

/**
 * A server or a command holding the database would go on writing to the file moved aside. DuckDB
 * locks the file for its writer: a read-only open fails while one holds it. A database that does
 * not open for another reason (damaged: the reason to restore) does not stop the restore.
 */
async function refuseIfInUse(database: string): Promise<void> {
	if (!existsSync(database)) return;
	let instance: DuckDBInstance;
	try {
		instance = await DuckDBInstance.create(database, { access_mode: 'READ_ONLY' });
	} catch (error) {
		if (/lock/i.test(firstLine(error))) {
			throw new RestoreRefused(
				`database ${database} is in use by another process (a running server or a command): ` +
					'stop it, then run restore again; nothing was changed'
			);
		}
		return;
	}
	instance.closeSync();
}

/**
 * Checks the backup and copies it, table by table, into `staging`: reading every row proves the
 * file whole (DuckDB checks each block it reads), where a byte copy would carry a cut-off file.
 */
async function copyIntoStaging(
	backupFile: string,
	staging: string,
	displayName: string
): Promise<{ schemaVersion: number }> {
	const instance = await DuckDBInstance.create(':memory:');
	const db = new Kysely<Database>({ dialect: new DuckDBDialect(instance) });
	try {
		try {
			await sql`ATTACH ${sql.lit(backupFile)} AS ${sql.id(BACKUP)} (READ_ONLY)`.execute(db);
		} catch (error) {
			throw new NotABackup(
				`${displayName}: not a DuckDB database file, or not one this version can read ` +
					`(${firstLine(error)})`
			);
		}
		const facts = await checkBackup(db, BACKUP, displayName);
		await sql`ATTACH ${sql.lit(staging)} AS ${sql.id(RESTORED)}`.execute(db);
		try {
			await sql`COPY FROM DATABASE ${sql.id(BACKUP)} TO ${sql.id(RESTORED)}`.execute(db);
		} catch (error) {
			throw new NotABackup(
				`${displayName}: cannot be read whole, it is damaged or cut short (${firstLine(error)})`
			);
		}
		await sql`CHECKPOINT ${sql.id(RESTORED)}`.execute(db);
		return facts;
	} finally {
		await db.destroy();
		instance.closeSync();
	}
}

/**
 * The current database (and its .wal, which belongs to it: left beside the restored file it would
 * be replayed into it) moved aside under a dated name, then the restored file renamed into place;
 * if that fails, the current database is put back.
 */
async function swapIn(staging: string, database: string): Promise<string | null> {
	const aside = asideName(database);
	const moved: [string, string][] = [];
	for (const suffix of ['', '.wal']) {
		if (!existsSync(`${database}${suffix}`)) continue;
		await rename(`${database}${suffix}`, `${aside}${suffix}`);
		moved.push([`${aside}${suffix}`, `${database}${suffix}`]);
	}
	try {
		await rename(staging, database);
	} catch (error) {
		for (const [from, to] of moved) await rename(from, to);
		throw error;
	}
	await flushFolder(path.dirname(database));
	return existsSync(aside) ? aside : null;
}

/** `<db>.before-restore-20261201-021500`, Vietnam time; never the name of a file already there. */
function asideName(database: string): string {
	const stamp = vietnamTimestamp(Date.now()).replace(/[-:]/g, '').replace(' ', '-');
	const base = `${database}.before-restore-${stamp}`;
	let name = base;
	for (let n = 2; existsSync(name) || existsSync(`${name}.wal`); n++) name = `${base}-${n}`;
	return name;
}

async function removeDatabaseFiles(file: string): Promise<void> {
	await rm(file, { force: true });
	await rm(`${file}.wal`, { force: true });
}

async function flushFolder(folder: string): Promise<void> {
	const handle = await open(folder, 'r');
	try {
		await handle.sync();
	} finally {
		await handle.close();
	}
}
