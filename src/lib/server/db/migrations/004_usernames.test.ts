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
		migrations.filter((m) => m.version < 4)
	);
	for (const [id, username, created] of [
		['u1', 'Admin', '2026-01-01 08:00:00'],
		['u2', 'admin', '2026-02-01 08:00:00'],
		['u3', 'ADMIN', '2026-03-01 08:00:00'],
		['u4', 'NoiVu', '2026-01-05 08:00:00'],
		['u5', 'lanhdao', '2026-01-06 08:00:00']
	]) {
		await sql`INSERT INTO users VALUES (${id}, ${username}, 'hash', 'leader', '42', 'vi', false,
			${created}, ${created})`.execute(db);
	}
	await migrate(db);
});
afterAll(async () => {
	await db.destroy();
	instance.closeSync();
});

describe('usernames made case-insensitive (migration 4)', () => {
	it('stores every username in lower case; of names differing only in case the oldest keeps it', async () => {
		const rows = await db.selectFrom('users').select(['id', 'username']).orderBy('id').execute();
		expect(rows).toEqual([
			{ id: 'u1', username: 'admin' },
			{ id: 'u2', username: 'admin-2' },
			{ id: 'u3', username: 'admin-3' },
			{ id: 'u4', username: 'noivu' },
			{ id: 'u5', username: 'lanhdao' }
		]);
	});

	it('writes each rename to the audit log, and nothing for a name only lowered', async () => {
		const rows = await db
			.selectFrom('audit_log')
			.select(['user_id', 'action', 'detail'])
			.orderBy('user_id')
			.execute();
		expect(rows.map((r) => [r.user_id, r.action, JSON.parse(r.detail!).to])).toEqual([
			['u2', 'user.rename', 'admin-2'],
			['u3', 'user.rename', 'admin-3']
		]);
	});
});
