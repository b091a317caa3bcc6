import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../import/run';
import { tempStore, type TempStore } from '../testing/fixtures';
import { agencyMatch, unitCodeByAgency } from './agency';

let store: TempStore;
beforeAll(async () => {
	store = await tempStore('kpi-agency-lookup-');
	// 000.00.27.H28 is Can Lộc district until 30/06/2025, then the new commune coded 18100.
	await importFile(
		store.db,
		'units',
		store.file(
			'u.csv',
			`code,name,level,parent_code,valid_from,valid_to,agency_code
42,Tỉnh Hà Tĩnh,province,,,,000.00.00.H28
443,Huyện Can Lộc,district,42,,2025-06-30,000.00.27.H28
18100,Xã Thượng Lộc,commune,443,,2025-06-30,000.20.27.H28
18100,Xã Đồng Lộc,commune,42,2025-07-01,,000.00.27.H28
`
		)
	);
	await sql`CREATE TABLE dossiers_in AS SELECT * FROM (VALUES
		(1, '000.00.27.H28', DATE '2025-06-30'),
		(2, '000.00.27.H28', DATE '2025-07-01'),
		(3, ' 000.20.27.h28 ', DATE '2024-03-01'),
		(4, '000.20.27.H28', DATE '2025-07-01'),
		(5, '000.99.99.H28', DATE '2024-03-01'),
		(6, NULL, DATE '2024-03-01'),
		(7, '000.00.00.H28', DATE '2026-11-30')
	) t(n, agency, day)`.execute(store.db);
});
afterAll(() => store.dispose());

const EXPECTED = [
	{ n: 1, code: '443' },
	{ n: 2, code: '18100' },
	{ n: 3, code: '18100' },
	{ n: 4, code: null },
	{ n: 5, code: null },
	{ n: 6, code: null },
	{ n: 7, code: '42' }
];

describe('finding a unit by its agency code', () => {
	it('picks the unit whose version valid on the day has the code, and none when no version that day has it', async () => {
		const { rows } = await sql<{ n: number; code: string | null }>`SELECT n,
				${unitCodeByAgency(sql.ref('d.agency'), sql.ref('d.day'))} AS code
			FROM dossiers_in d ORDER BY n`.execute(store.db);
		expect(rows).toEqual(EXPECTED);
	});

	it('gives the same answer as a join condition', async () => {
		const { rows } = await sql<{ n: number; code: string | null }>`SELECT d.n, u.code
			FROM dossiers_in d
			LEFT JOIN unit_versions u ON ${agencyMatch('u', sql.ref('d.agency'), sql.ref('d.day'))}
			ORDER BY d.n`.execute(store.db);
		expect(rows).toEqual(EXPECTED);
	});
});
