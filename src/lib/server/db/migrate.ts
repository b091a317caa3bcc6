import { sql, type Kysely } from 'kysely';
import { migrations, type Migration } from './migrations';
import type { Database } from './schema';

/** Applies the pending migrations, each in its own transaction; returns the versions applied. */
export async function migrate(
	db: Kysely<Database>,
	all: Migration[] = migrations
): Promise<number[]> {
	await sql`CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY,
		name VARCHAR NOT NULL,
		applied_at TIMESTAMP NOT NULL DEFAULT current_localtimestamp()
	)`.execute(db);
	const applied = new Set(
		(await db.selectFrom('schema_migrations').select('version').execute()).map((m) => m.version)
	);
	const done: number[] = [];
	for (const migration of all.filter((m) => !applied.has(m.version))) {
		await db.transaction().execute(async (trx) => {
			await migration.up(trx);
			await trx
				.insertInto('schema_migrations')
				.values({ version: migration.version, name: migration.name })
				.execute();
		});
		done.push(migration.version);
	}
	return done;
}
