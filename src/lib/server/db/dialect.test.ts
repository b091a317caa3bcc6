import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, DatabaseLockedError, type Store } from '../store';
import { migrations } from './migrations';

describe('the DuckDB dialect', () => {
	let dir: string;
	let store: Store;

	beforeAll(async () => {
		dir = mkdtempSync(path.join(tmpdir(), 'kpi-dialect-'));
		store = await openStore(path.join(dir, 'nested', 'kpi.duckdb'));
	});
	afterAll(async () => {
		await store.close();
		rmSync(dir, { recursive: true, force: true });
	});

	it('creates the folder and applies every migration once', async () => {
		const applied = await store.db.selectFrom('schema_migrations').select('version').execute();
		expect(applied.map((m) => m.version)).toEqual(migrations.map((m) => m.version));
	});

	it('returns BIGINT counts and DECIMALs as numbers, dates and timestamps as local ISO strings', async () => {
		const { rows } = await sql<{
			n: number;
			d: number;
			day: string;
			at: string;
			nothing: null;
		}>`SELECT count(*) AS n, 12.50::DECIMAL(10,2) AS d, DATE '2025-06-30' AS day,
			TIMESTAMP '2025-06-30 23:30:00' AS at, NULL AS nothing FROM range(3)`.execute(store.db);
		expect(rows).toEqual([
			{ n: 3, d: 12.5, day: '2025-06-30', at: '2025-06-30T23:30:00', nothing: null }
		]);
	});

	it('binds $n parameters of every JavaScript scalar type', async () => {
		const { rows } = await sql<{
			s: string;
			i: number;
			f: number;
			b: boolean;
		}>`SELECT ${'Hà Tĩnh'} AS s, ${42} + 1 AS i, ${0.5} * 2 AS f, NOT ${false} AS b`.execute(
			store.db
		);
		expect(rows).toEqual([{ s: 'Hà Tĩnh', i: 43, f: 1, b: true }]);
	});

	it('binds bytes as a BLOB and gives every byte back unchanged, zeros and high bytes too', async () => {
		const bytes = Buffer.alloc(3 * 1024 * 1024 + 7);
		for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 131 + (i >> 8)) % 256;
		const { rows } = await sql<{
			blob: Uint8Array;
			size: number;
		}>`SELECT ${bytes} AS blob, octet_length(${bytes}) AS size`.execute(store.db);
		expect(rows[0].size).toBe(bytes.length);
		expect(Buffer.from(rows[0].blob).equals(bytes)).toBe(true);
	});

	it('reports the number of rows an insert, update or delete changed', async () => {
		await store.db.connection().execute(async (db) => {
			await sql`CREATE OR REPLACE TABLE dialect_probe (x INTEGER)`.execute(db);
			const inserted = await sql`INSERT INTO dialect_probe SELECT * FROM range(5)`.execute(db);
			expect(inserted.numAffectedRows).toBe(5n);
			const deleted = await sql`DELETE FROM dialect_probe WHERE x < 2`.execute(db);
			expect(deleted.numAffectedRows).toBe(2n);
			await sql`DROP TABLE dialect_probe`.execute(db);
		});
	});

	it('rolls a failed transaction back entirely', async () => {
		await expect(
			store.db.transaction().execute(async (trx) => {
				await trx
					.insertInto('campaigns')
					.values({
						id: 900,
						name: 'thử',
						starts_on: '2024-01-01',
						ends_on: '2024-02-01',
						import_batch_id: null
					})
					.execute();
				throw new Error('abort');
			})
		).rejects.toThrow('abort');
		const left = await store.db.selectFrom('campaigns').selectAll().execute();
		expect(left).toEqual([]);
	});

	it('streams large results in chunks', async () => {
		let total = 0;
		let last = -1;
		const numbers = sql<{ x: number }>`(SELECT range AS x FROM range(5000))`.as('numbers');
		for await (const row of store.db.selectFrom(numbers).selectAll().stream(1000)) {
			total += 1;
			last = row.x;
		}
		expect(total).toBe(5000);
		expect(last).toBe(4999);
	});

	it('refuses a second writer on the same file with a message a user can act on', async () => {
		const { spawnSync } = await import('node:child_process');
		const probe = spawnSync(
			process.execPath,
			[
				'-e',
				`require('@duckdb/node-api').DuckDBInstance.create(${JSON.stringify(store.path)}).then(()=>process.exit(0),e=>{console.error(e.message);process.exit(3)})`
			],
			{ encoding: 'utf8' }
		);
		expect(probe.status).toBe(3);
		expect(probe.stderr).toMatch(/lock/i);
		expect(new DatabaseLockedError(store.path, null).message).toContain(
			'in use by another process'
		);
	});
	it('answers a kept statement from a table replaced since it was prepared', async () => {
		const ask = () =>
			sql<{ v: number }>`SELECT v FROM kept_t WHERE k = ${'a'}`
				.execute(store.db)
				.then((r) => r.rows);
		await sql`CREATE TABLE kept_t AS SELECT 'a' AS k, 1 AS v`.execute(store.db);
		expect(await ask()).toEqual([{ v: 1 }]);
		// As an import rebuilds an aggregate: the same text now reads another table of that name.
		await sql`CREATE OR REPLACE TABLE kept_t AS SELECT 'a' AS k, 2 AS v UNION ALL SELECT 'a', 3`.execute(
			store.db
		);
		expect(await ask()).toEqual([{ v: 2 }, { v: 3 }]);
		await sql`DROP TABLE kept_t`.execute(store.db);
		await expect(ask()).rejects.toThrow(/kept_t/);
		await sql`CREATE TABLE kept_t AS SELECT 'a' AS k, 4 AS v`.execute(store.db);
		expect(await ask()).toEqual([{ v: 4 }]);
	});

	it('makes a table again with the same parametrised text, which a join then reads', async () => {
		// As the import scope check does, once per import, on one connection.
		for (const round of [1, 2, 3]) {
			await store.db.connection().execute(async (conn) => {
				await sql`CREATE OR REPLACE TEMP TABLE made_t AS
					SELECT CAST(unnest(string_split(${'1,2'}, ',')) AS INTEGER) AS id`.execute(conn);
				const { rows } = await sql<{ n: number }>`SELECT count(*) AS n FROM range(3) r(i)
					WHERE EXISTS (SELECT 1 FROM range(3) x(j) JOIN made_t a ON a.id = x.j
						WHERE x.j = r.i)`.execute(conn);
				expect(rows, `round ${round}`).toEqual([{ n: 2 }]);
				await sql`DROP TABLE made_t`.execute(conn);
			});
		}
	});

	it('runs the same parametrised text with other values, and after one of them failed', async () => {
		const half = (n: number) =>
			sql<{ q: number }>`SELECT CAST(10 // ${n} AS INTEGER) AS q`
				.execute(store.db)
				.then((r) => r.rows[0].q);
		expect(await half(2)).toBe(5);
		await expect(sql`SELECT CAST(${'x'} AS INTEGER) AS q`.execute(store.db)).rejects.toThrow(
			/Conversion|convert/i
		);
		expect(
			await sql<{ q: number }>`SELECT CAST(${'7'} AS INTEGER) AS q`
				.execute(store.db)
				.then((r) => r.rows[0].q)
		).toBe(7);
		expect(await half(5)).toBe(2);
	});

	it('keeps at most 64 statements a connection, and still answers each text asked again', async () => {
		const texts = Array.from({ length: 70 }, (_, i) => i);
		for (const i of texts) {
			const { rows } = await sql<{ v: number }>`SELECT ${i} + ${sql.lit(i)} AS v`.execute(store.db);
			expect(rows[0].v).toBe(2 * i);
		}
		const { rows } = await sql<{ v: number }>`SELECT ${1} + ${sql.lit(0)} AS v`.execute(store.db);
		expect(rows[0].v).toBe(1);
	});
});
