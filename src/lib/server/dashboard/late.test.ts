/**
 * The Late dossiers page on a small province built so every count is known: dossiers open past
 * their due date at the end of the as-of day, dossiers completed late in the period, both at the
 * edges of local days; the unit and procedure filters (a unit outside the subtree is refused),
 * the scope, and the pages of 50. Data enters only through `importFile`.
 */
import type { DateRange } from '../../domain/periods';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OutOfScope } from '../auth/scope';
import { importFile } from '../import/run';
import { kpiReport } from '../kpi/report';
import { resolveUnit } from '../units/versions';
import { canonicalQuery } from '../../domain/periods';
import { LATE, pickerKept } from '../../domain/url-params';
import {
	PROCEDURES_CSV,
	tempStore,
	UNITS_CSV,
	urlState,
	type TempStore
} from '../testing/fixtures';
import { asOfDay, lateView, type LateView } from './late';

const BIRTH = '1.001193';
const RECORD = '2.000488';
const HEADER =
	'dossier_code,procedure_code,unit_code,channel,received_at,due_at,completed_at,status';

/**
 * O*: open cases seen from the end of 31/05/2025; L*: completed around May. A due date alone
 * means the end of that day (23:59:59.999999).
 */
const DOSSIERS = `${HEADER}
O1,${BIRTH},18100,online,2025-05-02 08:00,2025-05-10,,processing
O2,${BIRTH},18100,online,2025-05-03 08:00,2025-05-31,,
O3,${BIRTH},18101,online,2025-05-04 08:00,2025-06-01,,
O4,${BIRTH},18101,direct,2025-05-05 08:00,2025-05-20,2025-06-03 10:00,
O5,${BIRTH},443,direct,2025-05-06 08:00,2025-05-15,,withdrawn
O6,${RECORD},42-STP,online,2025-05-03 08:00,2025-05-12,,
O7,${BIRTH},18100,direct,2025-04-01 08:00,2025-04-10,,
O8,${BIRTH},18100,direct,2025-05-07 08:00,2025-05-31 17:00,,
O9,${BIRTH},18101,direct,2025-05-08 08:00,2025-05-09,,returned
L1,${BIRTH},18100,online,2025-05-02 09:00,2025-05-10,2025-05-10 23:30,
L2,${BIRTH},18100,online,2025-05-02 10:00,2025-05-10,2025-05-11 00:00,
L3,${BIRTH},18101,online,2025-05-02 11:00,2025-05-20 17:00,2025-05-20 17:30,
L4,${BIRTH},443,direct,2025-04-20 08:00,2025-04-28,2025-05-31 23:30,
L5,${BIRTH},18101,direct,2025-05-20 08:00,2025-05-25,2025-06-01 00:10,
L6,${RECORD},42-STP,direct,2025-05-02 08:00,2025-05-05,2025-05-08 09:00,
L7,${BIRTH},18101,direct,2025-05-02 08:00,,2025-05-30 08:00,
`;

const MAY: DateRange = { from: '2025-05-01', to: '2025-05-31' };
const LAST_DATA_DAY = '2025-06-15';

let store: TempStore;
const db = () => store.db;
const idOf = async (code: string, period: DateRange = MAY) =>
	(await resolveUnit(db(), code, period)).id;

async function view(
	code: string,
	params: Record<string, string> = {},
	{
		period = MAY,
		lastDataDay = LAST_DATA_DAY
	}: { period?: DateRange; lastDataDay?: string | null } = {}
): Promise<LateView> {
	const unit = await resolveUnit(db(), code, period);
	return lateView(db(), unit, period, lastDataDay, urlState(LATE, params));
}

/** The list of every open dossier, whenever received: what these tests pinned before issue 12. */
const allOpen = (
	code: string,
	params: Record<string, string> = {},
	options?: Parameters<typeof view>[2]
) => view(code, { received: 'any', ...params }, options);

const listed = (v: LateView) => v.rows.map((r) => [r.dossier_code, r.days_late]);

beforeAll(async () => {
	store = await tempStore();
	await importFile(store.db, 'units', store.file('units.csv', UNITS_CSV));
	await importFile(store.db, 'procedures', store.file('procedures.csv', PROCEDURES_CSV));
	await importFile(store.db, 'dossiers', store.file('dossiers.csv', DOSSIERS));
});
afterAll(() => store.dispose());

describe('open dossiers past their due date', () => {
	it('lists, at the end of 31/05, those due before then without a result then, longest late first', async () => {
		const may = await allOpen('42');
		expect(may.asOf).toBe('2025-05-31');
		expect(may.counts).toEqual({ open: 7, completed: 4 });
		// O8 (due 17:00) and O2 (due at the end of the day) are late by the end of 31/05, the same day.
		expect(listed(may)).toEqual([
			['O7', 51],
			['O1', 21],
			['O6', 19],
			['O4', 11],
			['L5', 6],
			['O8', 0],
			['O2', 0]
		]);
	});

	it('counts a dossier completed after the as-of day as open then, and shows its later result', async () => {
		// L5 too: due 25/05, completed at 00:10 on 01/06.
		const o4 = (await allOpen('42')).rows.find((r) => r.dossier_code === 'O4')!;
		expect(o4).toMatchObject({
			unit_code: '18101',
			unit_name: 'Xã Mỹ Lộc',
			procedure_name: 'Đăng ký khai sinh',
			received_at: '2025-05-05T08:00:00',
			due_at: '2025-05-20T23:59:59',
			completed_at: '2025-06-03T10:00:00',
			days_late: 11
		});
	});

	it('counts at the end of the last data day when it comes before the end of the period', async () => {
		const mid = await allOpen('42', {}, { lastDataDay: '2025-05-15' });
		expect(mid.asOf).toBe('2025-05-15');
		// L4 was still without a result on 15/05 (completed 31/05); O4 and L3 were not yet due.
		expect(listed(mid)).toEqual([
			['O7', 35],
			['L4', 17],
			['O1', 5],
			['O6', 3]
		]);
		expect(asOfDay(MAY, null)).toBe('2025-05-31');
		expect(asOfDay(MAY, '2025-07-01')).toBe('2025-05-31');
	});

	it('leaves out withdrawn and returned dossiers, which will get no result', async () => {
		const codes = (await allOpen('42')).rows.map((r) => r.dossier_code);
		expect(codes).not.toContain('O5');
		expect(codes).not.toContain('O9');
	});
});

describe('dossiers completed late', () => {
	it('lists those completed in the period after their due date, even on the due day itself', async () => {
		const may = await view('42', { list: 'completed' });
		expect(may.query.list).toBe('completed');
		expect(listed(may)).toEqual([
			['L4', 33],
			['L6', 3],
			['L2', 1],
			['L3', 0]
		]);
	});

	it('matches the on-time KPI: completed with a due date minus completed on time', async () => {
		const report = await kpiReport(db(), '42', MAY);
		const { numerator, denominator } = report.kpis.on_time_rate;
		expect((await view('42')).counts.completed).toBe(denominator - numerator);
		expect(denominator - numerator).toBe(4);
	});
});

describe('scope and filters', () => {
	it('shows the district only its subtree', async () => {
		const district = await allOpen('443');
		expect(district.counts).toEqual({ open: 6, completed: 3 });
		expect(district.rows.map((r) => r.dossier_code)).toEqual(['O7', 'O1', 'O4', 'L5', 'O8', 'O2']);
	});

	it('narrows to a unit of the subtree and everything below it', async () => {
		expect((await allOpen('42', { unit: String(await idOf('443')) })).counts).toEqual({
			open: 6,
			completed: 3
		});
		const commune = await allOpen('443', { unit: String(await idOf('18101')) });
		expect(commune.counts).toEqual({ open: 2, completed: 1 });
		expect(listed(commune)).toEqual([
			['O4', 11],
			['L5', 6]
		]);
	});

	it('refuses a unit outside the subtree, the new commune that reuses a code of the district included', async () => {
		const outside = [
			await idOf('42-STP'),
			await idOf('42'),
			await idOf('18100', { from: '2025-07-01', to: '2025-07-31' }),
			999_999
		];
		for (const id of outside) {
			await expect(allOpen('443', { unit: String(id) })).rejects.toBeInstanceOf(OutOfScope);
		}
	});

	it('narrows to a procedure, and offers the procedures and units that have late dossiers', async () => {
		const record = await allOpen('42', { procedure: RECORD });
		expect(record.counts).toEqual({ open: 1, completed: 1 });
		const all = await allOpen('42');
		expect(all.procedures).toEqual([
			{ code: RECORD, name: 'Cấp Phiếu lý lịch tư pháp', late: 1 },
			{ code: BIRTH, name: 'Đăng ký khai sinh', late: 6 }
		]);
		expect(all.units.map((u) => [u.code, u.name, u.depth, u.late])).toEqual([
			['42-STP', 'Sở Tư pháp', 1, 1],
			['443', 'Huyện Can Lộc', 1, 6],
			['18101', 'Xã Mỹ Lộc', 2, 2],
			['18100', 'Xã Thượng Lộc', 2, 4]
		]);
	});

	it('counts each filter’s options under the other filter, and keeps the chosen unit listed', async () => {
		const commune = await allOpen('42', { unit: String(await idOf('18101')), procedure: RECORD });
		expect(commune.counts).toEqual({ open: 0, completed: 0 });
		expect(commune.procedures).toEqual([{ code: BIRTH, name: 'Đăng ký khai sinh', late: 2 }]);
		expect(commune.units.map((u) => [u.code, u.late])).toEqual([
			['42-STP', 1],
			['18101', 0]
		]);
	});
});

describe('pages of 50', () => {
	const MARCH: DateRange = { from: '2025-03-01', to: '2025-03-31' };
	/** 53 dossiers open at the end of March, due on 1–28 March in turn, completed in April. */
	const backlog = Array.from({ length: 53 }, (_, i) => ({
		code: `M${String(i + 1).padStart(2, '0')}`,
		due: `2025-03-${String((i % 28) + 1).padStart(2, '0')}`
	}));
	// Longest late first: the earliest due date, then the code.
	const order = [...backlog]
		.sort((a, b) => a.due.localeCompare(b.due) || a.code.localeCompare(b.code))
		.map((d) => d.code);

	beforeAll(async () => {
		const rows = backlog.map(
			(d) => `${d.code},${BIRTH},18101,direct,2025-03-01 07:00,${d.due},2025-04-10 08:00,`
		);
		await importFile(
			store.db,
			'dossiers',
			store.file('march.csv', `${HEADER}\n${rows.join('\n')}\n`)
		);
	});

	const page = (n: string) => view('443', { page: n }, { period: MARCH });

	it('gives the first 50 on page 1 and the other 3 on page 2, in one order', async () => {
		const first = await page('1');
		expect([first.counts.open, first.pages, first.page, first.rows.length]).toEqual([53, 2, 1, 50]);
		expect(first.rows.map((r) => r.dossier_code)).toEqual(order.slice(0, 50));
		expect(first.rows[0].days_late).toBe(30);
		const second = await page('2');
		expect(second.rows.map((r) => r.dossier_code)).toEqual(order.slice(50));
	});

	it('shows the last page for a page past it', async () => {
		const past = await page('9');
		expect(past.page).toBe(2);
		expect(past.rows.map((r) => r.dossier_code)).toEqual(order.slice(50));
	});

	it('does not count the March backlog as open or late in May', async () => {
		expect((await allOpen('443')).counts).toEqual({ open: 6, completed: 3 });
	});
});

describe('chasing late units (issue 12)', () => {
	const JULY: DateRange = { from: '2025-07-01', to: '2025-07-31' };
	const july = (params: Record<string, string> = {}) =>
		view('42', params, { period: JULY, lastDataDay: '2025-08-15' });

	beforeAll(async () => {
		// J1 at the new Xã Đồng Lộc (18100 from 01/07/2025), due 10/07 and open at the end of July.
		await importFile(
			store.db,
			'dossiers',
			store.file('july.csv', `${HEADER}\nJ1,${BIRTH},18100,online,2025-07-02 08:00,2025-07-10,,\n`)
		);
	});

	it('lists by default the open dossiers received in the period, not the backlog of earlier periods', async () => {
		const may = await view('42');
		expect(may.query.received).toBe('period');
		// O7 was received in April: open past due, but not May's.
		expect(may.counts).toEqual({ open: 6, completed: 4 });
		expect(listed(may)).toEqual([
			['O1', 21],
			['O6', 19],
			['O4', 11],
			['L5', 6],
			['O8', 0],
			['O2', 0]
		]);
		expect(listed(await july())).toEqual([['J1', 21]]);
	});

	it('lists every open dossier with `received=any`: units that exist at the period’s end first, most overdue first, then the ended units’', async () => {
		const all = await july({ received: 'any' });
		expect(all.counts.open).toBe(7);
		expect(listed(all)).toEqual([
			['O6', 80],
			['J1', 21],
			['O7', 112],
			['O1', 82],
			['O8', 61],
			['O2', 61],
			['O3', 60]
		]);
		expect(all.rows.map((r) => r.unit_ended)).toEqual([
			null,
			null,
			'2025-06-30',
			'2025-06-30',
			'2025-06-30',
			'2025-06-30',
			'2025-06-30'
		]);
	});

	it('ranks the children by late dossiers, with the share of their dossiers and the oldest', async () => {
		const may = await view('42');
		// Received in May at Can Lộc: O1–O5, O8, O9, L1–L3, L5, L7 (12); late at the end of 31/05:
		// O1, O2, O4, O8, L5. At Sở Tư pháp: O6 and L6, O6 late.
		expect(may.ranking.map((u) => [u.code, u.late, u.dossiers, u.share, u.most_days_late])).toEqual(
			[
				['443', 5, 12, 5 / 12, 21],
				['42-STP', 1, 2, 1 / 2, 19]
			]
		);
		expect(may.ranking[0]).toMatchObject({
			name: 'Huyện Can Lộc',
			ended: null,
			oldest_received: '2025-05-02T08:00:00'
		});
		const byShare = await view('42', { by: 'share' });
		expect(byShare.ranking.map((u) => u.code)).toEqual(['42-STP', '443']);
		const byName = await view('42', { by: 'name' });
		expect(byName.ranking.map((u) => u.code)).toEqual(['443', '42-STP']);
	});

	it('ranks the completed-late list against the completions with a due date, as the on-time rate', async () => {
		const may = await view('42', { list: 'completed' });
		// Can Lộc: L1 on time, L2, L3, L4 late (L7 has no due date); Sở Tư pháp: L6 late.
		expect(may.ranking.map((u) => [u.code, u.late, u.dossiers])).toEqual([
			['443', 3, 4],
			['42-STP', 1, 1]
		]);
	});

	it('keeps an ended district in the ranking of every open dossier, marked ended, after a new commune', async () => {
		const all = await july({ received: 'any', by: 'oldest' });
		expect(all.ranking.map((u) => [u.code, u.late, u.dossiers, u.ended])).toEqual([
			['443', 5, 5, '2025-06-30'],
			['42-STP', 1, 1, null],
			['18100', 1, 1, null]
		]);
		// Every unit of the subtree valid in July is ranked, a unit without late dossiers too.
		const received = await july();
		expect(received.ranking.map((u) => [u.code, u.late, u.dossiers])).toEqual([
			['18100', 1, 1],
			['42-STP', 0, 0]
		]);
	});

	it('keeps the list and its filter through a new period chosen in the picker', () => {
		const submitted = new URLSearchParams(
			'kind=month&month=2025-07&vs=previous&list=completed&received=any&by=share'
		);
		const picked = canonicalQuery(submitted, []);
		expect(picked && 'query' in picked).toBe(true);
		const query = (picked as { query: URLSearchParams }).query;
		expect(urlState(LATE, query.toString())).toMatchObject({
			list: 'completed',
			received: 'any',
			by: 'share'
		});
		expect(query.get('from')).toBe('2025-07-01');
		for (const name of ['list', 'received', 'by']) {
			expect(pickerKept('/u/[code]/late')).toContain(name);
		}
	});
});
