import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../store';
import { tempStore, UNITS_CSV } from '../testing/fixtures';
import { INTERRUPTED } from './batches';
import { importFile } from './run';

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('an import interrupted by a kill', () => {
	it('is marked failed (interrupted) when the database file is opened again, and a finished one is left alone', async () => {
		dir = mkdtempSync(path.join(tmpdir(), 'kpi-batches-'));
		const file = path.join(dir, 'kpi.duckdb');
		const first = await openStore(file);
		const batch = (file_name: string, status: 'running' | 'done') => ({
			kind: 'dossiers' as const,
			file_name,
			file_size: 10,
			sha256: 'ab',
			format: 'csv',
			status,
			started_at: '2026-11-02T08:00:00'
		});
		await first.db
			.insertInto('import_batches')
			.values([batch('thang-10.csv', 'running'), batch('thang-09.csv', 'done')] as never)
			.execute();
		await first.close();
		const second = await openStore(file);
		try {
			const rows = await second.db
				.selectFrom('import_batches')
				.select(['file_name', 'status', 'message', 'finished_at'])
				.orderBy('id')
				.execute();
			expect(rows).toEqual([
				{ file_name: 'thang-10.csv', status: 'failed', message: INTERRUPTED, finished_at: null },
				{ file_name: 'thang-09.csv', status: 'done', message: null, finished_at: null }
			]);
		} finally {
			await second.close();
		}
	});
});

describe('an import from a file (the CLI)', () => {
	it('notes the file’s SHA-256 and the earlier done import of the same file, done or rejected', async () => {
		const store = await tempStore('kpi-hash-');
		dir = store.dir;
		try {
			const units = store.file('units.csv', UNITS_CSV);
			const bad = store.file('bad.csv', 'code,name,level\n42,,province\n');
			const first = await importFile(store.db, 'units', units);
			const again = await importFile(store.db, 'units', units);
			await expect(importFile(store.db, 'units', bad)).rejects.toThrow();
			const sha = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');
			const rows = await store.db
				.selectFrom('import_batches')
				.select(['id', 'status', 'sha256', 'duplicate_of'])
				.orderBy('id')
				.execute();
			expect(rows).toEqual([
				{ id: first.batchId, status: 'done', sha256: sha(units), duplicate_of: null },
				{ id: again.batchId, status: 'done', sha256: sha(units), duplicate_of: first.batchId },
				{ id: again.batchId + 1, status: 'failed', sha256: sha(bad), duplicate_of: null }
			]);
		} finally {
			await store.close();
		}
	});
});
