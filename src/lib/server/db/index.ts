import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { Kysely, sql } from 'kysely';
import { databasePath, duckdbOptions } from '../config';
import { DuckDBDialect } from './dialect';
import { migrate } from './migrate';
import type { Database } from './schema';

export type { Database } from './schema';

export interface Store {
	path: string;
	db: Kysely<Database>;
	close(): Promise<void>;
}

/** DuckDB admits one read-write process per file; say so in words a user can act on. */
export class DatabaseLockedError extends Error {
	constructor(file: string, cause: unknown) {
		super(
			`database ${file} is in use by another process (a running server or another command); ` +
				`stop it or run this command against the server that holds it`,
			{ cause }
		);
	}
}

/**
 * Opens (creating if missing) the DuckDB file and brings its schema up to date. What the layers
 * above keep in it (the KPI aggregates, the import log) is prepared by `openStore` in
 * `../store.ts`, so that this folder imports nothing above it.
 * Every caller gets its own instance, and closes it.
 */
export async function openDatabase(file = databasePath()): Promise<Store> {
	if (file !== ':memory:') ownerOnly(file);
	let instance: DuckDBInstance;
	try {
		instance = await DuckDBInstance.create(file, duckdbOptions());
	} catch (error) {
		if (error instanceof Error && /lock/i.test(error.message)) {
			throw new DatabaseLockedError(file, error);
		}
		throw error;
	}
	const db = new Kysely<Database>({ dialect: new DuckDBDialect(instance) });
	try {
		// Every timestamp is Vietnam wall-clock time, whatever the machine's zone: DuckDB's
		// current_localtimestamp() (import times, migrations) otherwise follows the server's clock
		// zone, and a server set to UTC showed imports 7 hours early. Set once for every connection
		// (the option cannot be passed to create: the ICU extension loads after it).
		await sql`SET GLOBAL TimeZone = 'Asia/Ho_Chi_Minh'`.execute(db);
		await migrate(db);
	} catch (error) {
		await db.destroy();
		instance.closeSync();
		throw error;
	}
	return {
		path: file,
		db,
		async close() {
			await db.destroy();
			instance.closeSync();
		}
	};
}

/**
 * The database holds every dossier of the province and the accounts: only the user that runs the
 * server may read it (issue 10: the file, its WAL and DuckDB's spill folder were world-readable).
 * The process creates files owner-only from here on (the WAL and `<file>.tmp` appear later, from
 * DuckDB's own threads, which share the process umask), a new folder is 0700, and a file left
 * readable by an older version is closed up.
 */
function ownerOnly(file: string): void {
	process.umask(0o077);
	mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
	for (const [existing, mode] of [
		[file, 0o600],
		[`${file}.wal`, 0o600],
		[`${file}.tmp`, 0o700]
	] as const) {
		if (existsSync(existing)) chmodSync(existing, mode);
	}
}
