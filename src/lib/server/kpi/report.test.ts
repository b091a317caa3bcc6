/**
 * The KPI report (CONTRACT.md `kpi --json`) on small data built so every count is known: each
 * dossier KPI of DOMAIN.md with its exact numerator and denominator, the period's edges in local
 * time, units that exist for part of a period, the levels, the catalogue KPIs and re-imports.
 * Data enters only through `importFile`, so the aggregates are maintained as in production.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { importFile } from '../import/run';
import { PROCEDURES_CSV, tempStore, UNITS_CSV, type TempStore } from '../testing/fixtures';
import { kpiReport, type KpiReport, type KpiValues } from './report';

const UNITS = `code,name,level,parent_code,valid_from,valid_to
42,Tỉnh Hà Tĩnh,province,,,
42-STP,Sở Tư pháp,department,42,,
42-SYT,Sở Y tế,department,42,,
443,Huyện Can Lộc,district,42,,2025-06-30
18100,Xã Thượng Lộc,commune,443,,2025-06-30
18101,Xã Mỹ Lộc,commune,443,,2025-06-30
18100,Xã Đồng Lộc,commune,42,2025-07-01,
`;

/**
 * Commune procedures C-*, district D-*, province P-*, the Department of Justice's S-* and the
 * Department of Health's Y-*; C-443 and D-443 belong to the district's catalogue, P-42 to the
 * province's; C-OFF, S-OFF and P-OFF are no longer in force.
 */
const PROCEDURES = `code,name,level,field,online_level,has_fee,online_payment,unit_code,active
C-FULL,Đăng ký khai sinh,commune,Hộ tịch,full,false,false,,true
C-NONE,Chứng thực bản sao,commune,Chứng thực,none,true,false,,true
C-PART,Đăng ký kết hôn,commune,Hộ tịch,partial,true,true,,true
C-443,Xác nhận tình trạng hôn nhân,commune,Hộ tịch,full,true,false,443,true
C-OFF,Thủ tục xã đã bãi bỏ,commune,Hộ tịch,full,true,true,,false
D-PART,Cấp giấy phép xây dựng,district,Xây dựng,partial,true,true,,true
D-443,Cấp bản sao trích lục,district,Hộ tịch,full,false,false,443,true
S-PART,Cấp Phiếu lý lịch tư pháp,province,Lý lịch tư pháp,partial,true,true,42-STP,true
S-FULL,Cấp bản sao trích lục hộ tịch,province,Hộ tịch,full,false,false,42-STP,true
S-OFF,Thủ tục Sở Tư pháp đã bãi bỏ,province,Hộ tịch,full,true,true,42-STP,false
Y-NONE,Cấp chứng chỉ hành nghề,province,Y tế,none,true,false,42-SYT,true
P-FULL,Thủ tục cấp tỉnh,province,Khác,full,true,true,,true
P-42,Thủ tục của tỉnh,province,Khác,none,true,false,42,true
P-OFF,Thủ tục tỉnh đã bãi bỏ,province,Khác,full,true,true,,false
`;

const DOSSIER_KPIS = [
	'online_submission_rate',
	'full_process_online_rate',
	'online_payment_rate',
	'dossier_digitization_rate',
	'result_digitization_rate',
	'data_reuse_rate',
	'portal_sync_rate',
	'on_time_rate',
	'satisfaction_rate'
] as const;
const CATALOGUE_KPIS = [
	'online_service_coverage',
	'full_process_coverage',
	'payment_enabled_rate'
] as const;

type DossierKpi = (typeof DOSSIER_KPIS)[number];
type CatalogueKpi = (typeof CATALOGUE_KPIS)[number];
type Counts<K extends string> = Record<K, [numerator: number, denominator: number]>;

interface Dossier {
	code: string;
	procedure: string;
	unit: string;
	channel: 'online' | 'direct' | 'postal';
	received: string;
	due?: string;
	completed?: string;
	level?: 'full' | 'partial' | 'none';
	fee?: boolean;
	paid?: boolean;
	digitized?: boolean;
	resultDigitized?: boolean;
	reused?: boolean;
	synced?: boolean;
	rating?: 'satisfied' | 'neutral' | 'dissatisfied';
}

const COLUMNS: [string, (d: Dossier) => string | boolean | undefined][] = [
	['dossier_code', (d) => d.code],
	['procedure_code', (d) => d.procedure],
	['unit_code', (d) => d.unit],
	['channel', (d) => d.channel],
	['received_at', (d) => d.received],
	['due_at', (d) => d.due],
	['completed_at', (d) => d.completed],
	['online_level', (d) => d.level],
	['fee_required', (d) => d.fee],
	['paid_online', (d) => d.paid],
	['dossier_digitized', (d) => d.digitized],
	['result_digitized', (d) => d.resultDigitized],
	['data_reused', (d) => d.reused],
	['portal_synced', (d) => d.synced],
	['rating', (d) => d.rating]
];

/** A dossiers CSV with every column of CONTRACT.md except those in `without`. */
function dossiersCsv(rows: Dossier[], without: string[] = []): string {
	const columns = COLUMNS.filter(([name]) => !without.includes(name));
	const cell = (v: string | boolean | undefined) =>
		v === undefined ? '' : v === true ? 'x' : v === false ? '' : v;
	return [
		columns.map(([name]) => name).join(','),
		...rows.map((d) => columns.map(([, get]) => cell(get(d))).join(','))
	]
		.join('\n')
		.concat('\n');
}

async function storeWith(...dossierFiles: string[]): Promise<TempStore> {
	const store = await tempStore();
	await importFile(store.db, 'units', store.file('units.csv', UNITS));
	await importFile(store.db, 'procedures', store.file('procedures.csv', PROCEDURES));
	for (const [i, content] of dossierFiles.entries()) {
		await importFile(store.db, 'dossiers', store.file(`dossiers-${i}.csv`, content));
	}
	return store;
}

const report = (store: TempStore, unit: string, from: string, to: string) =>
	kpiReport(store.db, unit, { from, to });

/** The numerator and denominator of every dossier KPI. */
function dossierCounts(kpis: Partial<KpiValues>): Counts<DossierKpi> {
	return Object.fromEntries(
		DOSSIER_KPIS.map((id) => [id, [kpis[id]!.numerator, kpis[id]!.denominator]])
	) as Counts<DossierKpi>;
}

function catalogueCounts(kpis: Partial<KpiValues>): Counts<CatalogueKpi> {
	return Object.fromEntries(
		CATALOGUE_KPIS.map((id) => [id, [kpis[id]!.numerator, kpis[id]!.denominator]])
	) as Counts<CatalogueKpi>;
}

/** Every dossier KPI at 0 / 0, then the counts given. */
function counts(given: Partial<Counts<DossierKpi>>): Counts<DossierKpi> {
	return {
		...(Object.fromEntries(DOSSIER_KPIS.map((id) => [id, [0, 0]])) as Counts<DossierKpi>),
		...given
	};
}

/** For each period, dossier_digitization_rate's counts: digitized / all dossiers received in it. */
async function receivedIn(store: TempStore, unit: string, periods: [string, string][]) {
	const reports = await Promise.all(periods.map(([from, to]) => report(store, unit, from, to)));
	return reports.map((r) => dossierCounts(r.kpis).dossier_digitization_rate);
}

describe('the dossier KPIs of a province in one month', () => {
	let store: TempStore;
	let may: KpiReport;

	// May 2025: the communes and the district are those before 1 July 2025.
	const DOSSIERS: Dossier[] = [
		// Commune, full-process procedure, filed online, on time, digitized, reused, synced, satisfied.
		{
			code: 'D01',
			procedure: 'C-FULL',
			unit: '18100',
			channel: 'online',
			received: '2025-05-02 08:00',
			due: '2025-05-10',
			completed: '2025-05-05 10:00',
			digitized: true,
			resultDigitized: true,
			reused: true,
			synced: true,
			rating: 'satisfied'
		},
		// Commune, full-process procedure at the desk, completed two days late.
		{
			code: 'D02',
			procedure: 'C-FULL',
			unit: '18100',
			channel: 'direct',
			received: '2025-05-03 09:00',
			due: '2025-05-10',
			completed: '2025-05-12 09:00',
			digitized: true,
			synced: true,
			rating: 'neutral'
		},
		// Partial procedure, fee paid online, result digitized but not completed yet: no result KPI.
		{
			code: 'D03',
			procedure: 'C-PART',
			unit: '18101',
			channel: 'online',
			received: '2025-05-04 10:00',
			fee: true,
			paid: true,
			resultDigitized: true,
			synced: true
		},
		// By post, fee paid at the desk, completed without a due date.
		{
			code: 'D04',
			procedure: 'C-PART',
			unit: '18101',
			channel: 'postal',
			received: '2025-05-05 11:00',
			completed: '2025-05-06 14:00',
			fee: true,
			digitized: true,
			rating: 'dissatisfied'
		},
		// At the district's own desk, a procedure not offered online (filed "online" all the same).
		{
			code: 'D05',
			procedure: 'C-NONE',
			unit: '443',
			channel: 'online',
			received: '2025-05-06 08:00',
			due: '2025-05-20',
			completed: '2025-05-20 15:00',
			fee: true,
			paid: true,
			reused: true,
			synced: true,
			rating: 'satisfied'
		},
		// A department, full-process online; paid online though it has no fee: not a fee dossier.
		{
			code: 'D06',
			procedure: 'S-FULL',
			unit: '42-STP',
			channel: 'online',
			received: '2025-05-06 09:00',
			due: '2025-05-08',
			completed: '2025-05-07 16:00',
			paid: true,
			resultDigitized: true,
			synced: true,
			rating: 'satisfied'
		},
		{
			code: 'D07',
			procedure: 'S-PART',
			unit: '42-STP',
			channel: 'direct',
			received: '2025-05-07 10:00',
			fee: true,
			digitized: true,
			reused: true
		},
		// At the province's own desk.
		{
			code: 'D08',
			procedure: 'S-PART',
			unit: '42',
			channel: 'online',
			received: '2025-05-08 10:00',
			fee: true,
			paid: true,
			rating: 'satisfied'
		}
	];

	beforeAll(async () => {
		store = await storeWith(dossiersCsv(DOSSIERS));
		may = await report(store, '42', '2025-05-01', '2025-05-31');
	});
	afterAll(() => store.dispose());

	it('counts every dossier KPI of the province with its exact numerator and denominator', () => {
		expect(dossierCounts(may.kpis)).toEqual({
			online_submission_rate: [4, 7],
			full_process_online_rate: [2, 3],
			online_payment_rate: [3, 5],
			dossier_digitization_rate: [4, 8],
			result_digitization_rate: [2, 5],
			data_reuse_rate: [3, 8],
			portal_sync_rate: [5, 8],
			on_time_rate: [3, 4],
			satisfaction_rate: [4, 6]
		});
	});

	it('gives each value as numerator divided by denominator, and no target without a campaign', () => {
		expect(may.kpis.online_submission_rate).toEqual({
			numerator: 4,
			denominator: 7,
			value: 4 / 7,
			target: null
		});
		expect(may.kpis.satisfaction_rate.value).toBeCloseTo(0.666667, 6);
		for (const id of DOSSIER_KPIS) {
			const { numerator, denominator, value } = may.kpis[id];
			expect(value).toBe(numerator / denominator);
		}
	});

	it('counts department and province-desk dossiers at level province, the district desk at district, communes at commune', () => {
		expect(dossierCounts(may.by_level.province)).toEqual({
			online_submission_rate: [2, 3],
			full_process_online_rate: [1, 1],
			online_payment_rate: [1, 2],
			dossier_digitization_rate: [1, 3],
			result_digitization_rate: [1, 1],
			data_reuse_rate: [1, 3],
			portal_sync_rate: [1, 3],
			on_time_rate: [1, 1],
			satisfaction_rate: [2, 2]
		});
		expect(dossierCounts(may.by_level.district)).toEqual({
			online_submission_rate: [0, 0],
			full_process_online_rate: [0, 0],
			online_payment_rate: [1, 1],
			dossier_digitization_rate: [0, 1],
			result_digitization_rate: [0, 1],
			data_reuse_rate: [1, 1],
			portal_sync_rate: [1, 1],
			on_time_rate: [1, 1],
			satisfaction_rate: [1, 1]
		});
		expect(dossierCounts(may.by_level.commune)).toEqual({
			online_submission_rate: [2, 4],
			full_process_online_rate: [1, 2],
			online_payment_rate: [1, 2],
			dossier_digitization_rate: [3, 4],
			result_digitization_rate: [1, 3],
			data_reuse_rate: [1, 4],
			portal_sync_rate: [3, 4],
			on_time_rate: [1, 2],
			satisfaction_rate: [1, 3]
		});
		expect(may.by_level.district.online_submission_rate?.value).toBeNull();
	});

	it('lists the children valid in May, departments first, each with the KPIs of its subtree', () => {
		expect(may.children.map((c) => c.unit)).toEqual([
			{ code: '42-STP', name: 'Sở Tư pháp', level: 'department' },
			{ code: '42-SYT', name: 'Sở Y tế', level: 'department' },
			{ code: '443', name: 'Huyện Can Lộc', level: 'district' }
		]);
		const [justice, health, district] = may.children.map((c) => dossierCounts(c.kpis));
		expect(justice).toEqual({
			online_submission_rate: [1, 2],
			full_process_online_rate: [1, 1],
			online_payment_rate: [0, 1],
			dossier_digitization_rate: [1, 2],
			result_digitization_rate: [1, 1],
			data_reuse_rate: [1, 2],
			portal_sync_rate: [1, 2],
			on_time_rate: [1, 1],
			satisfaction_rate: [1, 1]
		});
		expect(health).toEqual(counts({}));
		expect(district).toEqual({
			online_submission_rate: [2, 4],
			full_process_online_rate: [1, 2],
			online_payment_rate: [2, 3],
			dossier_digitization_rate: [3, 5],
			result_digitization_rate: [1, 4],
			data_reuse_rate: [2, 5],
			portal_sync_rate: [4, 5],
			on_time_rate: [2, 3],
			satisfaction_rate: [2, 4]
		});
	});

	it('reports a commune over its own dossiers only, with no province or district level', async () => {
		const commune = await report(store, '18101', '2025-05-01', '2025-05-31');
		expect(commune.unit).toEqual({ code: '18101', name: 'Xã Mỹ Lộc', level: 'commune' });
		expect(dossierCounts(commune.kpis)).toEqual(
			counts({
				online_submission_rate: [1, 2],
				online_payment_rate: [1, 2],
				dossier_digitization_rate: [1, 2],
				result_digitization_rate: [0, 1],
				data_reuse_rate: [0, 2],
				portal_sync_rate: [1, 2],
				satisfaction_rate: [0, 1]
			})
		);
		expect(commune.by_level.province).toEqual({});
		expect(commune.by_level.district).toEqual({});
		expect(dossierCounts(commune.by_level.commune)).toEqual(dossierCounts(commune.kpis));
		expect(commune.children).toEqual([]);
	});

	it('has the JSON shape of CONTRACT.md: unit, from, to, every KPI id, three levels, children', () => {
		const json = JSON.parse(JSON.stringify(may)) as KpiReport;
		expect(json).toEqual(may);
		expect(Object.keys(json)).toEqual(['unit', 'from', 'to', 'kpis', 'by_level', 'children']);
		expect(json.unit).toEqual({ code: '42', name: 'Tỉnh Hà Tĩnh', level: 'province' });
		expect([json.from, json.to]).toEqual(['2025-05-01', '2025-05-31']);
		expect(Object.keys(json.kpis)).toEqual([...DOSSIER_KPIS, ...CATALOGUE_KPIS]);
		for (const value of Object.values(json.kpis)) {
			expect(Object.keys(value).sort()).toEqual(['denominator', 'numerator', 'target', 'value']);
		}
		expect(Object.keys(json.by_level)).toEqual(['province', 'district', 'commune']);
		for (const level of Object.values(json.by_level)) {
			expect(Object.keys(level)).toEqual([...DOSSIER_KPIS, ...CATALOGUE_KPIS]);
		}
		for (const child of json.children) {
			expect(Object.keys(child)).toEqual(['unit', 'kpis']);
			expect(Object.keys(child.unit)).toEqual(['code', 'name', 'level']);
			expect(Object.keys(child.kpis)).toEqual([...DOSSIER_KPIS, ...CATALOGUE_KPIS]);
		}
	});

	it('gives every dossier KPI an empty value with 0 / 0 in a period without dossiers, not 0', async () => {
		const empty = await report(store, '42', '2025-04-01', '2025-04-30');
		const { province, district, commune } = empty.by_level;
		for (const kpis of [
			empty.kpis,
			province,
			district,
			commune,
			...empty.children.map((c) => c.kpis)
		]) {
			for (const id of DOSSIER_KPIS) {
				expect(kpis[id]).toEqual({ numerator: 0, denominator: 0, value: null, target: null });
			}
		}
		// The catalogue does not depend on dossiers: it keeps its counts.
		expect(catalogueCounts(empty.kpis)).toEqual(catalogueCounts(may.kpis));
	});
});

describe('the edges of a period, in Asia/Ho_Chi_Minh time', () => {
	let store: TempStore;

	beforeAll(async () => {
		const at = (code: string, received: string, extra: Partial<Dossier> = {}): Dossier => ({
			code,
			procedure: 'C-FULL',
			unit: '18101',
			channel: 'online',
			received,
			...extra
		});
		store = await storeWith(
			dossiersCsv([
				at('E-LAST-2330', '2025-05-31 23:30', { digitized: true }),
				at('E-NEXT-0010', '2025-06-01 00:10'),
				at('E-FIRST-0000', '2025-05-01 00:00', {
					completed: '2025-05-31 23:59:59',
					resultDigitized: true
				}),
				at('E-BEFORE-2359', '2025-04-30 23:59', { digitized: true }),
				// 16:59 UTC is 23:59 in Hà Tĩnh, still 31 May; 17:00 UTC is already 1 June.
				at('E-LAST-UTC', '2025-05-31T16:59:00Z'),
				at('E-FIRST-UTC', '2025-04-30T17:00:00Z', { completed: '2025-06-01 00:00' }),
				at('E-NEXT-UTC', '2025-05-31T17:00:00Z', { digitized: true })
			])
		);
	});
	afterAll(() => store.dispose());

	it('counts a dossier received at 23:30 local time on the last day inside the period', async () => {
		const [last] = await receivedIn(store, '18101', [['2025-05-31', '2025-05-31']]);
		// E-LAST-2330 (digitized) and E-LAST-UTC.
		expect(last).toEqual([1, 2]);
	});

	it('leaves out a dossier received at 00:10 the day after the period', async () => {
		const [june1] = await receivedIn(store, '18101', [['2025-06-01', '2025-06-01']]);
		// E-NEXT-0010 and E-NEXT-UTC (digitized): neither belongs to May.
		expect(june1).toEqual([1, 2]);
	});

	it('counts a dossier received at 00:00 on the first day, and not one at 23:59 the day before', async () => {
		const [first, before] = await receivedIn(store, '18101', [
			['2025-05-01', '2025-05-01'],
			['2025-04-30', '2025-04-30']
		]);
		// E-FIRST-0000 and E-FIRST-UTC; E-BEFORE-2359 (digitized) alone on 30 April.
		expect(first).toEqual([0, 2]);
		expect(before).toEqual([1, 1]);
	});

	it('counts the same dossiers for a whole month as for its days, and across month edges', async () => {
		const counted = await receivedIn(store, '18101', [
			['2025-05-01', '2025-05-31'],
			['2025-04-30', '2025-05-01'],
			['2025-05-31', '2025-06-01'],
			['2025-04-15', '2025-06-15'],
			['2025-04-01', '2025-06-30'],
			['2025-04-30', '2025-05-31'],
			['2025-05-01', '2025-06-01']
		]);
		expect(counted).toEqual([
			[1, 4],
			[1, 3],
			[2, 4],
			[3, 7],
			[3, 7],
			[2, 5],
			[2, 6]
		]);
	});

	it('dates a completion by its local day: 23:59:59 on the last day inside, 00:00 the next day outside', async () => {
		const [may, june] = await Promise.all([
			report(store, '18101', '2025-05-01', '2025-05-31'),
			report(store, '18101', '2025-06-01', '2025-06-30')
		]);
		// E-FIRST-0000 (result digitized) in May; E-FIRST-UTC in June.
		expect(dossierCounts(may.kpis).result_digitization_rate).toEqual([1, 1]);
		expect(dossierCounts(june.kpis).result_digitization_rate).toEqual([0, 1]);
	});
});

describe('a dossier received in one period and completed in the next', () => {
	let store: TempStore;

	beforeAll(async () => {
		store = await storeWith(
			dossiersCsv([
				{
					code: 'X',
					procedure: 'S-PART',
					unit: '42-SYT',
					channel: 'online',
					received: '2025-05-20 10:00',
					due: '2025-06-05',
					completed: '2025-06-03 09:00',
					fee: true,
					paid: true,
					digitized: true,
					resultDigitized: true,
					reused: true,
					synced: true,
					rating: 'satisfied'
				}
			])
		);
	});
	afterAll(() => store.dispose());

	it('counts for the received-basis KPIs in the first period only', async () => {
		const may = await report(store, '42-SYT', '2025-05-01', '2025-05-31');
		expect(dossierCounts(may.kpis)).toEqual(
			counts({
				online_submission_rate: [1, 1],
				online_payment_rate: [1, 1],
				dossier_digitization_rate: [1, 1],
				data_reuse_rate: [1, 1],
				portal_sync_rate: [1, 1],
				satisfaction_rate: [1, 1]
			})
		);
		expect(may.kpis.result_digitization_rate.value).toBeNull();
		expect(may.kpis.on_time_rate.value).toBeNull();
	});

	it('counts for result_digitization_rate and on_time_rate in the second period only', async () => {
		const june = await report(store, '42-SYT', '2025-06-01', '2025-06-30');
		expect(dossierCounts(june.kpis)).toEqual(
			counts({ result_digitization_rate: [1, 1], on_time_rate: [1, 1] })
		);
	});

	it('counts once on each basis over both periods together, and at the province above it', async () => {
		const both = await report(store, '42', '2025-05-15', '2025-06-10');
		expect(dossierCounts(both.kpis)).toEqual(
			counts({
				online_submission_rate: [1, 1],
				online_payment_rate: [1, 1],
				dossier_digitization_rate: [1, 1],
				result_digitization_rate: [1, 1],
				data_reuse_rate: [1, 1],
				portal_sync_rate: [1, 1],
				on_time_rate: [1, 1],
				satisfaction_rate: [1, 1]
			})
		);
	});
});

describe('on time', () => {
	let store: TempStore;

	beforeAll(async () => {
		const done = (code: string, due: string | undefined, completed?: string): Dossier => ({
			code,
			procedure: 'S-FULL',
			unit: '42-STP',
			channel: 'online',
			received: '2025-05-02 08:00',
			due,
			completed
		});
		store = await storeWith(
			dossiersCsv([
				done('T-DUE-DAY-1500', '2025-05-10', '2025-05-10 15:00'),
				done('T-NEXT-DAY', '2025-05-10', '2025-05-11 08:00'),
				done('T-NO-DUE', undefined, '2025-05-12 10:00'),
				done('T-DUE-1700-DONE-1730', '2025-05-10 17:00', '2025-05-10 17:30'),
				done('T-DUE-VN-DATE', '09/05/2025', '09/05/2025 23:59'),
				done('T-OPEN', '2025-05-01')
			])
		);
	});
	afterAll(() => store.dispose());

	it('counts a dossier completed at 15:00 on its due day, given as a date alone, as on time and the next day as late', async () => {
		const may = await report(store, '42-STP', '2025-05-01', '2025-05-31');
		// With a due date: T-DUE-DAY-1500 and T-DUE-VN-DATE on time; T-NEXT-DAY and
		// T-DUE-1700-DONE-1730 (due at a given hour) late. T-NO-DUE is in neither count;
		// T-OPEN is not completed.
		expect(dossierCounts(may.kpis).on_time_rate).toEqual([2, 4]);
		expect(dossierCounts(may.kpis).result_digitization_rate).toEqual([0, 5]);
	});
});

describe('a dossier online level overriding its procedure', () => {
	let store: TempStore;

	beforeAll(async () => {
		const filed = (
			code: string,
			procedure: string,
			channel: Dossier['channel'],
			level?: Dossier['level']
		): Dossier => ({ code, procedure, unit: '18100', channel, received: '2025-05-05', level });
		store = await storeWith(
			dossiersCsv([
				filed('O-NONE-AS-FULL-ONLINE', 'C-NONE', 'online', 'full'),
				filed('O-NONE-AS-FULL-DIRECT', 'C-NONE', 'direct', 'full'),
				filed('O-NONE', 'C-NONE', 'online'),
				filed('O-FULL-AS-NONE', 'C-FULL', 'online', 'none'),
				filed('O-FULL', 'C-FULL', 'online'),
				filed('O-FULL-AS-PARTIAL', 'C-FULL', 'online', 'partial')
			])
		);
	});
	afterAll(() => store.dispose());

	it('counts a none procedure dossier marked full as eligible and full, and a full one marked none as neither', async () => {
		const may = await report(store, '18100', '2025-05-01', '2025-05-31');
		expect(dossierCounts(may.kpis)).toEqual(
			counts({
				// Eligible: both NONE-AS-FULL, FULL, FULL-AS-PARTIAL; three of them online.
				online_submission_rate: [3, 4],
				// Full: both NONE-AS-FULL and FULL; two of them online.
				full_process_online_rate: [2, 3],
				dossier_digitization_rate: [0, 6],
				data_reuse_rate: [0, 6],
				portal_sync_rate: [0, 6]
			})
		);
	});
});

describe('fee_required', () => {
	let store: TempStore;

	beforeAll(async () => {
		const paid = (code: string, procedure: string, extra: Partial<Dossier> = {}): Dossier => ({
			code,
			procedure,
			unit: '443',
			channel: 'online',
			received: '2025-05-05',
			paid: true,
			...extra
		});
		store = await storeWith(
			// No fee column: the procedure's has_fee (C-NONE and C-PART have a fee, C-FULL none).
			dossiersCsv(
				[
					paid('F-NONE', 'C-NONE'),
					paid('F-FULL', 'C-FULL'),
					paid('F-PART-AT-DESK', 'C-PART', { paid: false })
				],
				['fee_required']
			),
			// A fee column: its cells decide, an empty one is no fee.
			dossiersCsv([
				paid('F-FULL-WITH-FEE', 'C-FULL', { fee: true }),
				paid('F-NONE-EMPTY', 'C-NONE')
			])
		);
	});
	afterAll(() => store.dispose());

	it('takes fee_required from the procedure when the file has no fee column', async () => {
		const may = await report(store, '443', '2025-05-01', '2025-05-31');
		// Fee dossiers: F-NONE, F-PART-AT-DESK, F-FULL-WITH-FEE; paid online: F-NONE, F-FULL-WITH-FEE.
		expect(dossierCounts(may.kpis).online_payment_rate).toEqual([2, 3]);
	});
});

describe('a child unit that existed for part of the period', () => {
	let store: TempStore;
	let summer: KpiReport;

	const filed = (
		code: string,
		unit: string,
		received: string,
		extra: Partial<Dossier> = {}
	): Dossier => ({ code, procedure: 'C-FULL', unit, channel: 'online', received, ...extra });

	beforeAll(async () => {
		store = await storeWith(
			dossiersCsv([
				filed('J1', '18100', '2025-06-10 09:00', { digitized: true }),
				filed('J2', '18100', '2025-06-30 23:30', { channel: 'direct' }),
				filed('J3', '18101', '2025-06-15 09:00', {
					completed: '2025-07-03 10:00',
					resultDigitized: true
				}),
				filed('J4', '443', '2025-06-20 09:00', { rating: 'satisfied' }),
				filed('A1', '18100', '2025-07-01 00:10', { digitized: true }),
				filed('A2', '18100', '2025-07-15 09:00', { completed: '2025-07-20 09:00' }),
				filed('A3', '18100', '2025-07-31 23:30', { channel: 'postal', rating: 'neutral' }),
				filed('S1', '42-STP', '2025-06-05 09:00', { procedure: 'S-PART', fee: true, paid: true }),
				filed('S2', '42-STP', '2025-07-05 09:00', { procedure: 'S-FULL' })
			])
		);
		summer = await report(store, '42', '2025-06-01', '2025-07-31');
	});
	afterAll(() => store.dispose());

	it('lists the old district 443 and the new commune 18100 as children of province 42 over June and July', () => {
		expect(summer.children.map((c) => c.unit)).toEqual([
			{ code: '42-STP', name: 'Sở Tư pháp', level: 'department' },
			{ code: '42-SYT', name: 'Sở Y tế', level: 'department' },
			{ code: '443', name: 'Huyện Can Lộc', level: 'district' },
			{ code: '18100', name: 'Xã Đồng Lộc', level: 'commune' }
		]);
		const byCode = Object.fromEntries(summer.children.map((c) => [c.unit.code, c.kpis]));
		expect(dossierCounts(byCode['443']).dossier_digitization_rate).toEqual([1, 4]);
		expect(dossierCounts(byCode['18100']).dossier_digitization_rate).toEqual([1, 3]);
		expect(dossierCounts(byCode['42-STP']).dossier_digitization_rate).toEqual([0, 2]);
	});

	it('keeps the province totals continuous: each equal to the sum over its children', () => {
		expect(dossierCounts(summer.kpis)).toEqual({
			online_submission_rate: [7, 9],
			full_process_online_rate: [6, 8],
			online_payment_rate: [1, 1],
			dossier_digitization_rate: [2, 9],
			result_digitization_rate: [1, 2],
			data_reuse_rate: [0, 9],
			portal_sync_rate: [0, 9],
			on_time_rate: [0, 0],
			satisfaction_rate: [1, 2]
		});
		const sum = counts({});
		for (const child of summer.children) {
			for (const [id, [n, d]] of Object.entries(dossierCounts(child.kpis))) {
				sum[id as DossierKpi][0] += n;
				sum[id as DossierKpi][1] += d;
			}
		}
		expect(sum).toEqual(dossierCounts(summer.kpis));
	});

	it('resolves the commune code 18100 to the old commune until 30 June and the new one from 1 July', async () => {
		const [oldCommune, newCommune] = await Promise.all([
			report(store, '18100', '2025-06-01', '2025-06-30'),
			report(store, '18100', '2025-07-01', '2025-07-31')
		]);
		expect(oldCommune.unit.name).toBe('Xã Thượng Lộc');
		expect(dossierCounts(oldCommune.kpis).online_submission_rate).toEqual([1, 2]);
		expect(newCommune.unit.name).toBe('Xã Đồng Lộc');
		expect(dossierCounts(newCommune.kpis).online_submission_rate).toEqual([2, 3]);
	});

	it('refuses a period in which the code 18100 names two communes', async () => {
		await expect(report(store, '18100', '2025-06-01', '2025-07-31')).rejects.toThrow(
			/code 18100 names more than one unit in this period/
		);
	});

	it('counts in July the result of a dossier the dissolved district received in June, at the province though no July child holds it', async () => {
		// Doubtful semantics, kept visible: CONTRACT lists as children only the units valid in the
		// period, so in July the old commune 18101 (under 443) is no child, yet its dossier J3
		// completed on 3 July counts in the province's result_digitization_rate.
		const july = await report(store, '42', '2025-07-01', '2025-07-31');
		expect(july.children.map((c) => c.unit.code)).toEqual(['42-STP', '42-SYT', '18100']);
		expect(dossierCounts(july.kpis).result_digitization_rate).toEqual([1, 2]);
		const children = july.children.map((c) => dossierCounts(c.kpis).result_digitization_rate);
		expect(children).toEqual([
			[0, 0],
			[0, 0],
			[0, 1]
		]);
		expect(dossierCounts(july.by_level.commune).result_digitization_rate).toEqual([1, 2]);
	});
});

describe('the catalogue KPIs', () => {
	let store: TempStore;

	beforeAll(async () => {
		store = await storeWith();
	});
	afterAll(() => store.dispose());

	it('counts for the province every active procedure of its levels while the district exists', async () => {
		const may = await report(store, '42', '2025-05-01', '2025-05-31');
		// Active: all but C-OFF, S-OFF and P-OFF (11); online (full or partial) 8; full 5; with a fee 8,
		// payable online 4.
		expect(catalogueCounts(may.kpis)).toEqual({
			online_service_coverage: [8, 11],
			full_process_coverage: [5, 11],
			payment_enabled_rate: [4, 8]
		});
		expect(catalogueCounts(may.by_level.province)).toEqual({
			online_service_coverage: [3, 5],
			full_process_coverage: [2, 5],
			payment_enabled_rate: [2, 4]
		});
		expect(catalogueCounts(may.by_level.district)).toEqual({
			online_service_coverage: [2, 2],
			full_process_coverage: [1, 2],
			payment_enabled_rate: [1, 1]
		});
		expect(catalogueCounts(may.by_level.commune)).toEqual({
			online_service_coverage: [3, 4],
			full_process_coverage: [2, 4],
			payment_enabled_rate: [1, 3]
		});
	});

	it('drops the district level and the district catalogue from the province after 1 July 2025', async () => {
		const august = await report(store, '42', '2025-08-01', '2025-08-31');
		// Without 443: not D-PART (district level), D-443 nor C-443 (the district's catalogue).
		expect(catalogueCounts(august.kpis)).toEqual({
			online_service_coverage: [5, 8],
			full_process_coverage: [3, 8],
			payment_enabled_rate: [3, 6]
		});
		expect(august.by_level.district).toEqual({});
		expect(august.children.map((c) => c.unit.code)).toEqual(['42-STP', '42-SYT', '18100']);
	});

	it('counts for a department its own procedures plus the unowned and province-owned province ones', async () => {
		const may = await report(store, '42-STP', '2025-05-01', '2025-05-31');
		// S-PART, S-FULL (its own), P-FULL (no owner), P-42 (the province's); not Y-NONE (another
		// department's) nor S-OFF and P-OFF (inactive).
		expect(catalogueCounts(may.kpis)).toEqual({
			online_service_coverage: [3, 4],
			full_process_coverage: [2, 4],
			payment_enabled_rate: [2, 3]
		});
		expect(catalogueCounts(may.by_level.province)).toEqual(catalogueCounts(may.kpis));
		expect(may.by_level.district).toEqual({});
		expect(may.by_level.commune).toEqual({});
	});

	it('counts for a commune the commune-level procedures only, its old district catalogue included', async () => {
		const [oldCommune, newCommune] = await Promise.all([
			report(store, '18100', '2025-05-01', '2025-05-31'),
			report(store, '18100', '2025-08-01', '2025-08-31')
		]);
		// Under 443: C-FULL, C-NONE, C-PART and the district's C-443; not C-OFF (inactive).
		expect(catalogueCounts(oldCommune.kpis)).toEqual({
			online_service_coverage: [3, 4],
			full_process_coverage: [2, 4],
			payment_enabled_rate: [1, 3]
		});
		// Under the province since 1 July 2025: C-FULL, C-NONE, C-PART.
		expect(catalogueCounts(newCommune.kpis)).toEqual({
			online_service_coverage: [2, 3],
			full_process_coverage: [1, 3],
			payment_enabled_rate: [1, 2]
		});
	});

	it('gives each child its own catalogue', async () => {
		const may = await report(store, '42', '2025-05-01', '2025-05-31');
		expect(
			Object.fromEntries(may.children.map((c) => [c.unit.code, catalogueCounts(c.kpis)]))
		).toEqual({
			'42-STP': {
				online_service_coverage: [3, 4],
				full_process_coverage: [2, 4],
				payment_enabled_rate: [2, 3]
			},
			// Y-NONE, P-FULL, P-42.
			'42-SYT': {
				online_service_coverage: [1, 3],
				full_process_coverage: [1, 3],
				payment_enabled_rate: [1, 3]
			},
			// District: D-PART, D-443; communes: C-FULL, C-NONE, C-PART, C-443.
			'443': {
				online_service_coverage: [5, 6],
				full_process_coverage: [3, 6],
				payment_enabled_rate: [2, 4]
			}
		});
	});
});

describe('re-imports', () => {
	let store: TempStore;

	beforeEach(async () => {
		store = await storeWith();
	});
	afterEach(() => store.dispose());

	it('moves a dossier between months when a re-import changes its completion date', async () => {
		const moved: Dossier = {
			code: 'R1',
			procedure: 'C-FULL',
			unit: '18101',
			channel: 'online',
			received: '2025-05-10 09:00',
			due: '2025-06-01',
			completed: '2025-05-20 10:00',
			resultDigitized: true
		};
		// Received in April and completed in May at the same commune; never re-imported.
		const bystander: Dossier = {
			code: 'R0',
			procedure: 'C-FULL',
			unit: '18101',
			channel: 'online',
			received: '2025-04-20 09:00',
			due: '2025-05-30',
			completed: '2025-05-25 10:00',
			resultDigitized: true
		};
		const months = async () => {
			const [may, june, mayTo10June] = await Promise.all([
				report(store, '42', '2025-05-01', '2025-05-31'),
				report(store, '42', '2025-06-01', '2025-06-30'),
				report(store, '42', '2025-05-15', '2025-06-10')
			]);
			return [may, june, mayTo10June].map((r) => {
				const c = dossierCounts(r.kpis);
				return [c.dossier_digitization_rate, c.result_digitization_rate, c.on_time_rate];
			});
		};
		await importFile(store.db, 'dossiers', store.file('a.csv', dossiersCsv([bystander, moved])));
		// [received in the period, result digitized / completed, on time / completed with a due date]
		expect(await months()).toEqual([
			[
				[0, 1],
				[2, 2],
				[2, 2]
			],
			[
				[0, 0],
				[0, 0],
				[0, 0]
			],
			[
				[0, 0],
				[2, 2],
				[2, 2]
			]
		]);
		await importFile(
			store.db,
			'dossiers',
			store.file('b.csv', dossiersCsv([{ ...moved, completed: '2025-06-02 08:00' }]))
		);
		expect(await months()).toEqual([
			[
				[0, 1],
				[1, 1],
				[1, 1]
			],
			[
				[0, 0],
				[1, 1],
				[0, 1]
			],
			[
				[0, 0],
				[2, 2],
				[1, 2]
			]
		]);
	});

	it('changes the eligible counts of existing dossiers when a procedures re-import changes its online level', async () => {
		const filed = (code: string, channel: Dossier['channel'], level?: Dossier['level']) => ({
			code,
			procedure: 'C-NONE',
			unit: '18100',
			channel,
			received: '2025-05-05',
			level
		});
		await importFile(
			store.db,
			'dossiers',
			store.file(
				'd.csv',
				dossiersCsv([
					filed('N1', 'online'),
					filed('N2', 'online'),
					filed('N3', 'direct'),
					filed('N4', 'online', 'none')
				])
			)
		);
		const eligible = async () => {
			const c = dossierCounts((await report(store, '42', '2025-05-01', '2025-05-31')).kpis);
			return [c.online_submission_rate, c.full_process_online_rate];
		};
		expect(await eligible()).toEqual([
			[0, 0],
			[0, 0]
		]);
		await importFile(
			store.db,
			'procedures',
			store.file(
				'p.csv',
				PROCEDURES.replace(
					'C-NONE,Chứng thực bản sao,commune,Chứng thực,none',
					'C-NONE,Chứng thực bản sao,commune,Chứng thực,full'
				)
			)
		);
		// N1–N3 follow their procedure; N4 keeps its own level.
		expect(await eligible()).toEqual([
			[2, 3],
			[2, 3]
		]);
	});
});

describe('a level of the subtree without dossiers', () => {
	it('reports the district level, with its target, while a district exists in the subtree though it has no dossier nor district procedure', async () => {
		const store = await tempStore();
		try {
			await importFile(store.db, 'units', store.file('u.csv', UNITS_CSV));
			await importFile(store.db, 'procedures', store.file('p.csv', PROCEDURES_CSV));
			await importFile(
				store.db,
				'targets',
				store.file(
					't.csv',
					'campaign,starts_on,ends_on,unit_code,kpi,level,target\nC,2025-01-01,2025-12-31,42,online_submission_rate,district,0.7\n'
				)
			);
			await importFile(
				store.db,
				'dossiers',
				store.file(
					'd.csv',
					'dossier_code,procedure_code,unit_code,channel,received_at\nB,1.001193,18100,online,2025-05-02\n'
				)
			);
			const may = { from: '2025-05-01', to: '2025-05-31' };
			const province = await kpiReport(store.db, '42', may);
			const district = await kpiReport(store.db, '443', may);
			expect(province.children.map((c) => c.unit.code)).toEqual(['42-STP', '443']);
			const empty = { numerator: 0, denominator: 0, value: null, target: 0.7 };
			expect(province.by_level.district.online_submission_rate).toEqual(empty);
			expect(district.by_level.district.online_submission_rate).toEqual(empty);
		} finally {
			await store.dispose();
		}
	});
});
