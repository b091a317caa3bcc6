import { DuckDBInstance } from '@duckdb/node-api';
import { Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDBDialect } from '../dialect';
import { migrate } from '../migrate';
import type { Database } from '../schema';
import { migrations } from '.';

let instance: DuckDBInstance;
let db: Kysely<Database>;

beforeAll(async () => {
	instance = await DuckDBInstance.create(':memory:');
	db = new Kysely<Database>({ dialect: new DuckDBDialect(instance) });
	await migrate(
		db,
		migrations.filter((m) => m.version < 8)
	);
	await sql`INSERT INTO import_batches (kind, file_name, file_size, sha256, format, status,
			rows_total, inserted, started_at, finished_at)
		VALUES ('dossiers', 'thang-09.csv', 120, 'ab', 'csv', 'done', 4, 4,
			'2026-10-01 08:00:00', '2026-10-01 08:00:05')`.execute(db);
	await migrate(db);
});
afterAll(async () => {
	await db.destroy();
	instance.closeSync();
});

describe('import jobs (migration 8)', () => {
	it('keeps an older import valid: done, by the command line, all its rows done, not undoable', async () => {
		const row = await db
			.selectFrom('import_batches')
			.select(['status', 'queued_at', 'rows_done', 'source', 'username', 'undoable', 'undone_at'])
			.executeTakeFirstOrThrow();
		expect(row).toEqual({
			status: 'done',
			queued_at: '2026-10-01T08:00:00',
			rows_done: 4,
			source: 'cli',
			username: 'cli',
			undoable: false,
			undone_at: null
		});
	});

	it('lets a new job wait unstarted, undoable by default', async () => {
		await sql`INSERT INTO import_batches (kind, file_name, file_size, sha256, format, status)
			VALUES ('units', 'u.csv', 10, 'cd', 'csv', 'queued')`.execute(db);
		const row = await db
			.selectFrom('import_batches')
			.select(['started_at', 'rows_done', 'undoable', 'source'])
			.where('status', '=', 'queued')
			.executeTakeFirstOrThrow();
		expect(row).toEqual({ started_at: null, rows_done: 0, undoable: true, source: 'cli' });
	});
});
