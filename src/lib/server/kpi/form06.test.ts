/**
 * Form 06 on dossiers built so that each column's answer is known, checked against a reading of
 * the same dossiers in JavaScript from the circular's definitions, and the form's identities.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { importFile } from '../import/run';
import { tempStore, UNITS_CSV, type TempStore } from '../testing/fixtures';
import { FORM06_COLUMNS, form06, type Form06Counts } from './form06';

let store: TempStore;
const MAY = { from: '2025-05-01', to: '2025-05-31' };

const PROCEDURES = `code,name,level,field,online_level,has_fee,online_payment,unit_code,active
1.001193,Đăng ký khai sinh,commune,Hộ tịch,full,false,false,,true
1.004227,Chứng thực bản sao,commune,Chứng thực,partial,false,false,,true
9.000001,Thủ tục chưa phân lĩnh vực,commune,,none,false,false,,true
`;

/** code, procedure, unit, channel, received, due, completed, status */
type Row = [string, string, string, string, string, string, string, string];
const ROWS: Row[] = [
	// Hộ tịch at 18100, received in May.
	[
		'N-EARLY',
		'1.001193',
		'18100',
		'online',
		'2025-05-02 08:00',
		'2025-05-10 17:00',
		'2025-05-08 09:00',
		'completed'
	],
	[
		'N-ONTIME',
		'1.001193',
		'18100',
		'direct',
		'2025-05-03 08:00',
		'2025-05-10 17:00',
		'2025-05-10 18:00',
		'completed'
	],
	[
		'N-NODUE',
		'1.001193',
		'18100',
		'postal',
		'2025-05-03 08:00',
		'',
		'2025-05-20 10:00',
		'completed'
	],
	[
		'N-LATE',
		'1.001193',
		'18101',
		'online',
		'2025-05-04 08:00',
		'2025-05-06 17:00',
		'2025-05-07 08:00',
		'completed'
	],
	[
		'N-OPEN-WITHIN',
		'1.001193',
		'18101',
		'online',
		'2025-05-28 08:00',
		'2025-06-04 17:00',
		'',
		'processing'
	],
	[
		'N-OPEN-OVERDUE',
		'1.001193',
		'18100',
		'direct',
		'2025-05-10 08:00',
		'2025-05-31 10:00',
		'',
		'received'
	],
	[
		'N-DONE-IN-JUNE',
		'1.001193',
		'18100',
		'online',
		'2025-05-20 08:00',
		'2025-05-25 17:00',
		'2025-06-02 08:00',
		'completed'
	],
	[
		'N-RETURNED',
		'1.001193',
		'18100',
		'online',
		'2025-05-05 08:00',
		'2025-05-12 17:00',
		'',
		'returned'
	],
	// Chứng thực: carried over from April, resolved in May or still open.
	[
		'C-CARRIED-DONE',
		'1.004227',
		'18100',
		'direct',
		'2025-04-25 08:00',
		'2025-05-02 17:00',
		'2025-05-05 08:00',
		'completed'
	],
	[
		'C-CARRIED-OPEN',
		'1.004227',
		'18101',
		'online',
		'2025-04-28 08:00',
		'2025-05-30 17:00',
		'',
		'processing'
	],
	[
		'C-DONE-IN-APRIL',
		'1.004227',
		'18100',
		'direct',
		'2025-04-10 08:00',
		'2025-04-15 17:00',
		'2025-04-14 08:00',
		'completed'
	],
	[
		'C-WITHDRAWN',
		'1.004227',
		'18101',
		'direct',
		'2025-04-20 08:00',
		'2025-04-30 17:00',
		'',
		'withdrawn'
	],
	// No field; and one of June, which May does not count.
	[
		'X-NOFIELD',
		'9.000001',
		'18101',
		'direct',
		'2025-05-15 08:00',
		'2025-05-16 17:00',
		'2025-05-16 09:00',
		'completed'
	],
	['X-JUNE', '9.000001', '18101', 'direct', '2025-06-01 08:00', '2025-06-02 17:00', '', 'received']
];

beforeAll(async () => {
	store = await tempStore('kpi-form06-');
	await importFile(store.db, 'units', store.file('u.csv', UNITS_CSV));
	await importFile(store.db, 'procedures', store.file('p.csv', PROCEDURES));
	const csv =
		'dossier_code,procedure_code,unit_code,channel,received_at,due_at,completed_at,status\n' +
		ROWS.map((r) => r.join(',')).join('\n') +
		'\n';
	await importFile(store.db, 'dossiers', store.file('d.csv', csv));
});
afterAll(() => store.dispose());

const district = async () =>
	(await sql<{ id: number }>`SELECT id FROM unit_versions WHERE code = '443'`.execute(store.db))
		.rows[0].id;

/** The circular's columns for one row of ROWS in May, read with JavaScript dates. */
function reference(rows: Row[]): Form06Counts {
	const counts = Object.fromEntries(FORM06_COLUMNS.map((c) => [c, 0])) as unknown as Form06Counts;
	const start = '2025-05-01';
	const endDay = '2025-05-31';
	for (const [, , , channel, received, due, completed, status] of rows) {
		const receivedDay = received.slice(0, 10);
		const resultDay = completed.slice(0, 10);
		if (status === 'returned' || status === 'withdrawn' || receivedDay > endDay) continue;
		const carried = receivedDay < start;
		if (carried && completed && resultDay < start) continue;
		counts.received++;
		if (carried) counts.carried_over++;
		else if (channel === 'online') counts.received_online++;
		else counts.received_direct++;
		if (completed && resultDay <= endDay) {
			counts.resolved++;
			const dueDay = due.slice(0, 10);
			if (!due || resultDay === dueDay) counts.resolved_on_time++;
			else if (resultDay < dueDay) counts.resolved_early++;
			else counts.resolved_late++;
		} else {
			counts.in_progress++;
			if (due && due.slice(0, 10) <= endDay) counts.in_progress_overdue++;
			else counts.in_progress_within++;
		}
	}
	return counts;
}

describe('form 06 of Circular 01/2020/TT-VPCP', () => {
	it('counts each field of the district in May as the circular defines its columns', async () => {
		const table = await form06(store.db, await district(), MAY);
		expect(table.rows.map((r) => r.field)).toEqual(['Chứng thực', 'Hộ tịch', null]);
		const hoTich = table.rows.find((r) => r.field === 'Hộ tịch')!;
		expect(hoTich).toEqual({
			field: 'Hộ tịch',
			received: 7,
			received_online: 4,
			received_direct: 3,
			carried_over: 0,
			resolved: 4,
			resolved_early: 1,
			resolved_on_time: 2,
			resolved_late: 1,
			in_progress: 3,
			in_progress_within: 1,
			in_progress_overdue: 2
		});
		const chungThuc = table.rows.find((r) => r.field === 'Chứng thực')!;
		expect(chungThuc).toMatchObject({
			received: 2,
			carried_over: 2,
			resolved: 1,
			resolved_late: 1
		});
		expect(chungThuc).toMatchObject({ in_progress: 1, in_progress_overdue: 1 });
		for (const row of table.rows) {
			const prefix =
				{ 'Hộ tịch': '1.001193', 'Chứng thực': '1.004227' }[row.field ?? ''] ?? '9.000001';
			const { field: _, ...counts } = row;
			expect(counts, String(row.field)).toEqual(reference(ROWS.filter((r) => r[1] === prefix)));
		}
		expect(table.total).toEqual(reference(ROWS));
	});

	it('holds the identities on every row and the total: received = resolved + in progress', async () => {
		const table = await form06(store.db, await district(), MAY);
		for (const row of [...table.rows, table.total]) {
			expect(row.received).toBe(row.received_online + row.received_direct + row.carried_over);
			expect(row.received).toBe(row.resolved + row.in_progress);
			expect(row.resolved).toBe(row.resolved_early + row.resolved_on_time + row.resolved_late);
			expect(row.in_progress).toBe(row.in_progress_within + row.in_progress_overdue);
		}
		const sum = (column: keyof Form06Counts) => table.rows.reduce((n, r) => n + r[column], 0);
		for (const column of FORM06_COLUMNS) expect(table.total[column], column).toBe(sum(column));
	});

	it('counts only the subtree asked, and an empty period as zeros', async () => {
		const { rows } = await sql<{ id: number }>`SELECT id FROM unit_versions
			WHERE code = '18101'`.execute(store.db);
		const commune = await form06(store.db, rows[0].id, MAY);
		expect(commune.total).toEqual(reference(ROWS.filter((r) => r[2] === '18101')));
		const empty = await form06(store.db, await district(), {
			from: '2024-01-01',
			to: '2024-01-31'
		});
		expect(empty.rows).toEqual([]);
		expect(Object.values(empty.total).every((n) => n === 0)).toBe(true);
	});
});
