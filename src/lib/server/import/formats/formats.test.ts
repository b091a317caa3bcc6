import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../store';
import { importFile } from '../run';
import { EXPECTED } from '../sql';
import { cellText, plainNumber } from './xlsx-cells';

const UNITS = `code,name,level,parent_code,valid_from,valid_to
42,Tỉnh Hà Tĩnh,province,,,
443,Huyện Thạch Hà,district,42,,2025-06-30
18100,Xã Thạch Hạ (cũ),commune,443,,2025-06-30
18100,Phường Thạch Hạ (mới),commune,42,2025-07-01,
`;

const PROCEDURES = `code,name,level,online_level,has_fee
1.001193,Đăng ký khai sinh,commune,full,false
`;

/** The three dossiers every format below carries, as stored. */
const STORED = [
	{
		dossier_code: 'HS-001',
		channel: 'online',
		received_at: '2025-06-30T23:30:00',
		unit_name: 'Xã Thạch Hạ (cũ)',
		paid_online: true
	},
	{
		dossier_code: 'HS-002',
		channel: 'direct',
		received_at: '2025-07-01T08:15:00',
		unit_name: 'Phường Thạch Hạ (mới)',
		paid_online: false
	},
	{
		dossier_code: 'HS-003',
		channel: 'postal',
		received_at: '2025-06-15T09:00:00',
		unit_name: 'Huyện Thạch Hà',
		paid_online: true
	}
];

const TITLE = ['UBND TỈNH HÀ TĨNH', 'SỔ THEO DÕI HỒ SƠ', 'Từ ngày 01/06/2025 đến ngày 31/07/2025'];
const HEADER = [
	'STT',
	'Mã hồ sơ',
	'Mã TTHC',
	'Mã đơn vị',
	'Hình thức nộp',
	'Ngày tiếp nhận',
	'Thanh toán trực tuyến'
];

/** A sheet as clerks export it: agency, title and period above the header, the first two merged. */
function addLedger(book: ExcelJS.Workbook, rows: ExcelJS.CellValue[][]): ExcelJS.Worksheet {
	const sheet = book.addWorksheet('Sổ theo dõi');
	for (const title of TITLE) sheet.addRow([title]);
	sheet.mergeCells('A1:G1');
	sheet.mergeCells('A2:G2');
	sheet.addRow(HEADER);
	for (const row of rows) sheet.addRow(row);
	return sheet;
}

describe('importing dossiers from XLSX, JSON, NDJSON and Parquet', () => {
	let dir: string;
	let store: Store;

	const write = (name: string, content: string | Buffer) => {
		const file = path.join(dir, name);
		writeFileSync(file, content);
		return file;
	};

	const stored = async () =>
		(
			await sql<(typeof STORED)[number]>`SELECT d.dossier_code, d.channel, d.received_at,
				uv.name AS unit_name, d.paid_online
				FROM dossiers d JOIN unit_versions uv ON uv.id = d.unit_version_id
				ORDER BY d.dossier_code`.execute(store.db)
		).rows;

	const dossierCount = async () =>
		(await sql<{ n: number }>`SELECT count(*) AS n FROM dossiers`.execute(store.db)).rows[0].n;

	/** The message of a rejected import, after checking that it left the dossiers as they were. */
	const rejection = async (file: string): Promise<string> => {
		const before = await dossierCount();
		const error = await importFile(store.db, 'dossiers', file).then(
			() => null,
			(e: unknown) => e
		);
		expect(error).toBeInstanceOf(Error);
		expect(await dossierCount()).toBe(before);
		return (error as Error).message;
	};

	beforeAll(async () => {
		dir = mkdtempSync(path.join(tmpdir(), 'kpi-formats-'));
		store = await openStore(path.join(dir, 'kpi.duckdb'));
		await importFile(store.db, 'units', write('units.csv', UNITS));
		await importFile(store.db, 'procedures', write('procedures.csv', PROCEDURES));
	});
	afterAll(async () => {
		await store.close();
		rmSync(dir, { recursive: true, force: true });
	});

	describe('each format stores the same three dossiers', () => {
		beforeEach(async () => {
			await sql`DELETE FROM dossiers`.execute(store.db);
		});

		it('reads the first sheet of an XLSX under a merged title block, with a real date cell, an Excel serial date, an STT column, a blank row and a total row', async () => {
			const book = new ExcelJS.Workbook();
			const sheet = addLedger(book, [
				[1, 'HS-001', 1.001193, 18100, 'Trực tuyến', new Date(Date.UTC(2025, 5, 30, 23, 30)), 'x'],
				[2, 'HS-002', '1.001193', '18100', 'Trực tiếp', 45839.34375, null],
				[],
				[3, 'HS-003', '1.001193', 443, 'BCCI', '15/06/2025 09:00', true],
				['Tổng cộng', null, null, null, null, null, 3]
			]);
			sheet.getCell('F5').numFmt = 'dd/mm/yyyy hh:mm';
			book.addWorksheet('Ghi chú').addRow(['Mã hồ sơ', 'HS-999']);
			const file = path.join(dir, 'so-theo-doi.xlsx');
			await book.xlsx.writeFile(file);

			const result = await importFile(store.db, 'dossiers', file);

			expect(await stored()).toEqual(STORED);
			expect(result).toMatchObject({ format: 'xlsx', rows: 3, inserted: 3, skipped: 2 });
			expect(result.warnings).toEqual([
				'skipped 3 title rows above the header (row 4)',
				'skipped blank rows: row 7',
				'skipped total or footer rows: row 9'
			]);
		});

		it('reads a JSON array with the portal field names and numbers as JSON numbers, 3.0 as 3', async () => {
			const records = [
				{
					MaHoSo: 'HS-001',
					MaTTHC: '1.001193',
					MaDonVi: '18100',
					KenhThucHien: 2,
					NgayTiepNhan: 20250630233000,
					DuocThanhToanTrucTuyen: 1
				},
				{
					MaHoSo: 'HS-002',
					MaTTHC: '1.001193',
					MaDonVi: 18100,
					KenhThucHien: 1,
					NgayTiepNhan: '20250701081500',
					DuocThanhToanTrucTuyen: 0
				},
				{
					MaHoSo: 'HS-003',
					MaTTHC: '1.001193',
					MaDonVi: 443,
					KenhThucHien: 3,
					NgayTiepNhan: 20250615090000,
					DuocThanhToanTrucTuyen: 2
				}
			];
			// Some exporters write whole numbers as doubles.
			const text = JSON.stringify(records, null, 2).replace(
				'"KenhThucHien": 3',
				'"KenhThucHien": 3.0'
			);
			expect(text).toContain('"KenhThucHien": 3.0');
			const file = write('dongbo.json', text);

			const result = await importFile(store.db, 'dossiers', file);

			expect(await stored()).toEqual(STORED);
			expect(result).toMatchObject({ format: 'json', rows: 3, inserted: 3, skipped: 0 });
		});

		it('reads NDJSON, one portal record per line, a key missing from a record counting as empty', async () => {
			const lines = [
				'{"MaHoSo":"HS-001","MaTTHC":"1.001193","MaDonVi":18100,"KenhThucHien":2,"NgayTiepNhan":20250630233000,"DuocThanhToanTrucTuyen":true}',
				'{"MaHoSo":"HS-002","MaTTHC":"1.001193","MaDonVi":"18100","KenhThucHien":"1","NgayTiepNhan":"2025-07-01T08:15:00"}',
				'{"MaHoSo":"HS-003","MaTTHC":"1.001193","MaDonVi":443,"KenhThucHien":3,"NgayTiepNhan":"15/06/2025 09:00","DuocThanhToanTrucTuyen":2}'
			];
			const file = write('dongbo.ndjson', lines.join('\n') + '\n');

			const result = await importFile(store.db, 'dossiers', file);

			expect(await stored()).toEqual(STORED);
			expect(result).toMatchObject({ format: 'ndjson', rows: 3, inserted: 3 });
		});

		it('reads Parquet written by DuckDB with TIMESTAMP and BOOLEAN columns', async () => {
			const file = path.join(dir, 'dossiers.parquet');
			await sql`COPY (SELECT * FROM (VALUES
					('HS-001', '1.001193', '18100', 'online', TIMESTAMP '2025-06-30 23:30:00', true),
					('HS-002', '1.001193', '18100', 'direct', TIMESTAMP '2025-07-01 08:15:00', false),
					('HS-003', '1.001193', '443', 'postal', TIMESTAMP '2025-06-15 09:00:00', true))
				AS t(dossier_code, procedure_code, unit_code, channel, received_at, paid_online))
				TO ${sql.raw(`'${file}'`)} (FORMAT parquet)`.execute(store.db);

			const result = await importFile(store.db, 'dossiers', file);

			expect(await stored()).toEqual(STORED);
			expect(result).toMatchObject({ format: 'parquet', rows: 3, inserted: 3 });
		});
	});

	it('takes date-only cells of a units sheet as dates, so the units re-imported from XLSX are unchanged', async () => {
		const book = new ExcelJS.Workbook();
		const sheet = book.addWorksheet('Đơn vị');
		sheet.addRow(['Mã', 'Tên', 'Cấp', 'Mã cấp trên', 'Hiệu lực từ', 'Hiệu lực đến']);
		sheet.addRow([42, 'Tỉnh Hà Tĩnh', 'province', null, null, null]);
		sheet.addRow([443, 'Huyện Thạch Hà', 'district', 42, null, new Date(Date.UTC(2025, 5, 30))]);
		sheet.addRow([18100, 'Xã Thạch Hạ (cũ)', 'commune', 443, null, 45838]);
		sheet.addRow([
			18100,
			'Phường Thạch Hạ (mới)',
			'commune',
			42,
			new Date(Date.UTC(2025, 6, 1)),
			null
		]);
		sheet.getColumn(6).numFmt = 'dd/mm/yyyy';
		sheet.getCell('E5').numFmt = 'dd/mm/yyyy';
		const file = path.join(dir, 'don-vi.xlsx');
		await book.xlsx.writeFile(file);

		const result = await importFile(store.db, 'units', file);

		expect(result).toMatchObject({ rows: 4, inserted: 0, updated: 0, unchanged: 4 });
	});

	it('reports an error in an XLSX with the row number the sheet shows, blank rows counted', async () => {
		const book = new ExcelJS.Workbook();
		const sheet = addLedger(book, [
			[1, 'HS-101', '1.001193', '443', 'Trực tuyến', '15/06/2025 09:00', 'x']
		]);
		sheet.getRow(7).values = [2, 'HS-102', '1.001193', '443', 'Trực tuyến', '31/02/2025', 'x'];
		const file = path.join(dir, 'bad-date.xlsx');
		await book.xlsx.writeFile(file);

		expect(await rejection(file)).toBe(
			`bad-date.xlsx:7: Ngày tiếp nhận: ${EXPECTED.timestamp} (31/02/2025)`
		);
	});

	it('rejects an XLSX whose first sheet is empty, though a later sheet has dossiers', async () => {
		const book = new ExcelJS.Workbook();
		book.addWorksheet('Trống');
		book
			.addWorksheet('Dữ liệu')
			.addRows([HEADER, [1, 'HS-201', '1.001193', '443', 'Trực tuyến', '15/06/2025 09:00', 'x']]);
		const file = path.join(dir, 'first-empty.xlsx');
		await book.xlsx.writeFile(file);

		expect(await rejection(file)).toBe('first-empty.xlsx: the first sheet is empty');
	});

	it('rejects a file named .xlsx that holds CSV text, saying it is text', async () => {
		const file = write('renamed.xlsx', 'Mã hồ sơ,Mã TTHC\nHS-301,1.001193\n');

		expect(await rejection(file)).toBe(
			'renamed.xlsx: not a readable .xlsx workbook: it is plain text; if it is CSV, name it .csv'
		);
	});

	it('rejects a 0-byte Parquet file as empty', async () => {
		const file = write('empty.parquet', '');

		expect(await rejection(file)).toBe('empty.parquet: the file is empty (0 bytes)');
	});

	it('rejects a truncated Parquet file as unreadable', async () => {
		const whole = path.join(dir, 'whole.parquet');
		await sql`COPY (SELECT 'HS-401' AS dossier_code FROM range(100))
			TO ${sql.raw(`'${whole}'`)} (FORMAT parquet)`.execute(store.db);
		const bytes = await readFile(whole);
		const file = write('truncated.parquet', bytes.subarray(0, bytes.length >> 1));

		expect(await rejection(file)).toBe(
			'truncated.parquet: not a readable Parquet file (No magic bytes found at end of file)'
		);
	});

	it('rejects a JSON file holding one object instead of an array of objects', async () => {
		const file = write('one.json', '{"MaHoSo": "HS-501", "MaTTHC": "1.001193"}');

		expect(await rejection(file)).toBe(
			'one.json: not a JSON array of objects: the file starts with "{"; if it holds one object per line, name it .ndjson'
		);
	});

	it('rejects a JSON array holding something other than objects, naming the record', async () => {
		const file = write('mixed.json', '[{"MaHoSo": "HS-601"}, ["HS-602"]]');

		expect(await rejection(file)).toBe(
			'mixed.json: record 2 is not an object (["HS-602"]); expected an array of objects'
		);
	});

	it('rejects an empty JSON array as having no records', async () => {
		const file = write('none.json', '[]');

		expect(await rejection(file)).toBe('none.json: the file has no records');
	});

	it('rejects malformed NDJSON, naming the line as an editor shows it', async () => {
		const file = write(
			'broken.ndjson',
			'{"MaHoSo": "HS-701"}\n\n{"MaHoSo": "HS-702" "MaTTHC": "1.001193"}\n{"MaHoSo": "HS-703"}\n'
		);

		expect(await rejection(file)).toBe(
			'broken.ndjson: not valid JSON at line 3: unexpected character'
		);
	});

	it('numbers a JSON record as the row after the keys: the second record is row 3', async () => {
		const file = write(
			'row-numbers.json',
			JSON.stringify([
				{
					MaHoSo: 'HS-801',
					MaTTHC: '1.001193',
					MaDonVi: 443,
					KenhThucHien: 2,
					NgayTiepNhan: 20250615090000
				},
				{
					MaHoSo: 'HS-802',
					MaTTHC: '1.001193',
					MaDonVi: 443,
					KenhThucHien: 9,
					NgayTiepNhan: 20250615090000
				}
			])
		);

		expect(await rejection(file)).toMatch(
			/^row-numbers\.json:3: KenhThucHien: unknown channel; .* \(9\)$/
		);
	});
});

describe('the text of an XLSX cell', () => {
	const text = (value: ExcelJS.CellValue, type: 'text' | 'date' | 'timestamp', numFmt?: string) =>
		cellText({ value, numFmt }, type, false);

	it('writes numbers without exponent or separators', () => {
		expect([
			plainNumber(1e21),
			plainNumber(1.5e-7),
			plainNumber(-2.5e22),
			plainNumber(18100)
		]).toEqual(['1000000000000000000000', '0.00000015', '-25000000000000000000000', '18100']);
	});

	it('keeps the wall-clock time of a date cell, and a date alone when its format shows no time', () => {
		expect([
			text(new Date(Date.UTC(2025, 5, 30, 23, 30)), 'timestamp', 'dd/mm/yyyy hh:mm'),
			text(new Date(Date.UTC(2025, 5, 30)), 'timestamp', 'dd/mm/yyyy'),
			text(new Date(Date.UTC(2025, 5, 30)), 'timestamp', 'dd/mm/yyyy hh:mm'),
			text(new Date(Date.UTC(2025, 5, 30)), 'date', 'dd/mm/yyyy hh:mm')
		]).toEqual(['2025-06-30T23:30:00', '2025-06-30', '2025-06-30T00:00:00', '2025-06-30']);
	});

	it('reads a serial number in a date column as an Excel date, and leaves a bare year and yyyyMMddHHmmss numbers be', () => {
		expect([
			text(2024, 'date'),
			text(10959, 'date'),
			text(45658.5, 'timestamp'),
			text('45658.5', 'timestamp'),
			text(45658.50000578, 'timestamp'),
			text(20240509083000, 'timestamp'),
			text(45658.5, 'text')
		]).toEqual([
			'2024',
			'1930-01-01',
			'2025-01-01T12:00:00',
			'2025-01-01T12:00:00',
			'2025-01-01T12:00:00',
			'20240509083000',
			'45658.5'
		]);
	});

	it('reads rich text, formulas, hyperlinks, booleans and errors as what the cell shows', () => {
		expect([
			text({ richText: [{ text: 'Trực ' }, { text: 'tuyến' }] }, 'text'),
			text({ formula: 'A1+1', result: 45839.34375 }, 'text', 'dd/mm/yyyy hh:mm'),
			text({ formula: 'B2', result: ' HS-001 ' }, 'text'),
			text({ text: 'HS-001', hyperlink: 'https://dichvucong.gov.vn' }, 'text'),
			text(false, 'text'),
			text({ error: '#N/A' }, 'text'),
			text('   ', 'text')
		]).toEqual(['Trực tuyến', '2025-07-01T08:15:00', 'HS-001', 'HS-001', 'false', null, null]);
	});
});
