/**
 * Whether a file is a backup of ours, asked before a restore puts it in place: it opens as DuckDB,
 * it has our `schema_migrations` with only versions this build knows, and every table those
 * migrations create, with their columns. What a database at the backup's versions looks like is
 * not written down twice: the same migrations are run on an empty in-memory database and the two
 * are compared. Tables beyond those (the KPI aggregates, rebuilt on open) are allowed.
 */
import { sql, type Kysely } from 'kysely';
import { migrate } from '../db/migrate';
import { migrations } from '../db/migrations';
import type { Database } from '../db/schema';

/** A file refused by a restore; the message names the file and why. */
export class NotABackup extends Error {}

export interface BackupFacts {
	/** The newest migration the backup has. */
	schemaVersion: number;
}

interface ColumnRow {
	table_name: string;
	column_name: string;
	data_type: string;
}

/**
 * Checks the database attached as `alias` on `db`'s instance (opened read-only), named
 * `displayName` in messages. `db`'s own default database must be empty: the expected schema is
 * built in it.
 */
export async function checkBackup(
	db: Kysely<Database>,
	alias: string,
	displayName: string
): Promise<BackupFacts> {
	const refuse = (why: string) => new NotABackup(`${displayName}: ${why}`);
	const tables = await columnsOf(db, alias);
	if (!tables.has('schema_migrations')) {
		throw refuse(
			"not a backup of this program's database: it has no schema_migrations table " +
				'(make one with `npm run cli -- backup <file>`)'
		);
	}
	const versions = await backupVersions(db, alias, refuse);
	const known = new Map(migrations.map((m) => [m.version, m]));
	const newest = Math.max(...migrations.map((m) => m.version));
	const newer = versions.filter((v) => v > newest);
	if (newer.length > 0) {
		throw refuse(
			`made by a newer version of this program (schema version ${Math.max(...newer)}; ` +
				`this one knows up to ${newest}): restore it with that version, or update this one`
		);
	}
	const unknown = versions.filter((v) => !known.has(v));
	if (unknown.length > 0) {
		throw refuse(
			`has schema version ${unknown.join(', ')}, which this version of the program does not ` +
				`know (it knows ${[...known.keys()].join(', ')}): it comes from another version`
		);
	}
	await migrate(
		db,
		versions.map((v) => known.get(v)!)
	);
	const expected = await columnsOf(db, await defaultDatabase(db));
	for (const [table, columns] of expected) {
		const found = tables.get(table);
		if (!found) {
			throw refuse(`not a backup of this program's database: it has no table ${table}`);
		}
		if (found.join(', ') !== columns.join(', ')) {
			throw refuse(
				`not a backup of this program's database: its table ${table} has the columns ` +
					`(${found.join(', ')}); schema version ${Math.max(...versions)} has (${columns.join(', ')})`
			);
		}
	}
	return { schemaVersion: Math.max(...versions) };
}

async function defaultDatabase(db: Kysely<Database>): Promise<string> {
	const { rows } = await sql<{ name: string }>`SELECT current_database() AS name`.execute(db);
	return rows[0].name;
}

/** Each table of the database's main schema with its columns as `name TYPE`, in order. */
async function columnsOf(db: Kysely<Database>, database: string): Promise<Map<string, string[]>> {
	const { rows } = await sql<ColumnRow>`SELECT table_name, column_name, data_type
		FROM duckdb_columns()
		WHERE database_name = ${database} AND schema_name = 'main'
		ORDER BY table_name, column_index`.execute(db);
	const tables = new Map<string, string[]>();
	for (const row of rows) {
		const columns = tables.get(row.table_name) ?? [];
		columns.push(`${row.column_name} ${row.data_type}`);
		tables.set(row.table_name, columns);
	}
	return tables;
}

async function backupVersions(
	db: Kysely<Database>,
	alias: string,
	refuse: (why: string) => NotABackup
): Promise<number[]> {
	let rows: { version: unknown }[];
	try {
		({ rows } = await sql<{ version: unknown }>`SELECT version
			FROM ${sql.id(alias, 'main', 'schema_migrations')} ORDER BY version`.execute(db));
	} catch (error) {
		throw refuse(`its schema_migrations table cannot be read (${firstLine(error)})`);
	}
	const versions = rows.map((row) => row.version);
	if (versions.length === 0 || !versions.every((v) => Number.isInteger(v))) {
		throw refuse("not a backup of this program's database: its schema_migrations is not ours");
	}
	return versions as number[];
}

export function firstLine(error: unknown): string {
	return (error instanceof Error ? error.message : String(error)).split('\n')[0];
}
