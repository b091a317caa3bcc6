/**
 * The data page's figures on a small Hà Tĩnh whose counts are known: the last imports with their
 * counts, dossiers per month with the empty months, and the units that received nothing in the
 * latest month of data, within the principal's scope.
 */
import type { DateRange } from '../../domain/periods';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../domain/types';
import { latestDay } from './context';
import { importFile } from '../import/run';
import { resolveUnit } from '../units/versions';
import { tempStore, type TempStore } from '../testing/fixtures';
import {
	dataFreshness,
	dataRange,
	dataUntil,
	dossiersPerMonth,
	hasDataIn,
	recentImports,
	unitsWithoutDossiers
} from './freshness';

/** Two districts until 30/06/2025, then three communes directly under the province. */
const UNITS = `code,name,level,parent_code,valid_from,valid_to
42,Tỉnh Hà Tĩnh,province,,,
42-STP,Sở Tư pháp,department,42,,
443,Huyện Can Lộc,district,42,,2025-06-30
18406,Thị trấn Nghèn,commune,443,,2025-06-30
18415,Xã Thiên Lộc,commune,443,,2025-06-30
18481,Xã Quang Lộc,commune,443,,2025-06-30
442,Huyện Nghi Xuân,district,42,,2025-06-30
18300,Xã Xuân Hội,commune,442,,2025-06-30
18310,Xã Xuân Viên,commune,442,,2025-06-30
18406,Xã Can Lộc,commune,42,2025-07-01,
18481,Xã Xuân Lộc,commune,42,2025-07-01,
18310,Xã Nghi Xuân,commune,42,2025-07-01,
`;

const LINEAGE: [newCode: string, oldCode: string, partial: boolean][] = [
	['18406', '18406', false],
	['18406', '18415', false],
	['18481', '18481', false],
	['18481', '18300', true],
	['18310', '18300', true],
	['18310', '18310', false]
];

const PROCEDURES = `code,name,level,online_level,has_fee,online_payment
1.001193,Đăng ký khai sinh,commune,full,false,false
`;

const HEADER = 'dossier_code,procedure_code,unit_code,channel,received_at';

const lines = (prefix: string, unit: string, day: string, count: number) =>
	Array.from({ length: count }, (_, i) => `${prefix}${i},1.001193,${unit},online,${day}`);

/**
 * May 2025: 1 at the department. June: 2 at Thị trấn Nghèn, 1 at Xã Xuân Hội. July: none.
 * August: 5 at Xã Can Lộc, 4 at Xã Xuân Lộc, 3 at the department. September (the latest month):
 * 1 at Xã Can Lộc, received on the 12th, late in the evening.
 */
const SUMMER = [
	HEADER,
	...lines('M', '42-STP', '2025-05-20 10:00', 1),
	...lines('J', '18406', '2025-06-10 09:00', 2),
	...lines('X', '18300', '2025-06-12 09:00', 1),
	...lines('A', '18406', '2025-08-05 09:00', 5),
	...lines('B', '18481', '2025-08-06 09:00', 4),
	...lines('S', '42-STP', '2025-08-08 09:00', 3),
	...lines('T', '18406', '2025-09-12 23:30', 1)
].join('\n');

/** Seen again: one August dossier now completed, one unchanged, one new one in September. */
const CORRECTION = [
	`${HEADER},completed_at`,
	'A0,1.001193,18406,online,2025-08-05 09:00,2025-08-07 10:00',
	'A1,1.001193,18406,online,2025-08-05 09:00,',
	'T1,1.001193,18406,direct,2025-09-12 08:00,'
].join('\n');

const reformTeam: Principal = { username: 'noivu', role: 'reform_team', unitCode: '42' };
const canLocHead: Principal = { username: 'canloc', role: 'unit_head', unitCode: '443' };
const JUNE: DateRange = { from: '2025-06-01', to: '2025-06-30' };
const SEPTEMBER: DateRange = { from: '2025-09-01', to: '2025-09-30' };

let store: TempStore;
const db = () => store.db;
const unit = (code: string, period: DateRange) => resolveUnit(db(), code, period);

beforeAll(async () => {
	store = await tempStore('kpi-freshness-');
	await importFile(store.db, 'units', store.file('units.csv', UNITS));
	for (const [newCode, oldCode, partial] of LINEAGE) {
		await store.db
			.insertInto('unit_lineage')
			.values({ new_code: newCode, old_code: oldCode, changed_on: '2025-07-01', partial })
			.execute();
	}
	await importFile(store.db, 'procedures', store.file('procedures.csv', PROCEDURES));
	await importFile(store.db, 'dossiers', store.file('summer.csv', SUMMER));
	await importFile(store.db, 'dossiers', store.file('correction.csv', CORRECTION));
});

afterAll(() => store?.dispose());

describe('the last imports', () => {
	it('lists the newest first, with the counts of each', async () => {
		const imports = await recentImports(db(), reformTeam);
		expect(
			imports.map((i) => [
				i.kind,
				i.file_name,
				i.status,
				i.rows_total,
				i.inserted,
				i.updated,
				i.unchanged
			])
		).toEqual([
			['dossiers', 'correction.csv', 'done', 3, 1, 1, 1],
			['dossiers', 'summer.csv', 'done', 17, 17, 0, 0],
			['procedures', 'procedures.csv', 'done', 1, 1, 0, 0],
			['units', 'units.csv', 'done', 12, 12, 0, 0]
		]);
		expect(imports[0].finished_at).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$/);
	});

	it('stops at the number asked for', async () => {
		expect((await recentImports(db(), reformTeam, 2)).map((i) => i.file_name)).toEqual([
			'correction.csv',
			'summer.csv'
		]);
	});
});

describe('dossiers received per month', () => {
	it('counts the whole subtree of the province, the empty July included', async () => {
		const province = await unit('42', SEPTEMBER);
		expect(await dossiersPerMonth(db(), province, '2025-09-12')).toEqual([
			{ month: '2025-05', dossiers: 1 },
			{ month: '2025-06', dossiers: 3 },
			{ month: '2025-07', dossiers: 0 },
			{ month: '2025-08', dossiers: 12 },
			{ month: '2025-09', dossiers: 2 }
		]);
	});

	it("stops at a dissolved district's last month and starts at the store's first", async () => {
		const district = await unit('443', JUNE);
		expect(await dossiersPerMonth(db(), district, '2025-09-12')).toEqual([
			{ month: '2025-05', dossiers: 0 },
			{ month: '2025-06', dossiers: 2 }
		]);
	});

	it('ends at the month of tomorrow in Vietnam, whatever last data day it is given', async () => {
		const province = await unit('42', SEPTEMBER);
		const months = await dossiersPerMonth(db(), province, '9999-12-31', '2025-09-30');
		expect(months.map((m) => m.month)).toEqual([
			'2025-05',
			'2025-06',
			'2025-07',
			'2025-08',
			'2025-09',
			'2025-10'
		]);
	});

	it('starts at the month a new commune was formed', async () => {
		const commune = await unit('18481', SEPTEMBER);
		expect(await dossiersPerMonth(db(), commune, '2025-09-12')).toEqual([
			{ month: '2025-07', dossiers: 0 },
			{ month: '2025-08', dossiers: 4 },
			{ month: '2025-09', dossiers: 0 }
		]);
	});
});

describe('units without dossiers in the latest month', () => {
	it('takes the month of the last dossier received', async () => {
		expect(await latestDay(db())).toBe('2025-09-12');
		const freshness = await dataFreshness(db(), reformTeam, await unit('42', JUNE), '2025-09-12');
		expect(freshness.latestMonth).toBe('2025-09');
	});

	it('lists the units valid in that month whose subtree received nothing', async () => {
		const province = await unit('42', SEPTEMBER);
		expect(
			(await unitsWithoutDossiers(db(), reformTeam, province, '2025-09')).map((u) => u.name)
		).toEqual(['Sở Tư pháp', 'Xã Nghi Xuân', 'Xã Xuân Lộc']);
	});

	it('lists units of the past for a past month, the province not among them', async () => {
		const province = await unit('42', JUNE);
		expect(
			(await unitsWithoutDossiers(db(), reformTeam, province, '2025-06')).map((u) => u.name)
		).toEqual(['Sở Tư pháp', 'Xã Quang Lộc', 'Xã Thiên Lộc', 'Xã Xuân Viên']);
	});

	it('leaves out the units outside the scope', async () => {
		const province = await unit('42', SEPTEMBER);
		expect(
			(await unitsWithoutDossiers(db(), canLocHead, province, '2025-09')).map((u) => u.code)
		).toEqual(['18481']);
	});

	it('says a dissolved district has no units in that month, rather than none silent', async () => {
		const freshness = await dataFreshness(db(), canLocHead, await unit('443', JUNE), '2025-09-12');
		expect(freshness.latestMonth).toBe('2025-09');
		expect(freshness.unitInLatestMonth).toBe(false);
		expect(freshness.silentUnits).toEqual([]);
		expect(freshness.perMonth.map((m) => m.dossiers)).toEqual([0, 2]);
		// The procedures import touched no unit (no owner): a unit head does not see it.
		expect(freshness.imports.map((i) => i.file_name)).toEqual([
			'correction.csv',
			'summer.csv',
			'units.csv'
		]);
	});

	it('gathers the page for a new commune', async () => {
		const freshness = await dataFreshness(
			db(),
			canLocHead,
			await unit('18481', SEPTEMBER),
			'2025-09-12'
		);
		expect(freshness.unitInLatestMonth).toBe(true);
		expect(freshness.silentUnits).toEqual([
			{ code: '18481', name: 'Xã Xuân Lộc', level: 'commune' }
		]);
	});
});

describe('the last imports within the scope', () => {
	const leader: Principal = { username: 'lanhdao', role: 'leader', unitCode: '42' };
	const admin: Principal = { username: 'admin', role: 'admin', unitCode: '42' };
	const names = async (principal: Principal) =>
		(await recentImports(db(), principal, 20)).map((i) => i.file_name);

	beforeAll(async () => {
		// After every test above: these imports add no dossier before September's last day.
		await importFile(
			store.db,
			'dossiers',
			store.file('nghi-xuan.csv', `${HEADER}\nNX1,1.001193,18310,online,2025-09-03 08:00\n`),
			{ name: '/srv/kpi/uploads/thang-09-nghi-xuan.csv' }
		);
		await importFile(
			store.db,
			'procedures',
			store.file(
				'stp.csv',
				'code,name,level,online_level,has_fee,unit_code\n2.000488,Cấp Phiếu lý lịch tư pháp,province,partial,true,42-STP\n'
			),
			{ name: 'C:\\Users\\lan\\Desktop\\thu-tuc-stp.csv' }
		);
		await importFile(
			store.db,
			'targets',
			store.file(
				'targets.csv',
				'campaign,starts_on,ends_on,unit_code,kpi,level,target\nCao điểm 2025,2025-05-01,2025-09-30,42,online_submission_rate,commune,70%\n'
			)
		);
		await importFile(
			store.db,
			'dossiers',
			store.file('bad.csv', `${HEADER}\nZ1,9.999999,18406,online,2025-09-03\n`)
		).catch(() => {});
	});

	it('shows a unit head the imports of its units and of campaigns above them, by file name only', async () => {
		expect(await names(canLocHead)).toEqual([
			'targets.csv',
			'correction.csv',
			'summer.csv',
			'units.csv'
		]);
	});

	it('shows a leader of the province every import that touched a unit, but no failed one', async () => {
		expect(await names(leader)).toEqual([
			'targets.csv',
			'thu-tuc-stp.csv',
			'thang-09-nghi-xuan.csv',
			'correction.csv',
			'summer.csv',
			'units.csv'
		]);
	});

	it('shows the reform team and the admin the failed import and the catalogue without owners too', async () => {
		const all = [
			'bad.csv',
			'targets.csv',
			'thu-tuc-stp.csv',
			'thang-09-nghi-xuan.csv',
			'correction.csv',
			'summer.csv',
			'procedures.csv',
			'units.csv'
		];
		expect(await names(reformTeam)).toEqual(all);
		expect(await names(admin)).toEqual(all);
	});

	it('counts the limit among the imports the principal may see', async () => {
		expect((await recentImports(db(), canLocHead, 2)).map((i) => i.file_name)).toEqual([
			'targets.csv',
			'correction.csv'
		]);
	});
});

describe("the days with data of a unit's subtree (the period picker's range)", () => {
	const AUGUST: DateRange = { from: '2025-08-01', to: '2025-08-31' };
	const ids = async (...units: [string, DateRange][]) =>
		Promise.all(units.map(async ([code, period]) => (await unit(code, period)).id));

	it('runs from the first to the last day a dossier was received in it', async () => {
		expect(await dataRange(db(), await ids(['42', JUNE]))).toEqual({
			from: '2025-05-20',
			to: '2025-09-12'
		});
		expect(await dataRange(db(), await ids(['443', JUNE]))).toEqual({
			from: '2025-06-10',
			to: '2025-06-10'
		});
	});

	it('spans several units together, and is null for units without a dossier', async () => {
		expect(await dataRange(db(), await ids(['18406', AUGUST], ['18481', AUGUST]))).toEqual({
			from: '2025-08-05',
			to: '2025-09-12'
		});
		expect(await dataRange(db(), await ids(['18310', JUNE]))).toBeNull();
		expect(await dataRange(db(), [])).toBeNull();
	});

	it('says whether a period has any dossier received or completed in it', async () => {
		const province = await ids(['42', JUNE]);
		expect(await hasDataIn(db(), province, { from: '2025-07-01', to: '2025-07-31' })).toBe(false);
		expect(await hasDataIn(db(), province, AUGUST)).toBe(true);
		// 7 August: nothing received, one dossier completed.
		const day = { from: '2025-08-07', to: '2025-08-07' };
		expect(await hasDataIn(db(), await ids(['18406', AUGUST]), day)).toBe(true);
		expect(await hasDataIn(db(), await ids(['18481', AUGUST]), day)).toBe(false);
	});
});

describe('when a page says "data up to"', () => {
	const DATA: DateRange = { from: '2023-01-01', to: '2026-10-31' };
	const month = (m: string): DateRange => ({
		from: `${m}-01`,
		to: `${m}-${m === '2026-11' ? 30 : 31}`
	});
	const TODAY = '2026-12-01';

	it('for a period the data stop within or before: the last day with data', () => {
		expect(dataUntil(DATA, month('2026-11'), null, TODAY)).toBe('2026-10-31');
		expect(dataUntil(DATA, { from: '2026-10-01', to: '2026-12-31' }, null, TODAY)).toBe(
			'2026-10-31'
		);
	});

	it('for the month of the last day with data once the next month has begun, and not before', () => {
		expect(dataUntil(DATA, month('2026-10'), null, TODAY)).toBe('2026-10-31');
		expect(dataUntil(DATA, month('2026-10'), null, '2026-10-31')).toBeNull();
	});

	it('not for an earlier period, nor for a unit that ended on its last day with data', () => {
		expect(dataUntil(DATA, month('2026-08'), null, TODAY)).toBeNull();
		const ended: DateRange = { from: '2023-01-01', to: '2025-06-30' };
		expect(
			dataUntil(ended, { from: '2025-06-01', to: '2025-06-30' }, '2025-06-30', TODAY)
		).toBeNull();
		expect(dataUntil(null, month('2026-11'), null, TODAY)).toBeNull();
	});
});
