import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../store';
import { INTERRUPTED } from './batches';

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
