import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { openDatabase as openStore } from '.';

const root = mkdtempSync(path.join(tmpdir(), 'kpi-files-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const mode = (file: string) => statSync(file).mode & 0o777;

describe('the database files', () => {
	it('creates the folder, the file and its WAL readable by the owner only', async () => {
		const file = path.join(root, 'new', 'kpi.duckdb');
		const store = await openStore(file);
		try {
			await sql`CREATE TABLE t AS SELECT range AS n FROM range(10)`.execute(store.db);
			expect(mode(path.dirname(file))).toBe(0o700);
			expect(mode(file)).toBe(0o600);
			expect(mode(`${file}.wal`)).toBe(0o600);
		} finally {
			await store.close();
		}
	});

	it('closes up a database file an older version left readable by everyone', async () => {
		const file = path.join(root, 'old.duckdb');
		const first = await openStore(file);
		await first.close();
		const { chmodSync } = await import('node:fs');
		chmodSync(file, 0o644);
		writeFileSync(`${file}.note`, '');
		const store = await openStore(file);
		await store.close();
		expect(mode(file)).toBe(0o600);
	});

	it('spills a query too big for the memory limit into a folder only the owner can enter', async () => {
		const file = path.join(root, 'spill.duckdb');
		process.env.DUCKDB_MEMORY_LIMIT = '64MB';
		const store = await openStore(file);
		delete process.env.DUCKDB_MEMORY_LIMIT;
		try {
			// One thread: the fewest blocks pinned at once, so the sort spills rather than fails.
			await sql`SET preserve_insertion_order = false; SET threads = 1`.execute(store.db);
			const { rows } = await sql<{ n: number }>`SELECT count(*)::INTEGER AS n FROM (
				SELECT range AS k, md5(range::VARCHAR) AS v FROM range(3000000) ORDER BY v)`.execute(store.db);
			expect(rows[0].n).toBe(3_000_000);
			expect(mode(`${file}.tmp`)).toBe(0o700);
		} finally {
			await store.close();
		}
	});
});
