import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PROCEDURES_CSV, tempStore, UNITS_CSV, type TempStore } from '../testing/fixtures';
import { ImportRejected } from './errors';
import { importFile } from './run';

let store: TempStore;

beforeEach(async () => {
	store = await tempStore();
	await importFile(store.db, 'units', store.file('units.csv', UNITS_CSV));
	await importFile(store.db, 'procedures', store.file('procedures.csv', PROCEDURES_CSV));
});
afterEach(() => store.dispose());

const HEADER = 'dossier_code,procedure_code,unit_code,channel,received_at';

async function dossiers() {
	const { rows } = await sql<Record<string, unknown>>`SELECT d.dossier_code, d.unit_code,
		u.name AS unit_name, p.code AS parent_code, d.channel, d.received_at, d.due_at, d.completed_at,
		d.status, d.fee_required, d.paid_online, d.dossier_digitized, d.rating
		FROM dossiers d JOIN unit_versions u ON u.id = d.unit_version_id
		LEFT JOIN unit_versions p ON p.id = u.parent_id ORDER BY d.dossier_code`.execute(store.db);
	return rows;
}

async function rejection(
	kind: 'units' | 'procedures' | 'dossiers' | 'targets',
	name: string,
	content: string | Buffer
) {
	const before = await store.snapshot('dossiers', 'dossier_code');
	const error = await importFile(store.db, kind, store.file(name, content)).then(
		() => null,
		(e: unknown) => e
	);
	expect(error).toBeInstanceOf(ImportRejected);
	expect(await store.snapshot('dossiers', 'dossier_code')).toEqual(before);
	return (error as ImportRejected).message;
}

describe('importing dossiers', () => {
	it('resolves a code reused after 1 July 2025 by the day each dossier was received', async () => {
		await importFile(
			store.db,
			'dossiers',
			store.file(
				'd.csv',
				`${HEADER}\nA,1.001193,18100,online,2025-06-30 23:30\nB,1.001193,18100,online,2025-07-01 00:10\n`
			)
		);
		const rows = await dossiers();
		expect(rows.map((r) => [r.dossier_code, r.unit_name, r.parent_code])).toEqual([
			['A', 'Xã Thượng Lộc', '443'],
			['B', 'Xã Đồng Lộc', '42']
		]);
	});

	it('leaves the database as it was when the same file is imported twice', async () => {
		const file = store.file(
			'd.csv',
			`${HEADER},completed_at\nA,1.001193,18100,online,2025-05-01,2025-05-02\nB,2.000488,42-STP,direct,2025-05-03,\n`
		);
		const first = await importFile(store.db, 'dossiers', file);
		const after = await store.snapshot('dossiers', 'dossier_code');
		const second = await importFile(store.db, 'dossiers', file);
		expect([first.inserted, first.updated, first.unchanged]).toEqual([2, 0, 0]);
		expect([second.inserted, second.updated, second.unchanged]).toEqual([0, 0, 2]);
		expect(await store.snapshot('dossiers', 'dossier_code')).toEqual(after);
	});

	it('replaces a dossier seen again with a new status and completion date', async () => {
		await importFile(
			store.db,
			'dossiers',
			store.file(
				'may.csv',
				`${HEADER},status\nA,1.001193,18100,online,2025-05-01 08:00,processing\nB,1.001193,18100,direct,2025-05-01 09:00,processing\n`
			)
		);
		const june = await importFile(
			store.db,
			'dossiers',
			store.file(
				'june.csv',
				`${HEADER},completed_at\nA,1.001193,18100,online,2025-05-01 08:00,2025-06-02 10:00\n`
			)
		);
		expect([june.inserted, june.updated, june.unchanged]).toEqual([0, 1, 0]);
		const rows = await dossiers();
		expect(rows.map((r) => [r.dossier_code, r.status, r.completed_at])).toEqual([
			['A', 'completed', '2025-06-02T10:00:00'],
			['B', 'processing', null]
		]);
	});

	it('reads Vietnamese headers, a title block, an STT column and a total row, and says what it skipped', async () => {
		const file = store.file(
			'so-theo-doi.csv',
			'\uFEFFUBND TỈNH HÀ TĨNH\nSỔ THEO DÕI HỒ SƠ\nTừ ngày 01/05/2025 đến ngày 31/05/2025\n' +
				'STT;Mã hồ sơ;Mã TTHC;Mã ĐVHC;Hình thức nộp;Ngày tiếp nhận;Ngày hẹn trả;Ngày hoàn thành;Trạng thái;Có phí, lệ phí;Thanh toán trực tuyến;Số hóa hồ sơ;Đánh giá;Người nhập\n' +
				'1;H-001;1.001193;18100;Trực tuyến;02/05/2025 08:30;05/05/2025;05/05/2025 15:00;Đã trả kết quả;không;;x;Hài lòng;Lan\n' +
				'\n' +
				'2;H-002;2.000488;42-STP;Bưu chính;03/05/2025;;;Đang xử lý;có;2;không;;Lan\n' +
				';Tổng cộng: 2 hồ sơ;;;;;;;;;;;;\n'
		);
		const result = await importFile(store.db, 'dossiers', file);
		expect(result.rows).toBe(2);
		expect(result.warnings).toEqual([
			'skipped 3 title rows above the header (row 4)',
			'ignored unknown columns: Người nhập',
			'skipped blank rows: row 6',
			'skipped total or footer rows: row 8'
		]);
		expect(await dossiers()).toEqual([
			{
				dossier_code: 'H-001',
				unit_code: '18100',
				unit_name: 'Xã Thượng Lộc',
				parent_code: '443',
				channel: 'online',
				received_at: '2025-05-02T08:30:00',
				due_at: '2025-05-05T23:59:59',
				completed_at: '2025-05-05T15:00:00',
				status: 'completed',
				fee_required: false,
				paid_online: false,
				dossier_digitized: true,
				rating: 'satisfied'
			},
			{
				dossier_code: 'H-002',
				unit_code: '42-STP',
				unit_name: 'Sở Tư pháp',
				parent_code: '42',
				channel: 'postal',
				received_at: '2025-05-03T00:00:00',
				due_at: null,
				completed_at: null,
				status: 'processing',
				fee_required: true,
				paid_online: true,
				dossier_digitized: false,
				rating: null
			}
		]);
	});

	it('names the spreadsheet row of an error below a title block and a blank line', async () => {
		const message = await rejection(
			'dossiers',
			'bad.csv',
			`SỔ THEO DÕI HỒ SƠ\n${HEADER}\nA,1.001193,18100,online,2025-05-01\n\nB,1.001193,18100,online,31/02/2024\n`
		);
		expect(message).toBe(
			'bad.csv:5: received_at: not a date; expected yyyy-mm-dd, yyyy-mm-ddThh:mm[:ss], dd/mm/yyyy [hh:mm[:ss]] or yyyyMMddHHmmss (31/02/2024)'
		);
	});

	it('takes the fee from the procedure when the file has no fee column, and false for an empty fee cell', async () => {
		await importFile(
			store.db,
			'dossiers',
			store.file('a.csv', `${HEADER}\nA,2.000488,42-STP,online,2025-05-01\n`)
		);
		await importFile(
			store.db,
			'dossiers',
			store.file('b.csv', `${HEADER},fee_required\nB,2.000488,42-STP,online,2025-05-01,\n`)
		);
		expect((await dossiers()).map((r) => [r.dossier_code, r.fee_required])).toEqual([
			['A', true],
			['B', false]
		]);
	});

	it('converts a timestamp with an offset to Asia/Ho_Chi_Minh wall-clock time', async () => {
		await importFile(
			store.db,
			'dossiers',
			store.file(
				'z.csv',
				`${HEADER}\nA,1.001193,18100,online,2025-06-30T16:30:00Z\nB,1.001193,18100,online,2025-06-30T23:30:00+07:00\n`
			)
		);
		expect((await dossiers()).map((r) => r.received_at)).toEqual([
			'2025-06-30T23:30:00',
			'2025-06-30T23:30:00'
		]);
	});
});

describe('bad input changes nothing and says where', () => {
	const row = (received: string, extra = '') => `A,1.001193,18100,online,${received}${extra}`;

	it('rejects a file without a required column, naming it and its accepted headers', async () => {
		const message = await rejection(
			'dossiers',
			'm.csv',
			'dossier_code,procedure_code,unit_code,received_at\nA,1.001193,18100,2025-05-01\n'
		);
		expect(message).toBe(
			'm.csv:1: channel: required column is missing (accepted headers: channel, Hình thức nộp, KenhThucHien)'
		);
	});

	it('ignores an unknown column and lists it in a warning', async () => {
		const result = await importFile(
			store.db,
			'dossiers',
			store.file('u.csv', `${HEADER},Ghi chú\n${row('2025-05-01')},gấp\n`)
		);
		expect(result.inserted).toBe(1);
		expect(result.warnings).toEqual(['ignored unknown columns: Ghi chú']);
	});

	it('rejects a date that is neither ISO nor dd/MM/yyyy', async () => {
		expect(await rejection('dossiers', 'd.csv', `${HEADER}\n${row('"May 1, 2025"')}\n`)).toMatch(
			/^d\.csv:2: received_at: not a date; .* \(May 1, 2025\)$/
		);
	});

	it('rejects 31/02/2024', async () => {
		expect(await rejection('dossiers', 'd.csv', `${HEADER}\n${row('31/02/2024')}\n`)).toMatch(
			/^d\.csv:2: received_at: not a date; .*\(31\/02\/2024\)$/
		);
	});

	it('rejects the boolean maybe', async () => {
		expect(
			await rejection(
				'dossiers',
				'b.csv',
				`${HEADER},paid_online\n${row('2025-05-01', ',maybe')}\n`
			)
		).toBe(
			'b.csv:2: paid_online: not a yes/no value; expected true/false, 1/0, x/empty or có/không (maybe)'
		);
	});

	it('rejects unknown unit and procedure codes', async () => {
		const message = await rejection(
			'dossiers',
			'c.csv',
			`${HEADER}\nA,9.999999,18100,online,2025-05-01\nB,1.001193,99999,online,2025-05-01\n`
		);
		expect(message.split('\n')).toEqual([
			'c.csv:2: procedure_code: unknown procedure code; import the procedure catalogue first (9.999999)',
			'c.csv:3: unit_code: unknown unit code; import the units first (99999)'
		]);
	});

	it('rejects a unit code with no version valid on the day the dossier was received', async () => {
		expect(
			await rejection('dossiers', 'v.csv', `${HEADER}\nA,1.001193,18101,online,2025-07-02\n`)
		).toBe(
			'v.csv:2: unit_code: no version of this unit is valid on 02/07/2025, the day the dossier was received (18101)'
		);
	});

	it('rejects one dossier code on two rows with different content, and keeps identical repeats once', async () => {
		expect(
			await rejection(
				'dossiers',
				'dup.csv',
				`${HEADER}\n${row('2025-05-01')}\nA,1.001193,18100,direct,2025-05-01\n`
			)
		).toBe('dup.csv:3: dossier_code: the same dossier code is on row 2 with different content (A)');
		const same = await importFile(
			store.db,
			'dossiers',
			store.file('same.csv', `${HEADER}\n${row('2025-05-01')}\n${row('2025-05-01')}\n`)
		);
		expect([same.inserted, same.warnings]).toEqual([
			1,
			['1 rows repeat an earlier row of the file and were counted once']
		]);
	});

	it('rejects an empty file and a file with only a header', async () => {
		expect(await rejection('dossiers', 'empty.csv', '')).toBe(
			'empty.csv: the file is empty (0 bytes)'
		);
		expect(await rejection('dossiers', 'header.csv', `${HEADER}\n`)).toBe(
			'header.csv: no data rows under the header'
		);
	});

	it('rejects a CSV in Windows-1258 or UTF-16 with a message instead of garbage', async () => {
		// "Hà Tĩnh" in Windows-1258: à = 0xE0, ĩ = i + combining tilde 0xDE.
		const cp1258 = Buffer.concat([
			Buffer.from(`${HEADER}\nA,1.001193,18100,online,2025-05-01,H`),
			Buffer.from([0xe0, 0x20, 0x54, 0x69, 0xde, 0x6e, 0x68, 0x0a])
		]);
		expect(await rejection('dossiers', 'cp.csv', cp1258)).toMatch(
			/^cp\.csv: row 2 is not UTF-8 text .*Windows-1258.*save it again as "CSV UTF-8"$/
		);
		const utf16 = Buffer.concat([
			Buffer.from([0xff, 0xfe]),
			Buffer.from(`${HEADER}\n${row('2025-05-01')}\n`, 'utf16le')
		]);
		expect(await rejection('dossiers', 'u16.csv', utf16)).toBe(
			'u16.csv: the file is UTF-16 text; save it again as "CSV UTF-8"'
		);
	});

	it('names a row with more cells than the header', async () => {
		expect(
			await rejection(
				'dossiers',
				'x.csv',
				`${HEADER}\n${row('2025-05-01')}\n${row('2025-05-01', ',extra')}\n`
			)
		).toBe(
			"x.csv:3: more cells than the header's 5 columns (quote a value that contains the delimiter) (extra)"
		);
	});

	it('rejects an unreadable format by its extension', async () => {
		expect(await rejection('dossiers', 'old.xls', 'x')).toBe(
			'old.xls: cannot read .xls files (open it in Excel and save it as .xlsx); expected .csv, .xlsx, .json, .ndjson or .parquet'
		);
	});

	it('collects at most 100 errors and says how many more there are', async () => {
		const rows = Array.from({ length: 130 }, (_, i) => `D${i},1.001193,18100,online,bad`).join(
			'\n'
		);
		const message = await rejection('dossiers', 'many.csv', `${HEADER}\n${rows}\n`);
		const lines = message.split('\n');
		expect(lines).toHaveLength(101);
		expect(lines[100]).toBe('many.csv: … and 30 more errors');
	});
});
