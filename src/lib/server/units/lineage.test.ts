/**
 * What a unit version became and was formed from (issue 12), on a small reorganisation built so
 * the answers are known: Huyện Can Lộc's three communes became two new communes on 1 July 2025,
 * one of them under a reused code (18100), and a neighbouring district's commune became a third.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../import/run';
import { tempStore, type TempStore } from '../testing/fixtures';
import { newestVersion, predecessorsOf, successorsOf } from './lineage';
import { resolveUnit } from './versions';

const UNITS = `code,name,level,parent_code,valid_from,valid_to
42,Tỉnh Hà Tĩnh,province,,,
443,Huyện Can Lộc,district,42,,2025-06-30
18100,Xã Thượng Lộc,commune,443,,2025-06-30
18101,Xã Mỹ Lộc,commune,443,,2025-06-30
18102,Xã Sơn Lộc,commune,443,,2025-06-30
442,Huyện Nghi Xuân,district,42,,2025-06-30
18300,Xã Xuân Hội,commune,442,,2025-06-30
18100,Xã Đồng Lộc,commune,42,2025-07-01,
18110,Xã Xuân Lộc,commune,42,2025-07-01,
18300,Xã Xuân Hội,commune,42,2025-07-01,
`;

const LINEAGE = [
	['18100', '18100'],
	['18100', '18101'],
	['18110', '18102'],
	['18300', '18300']
];

let store: TempStore;
const JUNE = { from: '2025-06-01', to: '2025-06-30' };
const AUGUST = { from: '2025-08-01', to: '2025-08-31' };
const version = async (code: string, period = JUNE) =>
	(await resolveUnit(store.db, code, period)).id;
const names = (links: { name: string }[]) => links.map((l) => l.name);

beforeAll(async () => {
	store = await tempStore('kpi-lineage-');
	await importFile(store.db, 'units', store.file('units.csv', UNITS));
	for (const [newCode, oldCode] of LINEAGE) {
		await store.db
			.insertInto('unit_lineage')
			.values({ new_code: newCode, old_code: oldCode, changed_on: '2025-07-01', partial: false })
			.execute();
	}
});
afterAll(() => store?.dispose());

describe('the successors of a unit version', () => {
	it('of a district are the new communes its communes went into, each once, by name', async () => {
		const successors = await successorsOf(store.db, await version('443'));
		expect(names(successors)).toEqual(['Xã Đồng Lộc', 'Xã Xuân Lộc']);
		expect(successors.map((s) => [s.code, s.valid_from, s.valid_to, s.changed_on])).toEqual([
			['18100', '2025-07-01', null, '2025-07-01'],
			['18110', '2025-07-01', null, '2025-07-01']
		]);
	});

	it('of an old commune is the new commune it was merged into, under its own code or another', async () => {
		expect(names(await successorsOf(store.db, await version('18101')))).toEqual(['Xã Đồng Lộc']);
		expect(names(await successorsOf(store.db, await version('18100')))).toEqual(['Xã Đồng Lộc']);
	});

	it('of a unit that did not end is empty', async () => {
		expect(await successorsOf(store.db, await version('18100', AUGUST))).toEqual([]);
		expect(await successorsOf(store.db, await version('42'))).toEqual([]);
	});
});

describe('the predecessors of a unit version', () => {
	it('of a new commune are the old communes it was formed from, by name', async () => {
		const predecessors = await predecessorsOf(store.db, await version('18100', AUGUST));
		expect(predecessors.map((p) => [p.code, p.name, p.valid_to])).toEqual([
			['18101', 'Xã Mỹ Lộc', '2025-06-30'],
			['18100', 'Xã Thượng Lộc', '2025-06-30']
		]);
	});

	it('of an old commune are none', async () => {
		expect(await predecessorsOf(store.db, await version('18101'))).toEqual([]);
	});
});

describe('the newest version of a code', () => {
	it('is the newest one the test lets through', async () => {
		const old = await version('18100');
		expect((await newestVersion(store.db, '18100', () => true))?.name).toBe('Xã Đồng Lộc');
		expect((await newestVersion(store.db, '18100', (id) => id === old))?.name).toBe(
			'Xã Thượng Lộc'
		);
		expect(await newestVersion(store.db, '18100', () => false)).toBeNull();
	});
});
