/**
 * The Procedures page's figures on a small province built so every count is known: each
 * procedure's volume and KPI counts, their sums against the KPI report, the fields, the
 * "where to act" ranking against the campaign target of the unit's level, sorting and paging.
 * Data enters only through `importFile`, as in production.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../import/run';
import { kpiReport } from '../kpi/report';
import { resolveUnit } from '../units/versions';
import { PROCEDURES as PROCEDURE_PARAMS } from '../../domain/url-params';
import { tempStore, UNITS_CSV, urlState, type TempStore } from '../testing/fixtures';
import { procedureBreakdown } from '../kpi/procedures';
import { NO_FIELD, PROCEDURE_KPIS, proceduresView, type ProcedureQuery } from './procedures';

const PROCEDURES = `code,name,level,field,online_level,has_fee,online_payment,unit_code,active
C-FULL,Đăng ký khai sinh,commune,Hộ tịch,full,false,false,,true
C-PART,Đăng ký kết hôn,commune,Hộ tịch,partial,true,true,,true
C-NONE,Chứng thực bản sao,commune,Chứng thực,none,true,false,,true
C-CERT,Chứng thực chữ ký,commune,Chứng thực,none,true,false,,true
S-PART,Cấp Phiếu lý lịch tư pháp,province,Lý lịch tư pháp,partial,true,true,42-STP,true
X-NOFIELD,Thủ tục chưa phân loại,commune,,full,false,false,,true
`;

/** Online-submission targets of May–June 2025: 70% at province level, 80% district, 90% commune. */
const TARGETS = `campaign,starts_on,ends_on,unit_code,kpi,level,target
Tháng cao điểm,2025-05-01,2025-06-30,42,online_submission_rate,province,0.7
Tháng cao điểm,2025-05-01,2025-06-30,42,online_submission_rate,district,0.8
Tháng cao điểm,2025-05-01,2025-06-30,42,online_submission_rate,commune,0.9
`;

const HEADER =
	'dossier_code,procedure_code,unit_code,channel,received_at,due_at,completed_at,online_level,fee_required,paid_online';

/**
 * May 2025, received in May unless said: C-FULL 11 (8 online), completed in May with a due
 * date 7 (5 on time, one of them received in April); C-PART 4 (1 online, 4 fees, 2 paid online);
 * C-NONE 3 (none online-eligible but N03, whose own level is partial); C-CERT 1; S-PART 5
 * (4 online, 5 paid online); X-NOFIELD 2 (none online).
 */
const DOSSIERS = `${HEADER}
F01,C-FULL,18100,online,2025-05-02 08:00,2025-05-20,2025-05-12 10:00,,,
F02,C-FULL,18100,online,2025-05-03 08:00,2025-05-20,2025-05-13 10:00,,,
F03,C-FULL,18100,online,2025-05-04 08:00,2025-05-20,2025-05-14 10:00,,,
F04,C-FULL,18100,online,2025-05-05 08:00,2025-05-20,2025-05-15 10:00,,,
F05,C-FULL,18100,online,2025-05-06 08:00,2025-05-20,2025-05-20 23:30,,,
F06,C-FULL,18100,online,2025-05-07 08:00,2025-05-10,2025-05-12 09:00,,,
F07,C-FULL,18100,online,2025-05-08 08:00,,,,,
F08,C-FULL,18100,direct,2025-05-10 09:00,2025-05-25,,,,
F09,C-FULL,18100,direct,2025-05-10 09:00,2025-05-25,,,,
F10,C-FULL,18100,direct,2025-05-10 09:00,2025-05-25,,,,
F11,C-FULL,18100,online,2025-05-31 23:30,,,,,
F12,C-FULL,18100,direct,2025-04-30 23:59,2025-05-01,2025-05-02 10:00,,,
F13,C-FULL,18100,online,2025-06-01 00:00,,,,,
P01,C-PART,18101,online,2025-05-05 08:00,,,,x,x
P02,C-PART,18101,direct,2025-05-05 09:00,,,,x,x
P03,C-PART,18101,direct,2025-05-05 10:00,,,,x,
P04,C-PART,18101,postal,2025-05-05 11:00,,,,x,
N01,C-NONE,443,online,2025-05-06 08:00,,,,x,
N02,C-NONE,443,direct,2025-05-06 09:00,,,,x,
N03,C-NONE,443,online,2025-05-06 10:00,,,partial,x,x
R01,C-CERT,18101,direct,2025-05-07 08:00,,,,x,
S01,S-PART,42-STP,online,2025-05-08 08:00,2025-05-09,2025-05-09 08:00,,x,x
S02,S-PART,42-STP,online,2025-05-08 09:00,,,,x,x
S03,S-PART,42-STP,online,2025-05-08 10:00,,,,x,x
S04,S-PART,42-STP,online,2025-05-08 11:00,,,,x,x
S05,S-PART,42-STP,direct,2025-05-08 12:00,,,,x,x
X01,X-NOFIELD,18100,direct,2025-05-09 08:00,,,,,
X02,X-NOFIELD,18100,direct,2025-05-09 09:00,,,,,
`;

const MAY = { from: '2025-05-01', to: '2025-05-31' };

let store: TempStore;
const db = () => store.db;
const unit = (code: string, period = MAY) => resolveUnit(db(), code, period);
const query = (params: Record<string, string> = {}): ProcedureQuery =>
	urlState(PROCEDURE_PARAMS, params);
const view = async (code: string, params: Record<string, string> = {}, period = MAY) =>
	proceduresView(db(), await unit(code, period), period, query(params));

beforeAll(async () => {
	store = await tempStore();
	await importFile(store.db, 'units', store.file('units.csv', UNITS_CSV));
	await importFile(store.db, 'procedures', store.file('procedures.csv', PROCEDURES));
	await importFile(store.db, 'targets', store.file('targets.csv', TARGETS));
	await importFile(store.db, 'dossiers', store.file('dossiers.csv', DOSSIERS));
});
afterAll(() => store.dispose());

describe('the counts per procedure', () => {
	it('counts each procedure of the province in May, received measures by day received and on-time by day completed', async () => {
		const rows = (await procedureBreakdown(db(), await unit('42'), MAY)).procedures;
		const byCode = Object.fromEntries(rows.map((r) => [r.code, r.counts]));
		expect(Object.keys(byCode)).toEqual([
			'C-CERT',
			'C-FULL',
			'C-NONE',
			'C-PART',
			'S-PART',
			'X-NOFIELD'
		]);
		expect(byCode['C-FULL']).toEqual({
			dossiers: 11,
			eligible_online: 8,
			eligible: 11,
			full_process_online: 8,
			full_process: 11,
			fee_paid_online: 0,
			fee_required: 0,
			completed_on_time: 5,
			completed_with_due: 7
		});
		expect(byCode['C-NONE']).toMatchObject({ dossiers: 3, eligible: 1, eligible_online: 1 });
		expect(byCode['C-PART']).toMatchObject({ fee_required: 4, fee_paid_online: 2, eligible: 4 });
		expect(byCode['S-PART']).toMatchObject({
			eligible_online: 4,
			eligible: 5,
			fee_paid_online: 5,
			completed_on_time: 1,
			completed_with_due: 1
		});
		expect(rows.find((r) => r.code === 'X-NOFIELD')).toMatchObject({
			field: null,
			online_level: 'full'
		});
	});

	it.each([
		['42', MAY],
		['443', MAY],
		['18100', MAY],
		['42', { from: '2025-04-15', to: '2025-06-10' }],
		['42', { from: '2025-05-31', to: '2025-06-01' }]
	])(
		'adds up, over the procedures of %s from %o, to the KPI report of the subtree',
		async (code, period) => {
			const rows = (await procedureBreakdown(db(), await unit(code, period), period)).procedures;
			const report = await kpiReport(db(), code, period);
			const total = (id: keyof (typeof rows)[number]['counts']) =>
				rows.reduce((sum, r) => sum + r.counts[id], 0);
			expect(total('dossiers')).toBe(report.kpis.dossier_digitization_rate.denominator);
			expect(total('dossiers')).toBeGreaterThan(0);
			const view = await proceduresView(db(), await unit(code, period), period, query());
			for (const id of PROCEDURE_KPIS) {
				const { numerator, denominator } = report.kpis[id];
				expect([view.overall.kpis[id].numerator, view.overall.kpis[id].denominator]).toEqual([
					numerator,
					denominator
				]);
			}
		}
	);

	it('shows the district only the procedures of its own subtree', async () => {
		const rows = (await procedureBreakdown(db(), await unit('443'), MAY)).procedures;
		expect(rows.map((r) => r.code)).toEqual(['C-CERT', 'C-FULL', 'C-NONE', 'C-PART', 'X-NOFIELD']);
	});
});

describe('where to act', () => {
	it('ranks the province’s procedures by the online dossiers missing for the 70% province target', async () => {
		const may = await view('42');
		expect(may.target).toEqual({ value: 0.7, level: 'province', campaign: 'Tháng cao điểm' });
		expect(may.whereToAct.map((p) => [p.code, p.extra_online_needed])).toEqual([
			['C-PART', 2],
			['X-NOFIELD', 2]
		]);
		// 14 of 23 eligible dossiers online: ceil(16.1) − 14.
		expect(may.overall.extra_online_needed).toBe(3);
		expect(may.overall.online_status).toBe('below');
		expect(may.table.rows.map((r) => [r.code, r.online_status])).toEqual([
			['C-FULL', 'met'],
			['S-PART', 'met'],
			['C-PART', 'below'],
			['C-NONE', 'met'],
			['X-NOFIELD', 'below'],
			['C-CERT', null]
		]);
		expect(may.overall.kpis.online_submission_rate).toEqual({
			numerator: 14,
			denominator: 23,
			value: 14 / 23,
			target: 0.7,
			status: 'below',
			gap: 3,
			change: null
		});
	});

	it('uses the district’s 80% for the district and the commune’s 90% for a commune', async () => {
		expect((await view('443')).whereToAct.map((p) => [p.code, p.extra_online_needed])).toEqual([
			['C-PART', 3],
			['X-NOFIELD', 2],
			['C-FULL', 1]
		]);
		const commune = await view('18100');
		expect(commune.target?.value).toBe(0.9);
		// Both miss 2: the busier procedure first.
		expect(commune.whereToAct.map((p) => [p.code, p.extra_online_needed])).toEqual([
			['C-FULL', 2],
			['X-NOFIELD', 2]
		]);
	});

	it('ranks nothing and needs no figure in April, when no campaign sets the target', async () => {
		const april = await view('42', {}, { from: '2025-04-01', to: '2025-04-30' });
		expect(april.target).toBeNull();
		expect(april.whereToAct).toEqual([]);
		expect(april.overall.extra_online_needed).toBeNull();
		expect(april.table.rows.map((r) => [r.code, r.extra_online_needed])).toEqual([
			['C-FULL', null]
		]);
	});
});

describe('fields', () => {
	it('groups the procedures by field, busiest first, the unclassified ones included', async () => {
		const may = await view('42');
		expect(may.fields.map((f) => [f.field, f.procedures, f.volume])).toEqual([
			['Hộ tịch', 2, 15],
			['Lý lịch tư pháp', 1, 5],
			['Chứng thực', 2, 4],
			[null, 1, 2]
		]);
		expect(may.fields[0].kpis.online_submission_rate).toMatchObject({
			numerator: 9,
			denominator: 15,
			value: 9 / 15
		});
	});

	it('narrows the table, the ranking and the total to one field, every field still listed', async () => {
		const civil = await view('42', { field: 'Hộ tịch' });
		expect(civil.table.rows.map((r) => r.code)).toEqual(['C-FULL', 'C-PART']);
		expect(civil.whereToAct.map((r) => r.code)).toEqual(['C-PART']);
		// 9 of 15 online: ceil(10.5) − 9.
		expect(civil.overall.extra_online_needed).toBe(2);
		expect(civil.fields).toHaveLength(4);
		const none = await view('42', { field: NO_FIELD });
		expect(none.table.rows.map((r) => r.code)).toEqual(['X-NOFIELD']);
		expect((await view('42', { field: 'Không có' })).table.total).toBe(0);
	});
});

describe('the table', () => {
	it('sorts by volume by default, then by a rate either way with empty rates last', async () => {
		expect((await view('42')).table.rows.map((r) => r.code)).toEqual([
			'C-FULL',
			'S-PART',
			'C-PART',
			'C-NONE',
			'X-NOFIELD',
			'C-CERT'
		]);
		const rate = (dir: string) =>
			view('42', { sort: 'online_submission_rate', dir }).then((v) =>
				v.table.rows.map((r) => r.code)
			);
		expect(await rate('asc')).toEqual([
			'X-NOFIELD',
			'C-PART',
			'C-FULL',
			'S-PART',
			'C-NONE',
			'C-CERT'
		]);
		expect(await rate('desc')).toEqual([
			'C-NONE',
			'S-PART',
			'C-FULL',
			'C-PART',
			'X-NOFIELD',
			'C-CERT'
		]);
		const names = await view('42', { sort: 'name' });
		// Vietnamese order: C, Ch, Đ, T.
		expect(names.table.rows.map((r) => r.name)).toEqual([
			'Cấp Phiếu lý lịch tư pháp',
			'Chứng thực bản sao',
			'Chứng thực chữ ký',
			'Đăng ký kết hôn',
			'Đăng ký khai sinh',
			'Thủ tục chưa phân loại'
		]);
	});
});

describe('paging', () => {
	let many: TempStore;
	const catalogue = Array.from({ length: 53 }, (_, i) => `Q${String(i + 1).padStart(3, '0')}`);

	beforeAll(async () => {
		many = await tempStore();
		await importFile(many.db, 'units', many.file('units.csv', UNITS_CSV));
		await importFile(
			many.db,
			'procedures',
			many.file(
				'procedures.csv',
				`code,name,level,field,online_level,has_fee,online_payment\n${catalogue
					.map((code) => `${code},Thủ tục ${code},commune,Hộ tịch,full,false,false`)
					.join('\n')}\n`
			)
		);
		// Q001 has one dossier, Q002 two, …: the busiest procedure is the last code.
		const rows = catalogue.flatMap((code, i) =>
			Array.from(
				{ length: i + 1 },
				(_, k) => `${code}-${k},${code},18100,online,2025-05-02 08:00,,,,,`
			)
		);
		await importFile(many.db, 'dossiers', many.file('d.csv', `${HEADER}\n${rows.join('\n')}\n`));
	});
	afterAll(() => many.dispose());

	const page = async (n: string) => {
		const unitRef = await resolveUnit(many.db, '42', MAY);
		return (await proceduresView(many.db, unitRef, MAY, query({ page: n }))).table;
	};

	it('gives 50 procedures a page, the rest on the second, and the last page for a page past it', async () => {
		const first = await page('1');
		expect([first.total, first.pages, first.page, first.rows.length]).toEqual([53, 2, 1, 50]);
		expect(first.rows[0]).toMatchObject({ code: 'Q053', volume: 53 });
		const second = await page('2');
		expect(second.rows.map((r) => r.code)).toEqual(['Q003', 'Q002', 'Q001']);
		const past = await page('7');
		expect([past.page, past.rows.map((r) => r.code)]).toEqual([2, ['Q003', 'Q002', 'Q001']]);
	});
});
