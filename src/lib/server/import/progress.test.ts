import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PROCEDURES_CSV, tempStore, UNITS_CSV, type TempStore } from '../testing/fixtures';
import type { ImportProgress } from './progress';
import { importFile } from './run';

let store: TempStore;
beforeEach(async () => {
	store = await tempStore('kpi-progress-');
	await importFile(store.db, 'units', store.file('u.csv', UNITS_CSV));
	await importFile(store.db, 'procedures', store.file('p.csv', PROCEDURES_CSV));
});
afterEach(() => store.dispose());

const HEADER = 'dossier_code,procedure_code,unit_code,channel,received_at';

describe('an import’s progress', () => {
	it('gives the rows once read, a share of each phase that never goes back, and all rows done at the end', async () => {
		const rows = Array.from({ length: 20_000 }, (_, i) => `D${i},1.001193,18100,online,2024-10-01`);
		const reports: ImportProgress[] = [];
		const result = await importFile(
			store.db,
			'dossiers',
			store.file('d.csv', `${HEADER}\n${rows.join('\n')}\n`),
			{ onProgress: (p) => reports.push(p) }
		);
		expect(result.inserted).toBe(20_000);
		for (const phase of ['validating', 'committing'] as const) {
			const fractions = reports.filter((r) => r.status === phase).map((r) => r.fraction);
			expect(fractions.length, phase).toBeGreaterThan(2);
			expect(fractions).toEqual([...fractions].sort((a, b) => a - b));
			expect(fractions.at(-1), phase).toBe(1);
		}
		expect(reports.find((r) => r.rowsTotal > 0)?.status).toBe('validating');
		expect(reports.at(-1)).toMatchObject({
			status: 'committing',
			fraction: 1,
			rowsTotal: 20_000,
			rowsDone: 20_000
		});
		expect(reports.every((r) => r.rowsDone === Math.round(r.fraction * r.rowsTotal))).toBe(true);
	});
});
