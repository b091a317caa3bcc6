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
		migrations.filter((m) => m.version < 11)
	);
	await sql`INSERT INTO unit_versions (code, name, level, path, depth)
		VALUES ('42', 'Tỉnh Hà Tĩnh', 'province', '/1/', 0)`.execute(db);
	await migrate(db);
});
afterAll(async () => {
	await db.destroy();
	instance.closeSync();
});

describe('agency codes (migration 11)', () => {
	it('keeps the units stored before, with no agency code', async () => {
		const rows = await db.selectFrom('unit_versions').select(['code', 'agency_code']).execute();
		expect(rows).toEqual([{ code: '42', agency_code: null }]);
	});

	it('keeps an agency code among the columns an import replaces, for undo', async () => {
		const { rows } = await sql<{ name: string }>`SELECT column_name AS name
			FROM information_schema.columns
			WHERE table_name = 'import_replaced_units' AND column_name = 'agency_code'`.execute(db);
		expect(rows).toEqual([{ name: 'agency_code' }]);
	});
});
