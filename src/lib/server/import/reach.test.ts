import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PROCEDURES_CSV, tempStore, UNITS_CSV, type TempStore } from '../testing/fixtures';
import { importFile } from './run';

let store: TempStore;
beforeEach(async () => {
	store = await tempStore('kpi-reach-');
	await importFile(store.db, 'units', store.file('u.csv', UNITS_CSV));
	await importFile(store.db, 'procedures', store.file('p.csv', PROCEDURES_CSV));
});
afterEach(() => store.dispose());

const HEADER = 'dossier_code,procedure_code,unit_code,channel,received_at';

async function versionsOf(code: string): Promise<number[]> {
	const { rows } = await sql<{ id: number }>`SELECT c.descendant_id AS id FROM unit_versions u
		JOIN unit_closure c ON c.ancestor_id = u.id WHERE u.code = ${code}`.execute(store.db);
	return rows.map((r) => r.id);
}

describe('an upload kept within its uploader’s scope', () => {
	it('imports the dossiers of its district, the same file twice', async () => {
		const canLoc = await versionsOf('443');
		const file = store.file('d.csv', `${HEADER}\nD1,1.001193,18100,online,2024-10-01 08:00\n`);
		const first = await importFile(store.db, 'dossiers', file, { allowedUnits: canLoc });
		const again = await importFile(store.db, 'dossiers', file, { allowedUnits: canLoc });
		expect([first.inserted, again.unchanged]).toEqual([1, 1]);
	});

	it('rejects a file that reaches a unit outside the scope, naming it, and changes nothing', async () => {
		const canLoc = await versionsOf('443');
		const before = await store.snapshot('dossiers', 'dossier_code');
		const file = store.file(
			'd.csv',
			`${HEADER}\nD1,1.001193,18100,online,2024-10-01 08:00\nD2,1.001193,18100,online,2025-08-01 08:00\n`
		);
		await expect(importFile(store.db, 'dossiers', file, { allowedUnits: canLoc })).rejects.toThrow(
			'd.csv: this file changes 1 unit outside your scope, for example 18100 (Xã Đồng Lộc); import only your units, or ask a reform team whose scope holds them'
		);
		expect(await store.snapshot('dossiers', 'dossier_code')).toEqual(before);
	});

	it('rejects procedures without an owner from a scope below the province, and takes them from the province', async () => {
		const file = store.file(
			'p.csv',
			`${PROCEDURES_CSV.split('\n')[0]}\n1.000002,Thủ tục chung,commune,,full,false,false,,true\n1.000003,Thủ tục của huyện,district,,full,false,false,443,true\n`
		);
		await expect(
			importFile(store.db, 'procedures', file, { allowedUnits: await versionsOf('443') })
		).rejects.toThrow(
			'p.csv: 1 row applies to the whole province (no unit_code), beyond your scope; only a reform team of the province or an administrator may import them'
		);
		const province = await importFile(store.db, 'procedures', file, {
			allowedUnits: await versionsOf('42')
		});
		expect(province.inserted).toBe(2);
	});
});
