/**
 * A unit after it ended (issue 12), on a small reorganisation built so the answers are known:
 * Huyện Can Lộc's three communes became two new communes on 1 July 2025 (one under the reused
 * code 18100), and Huyện Nghi Xuân's one commune became one new commune. Where `/` sends each
 * user, the default period of a unit whose data stop early, the links between ended units and
 * their successors within the scope, and the comparison of a district's successors.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../domain/types';
import { OutOfScope } from '../auth/scope';
import { importFile } from '../import/run';
import { tempStore, urlState, viewState, type TempStore } from '../testing/fixtures';
import { COMPARE } from '../../domain/url-params';
import { defaultPeriod, landingPath, unitContext } from './context';
import { successorsView } from './successors';

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

const PROCEDURES = `code,name,level,online_level,has_fee,online_payment
1.001193,Đăng ký khai sinh,commune,full,false,false
`;

/**
 * June 2025: 2 at Xã Thượng Lộc, 1 at Xã Sơn Lộc (the last of Can Lộc, on the 20th). July: 1 at
 * Xã Xuân Lộc (online). August: 2 at Xã Đồng Lộc (1 online), the last of Can Lộc's successors.
 * September: 1 at the new Xã Xuân Hội, the last dossier of the province.
 */
const DOSSIERS = `dossier_code,procedure_code,unit_code,channel,received_at
J1,1.001193,18100,online,2025-06-10 09:00
J2,1.001193,18100,direct,2025-06-11 09:00
J3,1.001193,18102,online,2025-06-20 09:00
L1,1.001193,18110,online,2025-07-15 09:00
A1,1.001193,18100,online,2025-08-05 09:00
A2,1.001193,18100,direct,2025-08-06 09:00
S1,1.001193,18300,online,2025-09-12 09:00
`;

const head = (unitCode: string): Principal => ({ username: 'h', role: 'unit_head', unitCode });
const admin: Principal = { username: 'admin', role: 'admin', unitCode: '42' };
const canLocHead = head('443');
const TODAY = '2026-12-01';
const JUNE = 'from=2025-06-01&to=2025-06-30';
const AUGUST = 'from=2025-08-01&to=2025-08-31';

let store: TempStore;
const db = () => store.db;
const names = (units: { name: string }[]) => units.map((u) => u.name);
const successors = (principal: Principal, code: string, query = '') =>
	successorsView(db(), principal, code, viewState(query), urlState(COMPARE, query), TODAY);

beforeAll(async () => {
	store = await tempStore('kpi-successors-');
	await importFile(store.db, 'units', store.file('units.csv', UNITS));
	for (const [newCode, oldCode] of LINEAGE) {
		await store.db
			.insertInto('unit_lineage')
			.values({ new_code: newCode, old_code: oldCode, changed_on: '2025-07-01', partial: false })
			.execute();
	}
	await importFile(store.db, 'procedures', store.file('procedures.csv', PROCEDURES));
	await importFile(store.db, 'dossiers', store.file('dossiers.csv', DOSSIERS));
});
afterAll(() => store?.dispose());

describe('where / sends a user', () => {
	it('sends the head of a dissolved district to the comparison of the communes it became', async () => {
		expect(await landingPath(db(), canLocHead, TODAY)).toBe('/u/443/successors');
	});

	it('sends the head of a unit that became one unit to that unit', async () => {
		expect(await landingPath(db(), head('442'), TODAY)).toBe('/u/18300');
		expect(await landingPath(db(), head('18102'), TODAY)).toBe('/u/18110');
	});

	it('sends a user whose unit has not ended to its overview', async () => {
		expect(await landingPath(db(), admin, TODAY)).toBe('/u/42');
		expect(await landingPath(db(), head('18110'), TODAY)).toBe('/u/18110');
		expect(await landingPath(db(), canLocHead, '2025-06-15')).toBe('/u/443');
	});
});

describe('the default period of a unit page', () => {
	it('is the latest month with data of the unit itself, not of the whole store', async () => {
		expect(await defaultPeriod(db(), admin, '18110')).toEqual({
			from: '2025-07-01',
			to: '2025-07-31'
		});
		expect(await defaultPeriod(db(), admin, '42')).toEqual({
			from: '2025-09-01',
			to: '2025-09-30'
		});
	});

	it("is an ended unit's last month with data", async () => {
		expect(await defaultPeriod(db(), canLocHead, '443')).toEqual({
			from: '2025-06-01',
			to: '2025-06-30'
		});
	});
});

describe('the links between an ended unit and its successors', () => {
	it('lead from a dissolved district to the communes it became, and say when', async () => {
		const { lineage } = await unitContext(db(), canLocHead, '443', viewState(JUNE));
		expect(names(lineage.successors)).toEqual(['Xã Đồng Lộc', 'Xã Xuân Lộc']);
		expect(lineage.successors.map((s) => [s.code, s.valid_from])).toEqual([
			['18100', '2025-07-01'],
			['18110', '2025-07-01']
		]);
		expect(lineage.predecessors).toEqual([]);
		expect(lineage.changedOn).toBe('2025-07-01');
	});

	it('lead from an old commune to the new commune it was merged into', async () => {
		const { lineage } = await unitContext(db(), canLocHead, '18101', viewState(JUNE));
		expect(names(lineage.successors)).toEqual(['Xã Đồng Lộc']);
	});

	it('lead back from a new commune to the old communes it was formed from', async () => {
		const { lineage } = await unitContext(db(), canLocHead, '18100', viewState(AUGUST));
		expect(names(lineage.predecessors)).toEqual(['Xã Mỹ Lộc', 'Xã Thượng Lộc']);
		expect(lineage.predecessors.map((p) => p.valid_to)).toEqual(['2025-06-30', '2025-06-30']);
		expect(lineage.successors).toEqual([]);
	});

	it('name only the units the user may see', async () => {
		// The head of old Xã Mỹ Lộc sees the commune it became, not its other predecessor.
		const { lineage } = await unitContext(db(), head('18101'), '18100', viewState(AUGUST));
		expect(names(lineage.predecessors)).toEqual(['Xã Mỹ Lộc']);
	});
});

describe("the comparison of a dissolved district's successors", () => {
	it('opens on the latest month with data of the successors, with each of them', async () => {
		const view = await successors(canLocHead, '443');
		expect(view.ended).toBe(true);
		expect(view.unit).toMatchObject({ code: '443', name: 'Huyện Can Lộc', valid_to: '2025-06-30' });
		expect(view.period).toEqual({ from: '2025-08-01', to: '2025-08-31' });
		expect(view.dataRange).toEqual({ from: '2025-07-15', to: '2025-08-06' });
		expect(view.periodHasData).toBe(true);
		expect(view.dataUntil).toBe('2025-08-06');
		const rows = view.compared.children.map((c) => [
			c.unit.name,
			c.kpis.online_submission_rate.numerator,
			c.kpis.online_submission_rate.denominator,
			c.rank
		]);
		expect(rows).toEqual([
			['Xã Đồng Lộc', 1, 2, 1],
			['Xã Xuân Lộc', 0, 0, null]
		]);
	});

	it('puts them on the map of the province', async () => {
		const view = await successors(canLocHead, '443', 'from=2025-07-01&to=2025-07-31');
		expect(view.map?.polygons).toBe('ha-tinh-communes-2025.geojson');
		expect(view.map?.communes.map((c) => [c.code, c.numerator, c.denominator])).toEqual([
			['18110', 1, 1],
			['18100', 0, 0]
		]);
		expect(view.dataUntil).toBeNull();
	});

	it('compares none of them in a period before they were formed', async () => {
		const view = await successors(canLocHead, '443', JUNE);
		expect(names(view.successors)).toEqual(['Xã Đồng Lộc', 'Xã Xuân Lộc']);
		expect(view.compared.children).toEqual([]);
		expect(view.map).toBeNull();
	});

	it('says a unit that has not ended has none, and refuses a unit outside the scope', async () => {
		const view = await successors(admin, '42');
		expect(view.ended).toBe(false);
		expect(view.successors).toEqual([]);
		await expect(successors(canLocHead, '42')).rejects.toBeInstanceOf(OutOfScope);
		await expect(successors(canLocHead, '442')).rejects.toBeInstanceOf(OutOfScope);
	});
});
