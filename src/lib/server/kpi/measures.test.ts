import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dataVersion } from '../db/cache';
import { importFile } from '../import/run';
import { PROCEDURES_CSV, tempStore, UNITS_CSV, type TempStore } from '../testing/fixtures';
import { kpiReport } from './report';

let store: TempStore;
const JUNE = { from: '2025-06-01', to: '2025-06-30' };

const dossiers = (codes: string[], channel: string) =>
	'dossier_code,procedure_code,unit_code,channel,received_at\n' +
	codes.map((code) => `${code},1.001193,18100,${channel},2025-06-10 09:00\n`).join('');

beforeAll(async () => {
	store = await tempStore('kpi-measures-');
	await importFile(store.db, 'units', store.file('u.csv', UNITS_CSV));
	await importFile(store.db, 'procedures', store.file('p.csv', PROCEDURES_CSV));
	await importFile(store.db, 'dossiers', store.file('a.csv', dossiers(['A1', 'A2'], 'online')));
});
afterAll(() => store.dispose());

describe('the sums a page reads, remembered per data version', () => {
	it('answers a request of a version from memory, and the next import with the new dossiers', async () => {
		const before = await dataVersion(store.db);
		const first = await kpiReport(store.db, '443', JUNE, before);
		expect(first.kpis.online_submission_rate).toMatchObject({ numerator: 2, denominator: 2 });
		await importFile(store.db, 'dossiers', store.file('b.csv', dossiers(['B1', 'B2'], 'direct')));
		const after = await dataVersion(store.db);
		expect(after).not.toBe(before);
		const second = await kpiReport(store.db, '443', JUNE, after);
		expect(second.kpis.online_submission_rate).toMatchObject({ numerator: 2, denominator: 4 });
		expect(
			second.children.find((c) => c.unit.code === '18100')!.kpis.online_submission_rate
		).toMatchObject({
			numerator: 2,
			denominator: 4
		});
		// A request that looked the version up before the import keeps one consistent answer.
		const stale = await kpiReport(store.db, '443', JUNE, before);
		expect(stale.kpis.online_submission_rate).toMatchObject({ numerator: 2, denominator: 2 });
	});
});
