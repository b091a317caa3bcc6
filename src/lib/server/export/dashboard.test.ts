/**
 * Each dashboard table's export holds the page module's own values for the same unit, period and
 * parameters — read back from the XLSX and the CSV, exactly — on a small province built so the
 * values are known, whose imported unit and procedure names begin like formulas.
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../domain/types';
import { COMPARE, LATE, MAP, PROCEDURES, TRENDS, type Vocabulary } from '../../domain/url-params';
import { importFile } from '../import/run';
import { tempStore, urlState, viewState, type TempStore } from '../testing/fixtures';
import { compareChildren } from '../dashboard/compare';
import { unitContext } from '../dashboard/context';
import { lateRows, lateView } from '../dashboard/late';
import { lateTable } from './tables';
import { proceduresView } from '../dashboard/procedures';
import { unitTrend } from '../dashboard/trends';
import { writeCsv } from './csv';
import { DASHBOARD_EXPORTS, type DashboardExport, type DashboardTable } from './dashboard';
import type { ExportTable } from './table';
import { writeXlsx } from './xlsx';
import { parseCsv } from '../testing/csv';

const UNITS = `code,name,level,parent_code,valid_from,valid_to
42,Tỉnh Hà Tĩnh,province,,,
42-STP,@Sở Tư pháp,department,42,,
443,Huyện Can Lộc,district,42,,2025-06-30
18100,"=HYPERLINK(""http://x"",""Xã Thượng Lộc"")",commune,443,,2025-06-30
18101,+Xã Mỹ Lộc,commune,443,,2025-06-30
18102,-Xã Vượng Lộc,commune,443,,2025-06-30
`;

const PROCEDURES_CSV = `code,name,level,field,online_level,has_fee,online_payment,unit_code,active
1.001193,=1+1 Đăng ký khai sinh,commune,Hộ tịch,full,false,false,,true
2.000488,Cấp Phiếu lý lịch tư pháp,province,@Lý lịch,partial,true,true,42-STP,true
`;

const HEADER = 'dossier_code,procedure_code,unit_code,channel,received_at,due_at,completed_at';
const DOSSIERS = [
	HEADER,
	...Array.from(
		{ length: 7 },
		(_, i) =>
			`TL-${i},1.001193,18100,${i < 3 ? 'online' : 'direct'},2025-05-0${i + 1} 08:00,2025-05-10,`
	),
	...Array.from(
		{ length: 4 },
		(_, i) => `ML-${i},1.001193,18101,online,2025-05-0${i + 1} 09:00,2025-05-20,2025-05-1${i} 10:00`
	),
	'VL-0,1.001193,18102,direct,2025-04-02 08:00,2025-04-10,2025-05-03 08:00',
	'STP-0,2.000488,42-STP,online,2025-05-02 08:00,2025-05-05,2025-05-08 09:00',
	'STP-1,2.000488,42-STP,direct,2025-05-03 08:00,2025-05-30,',
	// The last day with data is the period's last: open dossiers are counted at its end.
	'ML-9,1.001193,18101,online,2025-05-31 08:00,,'
].join('\n');

const ADMIN: Principal = { username: 'admin', role: 'admin', unitCode: '42' };
const MAY = 'from=2025-05-01&to=2025-05-31';
const NOW = Date.UTC(2025, 5, 2, 3, 0);

let store: TempStore;

beforeAll(async () => {
	store = await tempStore();
	await importFile(store.db, 'units', store.file('units.csv', UNITS));
	await importFile(store.db, 'procedures', store.file('procedures.csv', PROCEDURES_CSV));
	await importFile(store.db, 'dossiers', store.file('dossiers.csv', `${DOSSIERS}\n`));
});
afterAll(() => store.dispose());

async function scope<S>(
	code: string,
	vocabulary: Vocabulary<S>,
	params: Record<string, string> = {}
) {
	const context = await unitContext(store.db, ADMIN, code, viewState(MAY));
	return { db: store.db, principal: ADMIN, context, state: urlState(vocabulary, params) };
}

async function exported<S>(
	table: DashboardTable,
	code: string,
	vocabulary: Vocabulary<S>,
	params: Record<string, string> = {},
	locale: 'vi' | 'en' = 'vi'
): Promise<ExportTable> {
	const spec = DASHBOARD_EXPORTS[table] as unknown as DashboardExport<S>;
	const s = await scope(code, vocabulary, params);
	const frame = {
		unit: s.context.unit,
		period: s.context.period,
		locale,
		username: 'admin',
		now: NOW
	};
	return spec.build(s, frame);
}

/** The data rows of the table's only sheet, read back: values as exceljs gives them. */
async function xlsxRows(table: ExportTable): Promise<unknown[][]> {
	const workbook = new ExcelJS.Workbook();
	await workbook.xlsx.load((await writeXlsx([table])) as unknown as ArrayBuffer);
	const sheet = workbook.worksheets[0];
	const first = table.title.length + 2;
	const rows: unknown[][] = [];
	for (let r = first; r < first + table.rows.length; r++) {
		const row = sheet.getRow(r);
		rows.push(table.columns.map((_, c) => row.getCell(c + 1).value ?? null));
	}
	return rows;
}

const csvRows = (table: ExportTable) =>
	parseCsv(writeCsv(table).toString('utf8').slice(1)).slice(
		table.title.length + 1,
		table.title.length + 1 + table.rows.length
	);

const column = (table: ExportTable, header: string) => {
	const i = table.columns.findIndex((c) => c.header === header);
	expect(i, header).toBeGreaterThanOrEqual(0);
	return i;
};

describe('the comparison export', () => {
	it('holds every child with each KPI’s rate, numerator and denominator as the page module gives them', async () => {
		const table = await exported('compare', '443', COMPARE);
		const page = await compareChildren(
			store.db,
			(await scope('443', COMPARE)).context,
			urlState(COMPARE, {})
		);
		const rows = await xlsxRows(table);
		expect(rows.map((r) => r[0])).toEqual(page.children.map((c) => c.unit.name));
		const rate = column(table, 'Tỷ lệ hồ sơ nộp trực tuyến: tỷ lệ');
		expect(page.children.map((c) => c.kpis.online_submission_rate.denominator)).toEqual([5, 7, 0]);
		page.children.forEach((child, i) => {
			const kpi = child.kpis.online_submission_rate;
			expect(rows[i].slice(rate, rate + 3)).toEqual([kpi.value, kpi.numerator, kpi.denominator]);
		});
		// 3 of 7 online at Thượng Lộc: the number itself, not its text.
		expect(rows[1][rate]).toBe(3 / 7);
		expect(rows[2][rate]).toBeNull();
		expect(table.sheet).toBe('So sánh đơn vị');
	});

	it('keeps names beginning with = + - as text in XLSX and prefixes them in CSV', async () => {
		const table = await exported('compare', '443', COMPARE, { sort: 'name' });
		const names = ['-Xã Vượng Lộc', '+Xã Mỹ Lộc', '=HYPERLINK("http://x","Xã Thượng Lộc")'];
		expect((await xlsxRows(table)).map((r) => r[0])).toEqual(names);
		expect(csvRows(table).map((r) => r[0])).toEqual(names.map((n) => `'${n}`));
	});

	it('speaks English when the user chose English', async () => {
		const table = await exported('compare', '443', COMPARE, {}, 'en');
		expect(table.columns[0].header).toBe('Unit');
		expect(table.sheet).toBe('Unit comparison');
		expect(table.columns.some((c) => c.header === 'Dossiers filed online: numerator')).toBe(true);
	});
});

describe('the procedures export', () => {
	it('holds every procedure of the page, all pages, with the engine’s counts', async () => {
		const table = await exported('procedures', '42', PROCEDURES);
		const s = await scope('42', PROCEDURES);
		const view = await proceduresView(store.db, s.context.unit, s.context.period, s.state);
		const rows = await xlsxRows(table);
		expect(rows.map((r) => [r[0], r[1], r[2], r[3]])).toEqual(
			view.table.rows.map((p) => [p.code, p.name, p.field, p.volume])
		);
		expect(rows.map((r) => r[3])).toEqual([12, 2]);
		const rate = column(table, 'Tỷ lệ hồ sơ nộp trực tuyến: tỷ lệ');
		expect(rows[0].slice(rate, rate + 3)).toEqual([8 / 12, 8, 12]);
		expect(csvRows(table).map((r) => [r[1], r[2]])).toEqual([
			["'=1+1 Đăng ký khai sinh", 'Hộ tịch'],
			['Cấp Phiếu lý lịch tư pháp', "'@Lý lịch"]
		]);
	});
});

describe('the late dossiers export', () => {
	it('holds the list the page shows, every page of it, with days late and local times', async () => {
		const table = await exported('late', '42', LATE);
		const s = await scope('42', LATE);
		const view = await lateView(
			store.db,
			s.context.unit,
			s.context.period,
			s.context.lastDataDay,
			s.state
		);
		expect(table.rows.map((r) => r[0])).toEqual(view.rows.map((d) => d.dossier_code));
		expect(table.rows.map((r) => [r[0], r[1]])).toEqual([
			['TL-0', 21],
			['TL-1', 21],
			['TL-2', 21],
			['TL-3', 21],
			['TL-4', 21],
			['TL-5', 21],
			['TL-6', 21],
			['STP-1', 1]
		]);
		const rows = await xlsxRows(table);
		expect(rows[0][6]).toEqual(new Date(Date.UTC(2025, 4, 1, 8, 0)));
		expect(csvRows(table)[0].slice(4, 8)).toEqual([
			'18100',
			'=HYPERLINK("http://x","Xã Thượng Lộc")'.replace(/^/, "'"),
			'2025-05-01 08:00',
			'2025-05-10 23:59'
		]);
	});

	it('writes the completed-late list when the page shows it, and says when a limit cut it', async () => {
		const table = await exported('late', '42', LATE, { list: 'completed' });
		expect(table.rows.map((r) => [r[0], r[1]])).toEqual([
			['VL-0', 23],
			['STP-0', 3]
		]);
		expect(table.notes).toEqual([]);
		const s = await scope('42', LATE, { list: 'completed' });
		const { context } = s;
		const cut = await lateRows(
			store.db,
			context.unit,
			context.period,
			context.lastDataDay,
			s.state,
			1
		);
		expect([cut.rows.length, cut.total]).toEqual([1, 2]);
		const frame = {
			unit: context.unit,
			period: context.period,
			locale: 'vi' as const,
			username: 'admin',
			now: NOW
		};
		expect(lateTable(frame, 'completed', cut.rows, { ...cut, filter: null }).notes).toEqual([
			'Chỉ xuất 1 dòng đầu trong tổng số 2 dòng; lọc theo đơn vị hoặc thủ tục để xuất phần còn lại.'
		]);
	});
});

describe('the map and trend exports', () => {
	it('writes the map’s figure table, the unit’s own row first', async () => {
		const table = await exported('map', '443', MAP);
		expect(table.rows.map((r) => [r[0], r[4], r[5]])).toEqual([
			['Huyện Can Lộc (toàn đơn vị)', 8, 12],
			['-Xã Vượng Lộc', 0, 0],
			['+Xã Mỹ Lộc', 5, 5],
			['=HYPERLINK("http://x","Xã Thượng Lộc")', 3, 7]
		]);
	});

	it('writes the 12 months of the trend as the page module gives them', async () => {
		const table = await exported('trends', '443', TRENDS);
		const s = await scope('443', TRENDS);
		const trend = await unitTrend(store.db, s.context, s.state.kpi);
		const rows = await xlsxRows(table);
		expect(rows).toHaveLength(12);
		expect(rows[11].slice(2, 5)).toEqual([8 / 12, 8, 12]);
		expect(rows.map((r) => r[4])).toEqual(trend.months.map((mo) => mo.denominator));
		expect(csvRows(table).map((r) => r[0])).toEqual(trend.months.map((mo) => mo.month.slice(0, 7)));
	});
});
