/**
 * The export writers read back as a spreadsheet and a CSV reader see them: numbers stay numbers
 * with their formats, Vietnamese survives, text that looks like a formula cannot run, and file and
 * sheet names are safe.
 */
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { writeCsv } from './csv';
import { asciiSlug, downloadName, sheetName } from './names';
import { looksLikeFormula, type ExportTable } from './table';
import { writeXlsx } from './xlsx';
import { parseCsv } from '../testing/csv';

const HOSTILE = ['=HYPERLINK("http://x","y")', '+1+2', '-3+4', '@SUM(A1)', '\tTab', '\rCR'];

const TABLE: ExportTable = {
	sheet: 'Số liệu: bản đồ/xã [2026]',
	title: ['Tỉnh Hà Tĩnh (42)', 'Kỳ: 01/10/2026 – 31/10/2026'],
	columns: [
		{ header: 'Đơn vị', kind: 'text' },
		{ header: 'Tỷ lệ', kind: 'ratio' },
		{ header: 'Tử số', kind: 'integer' },
		{ header: 'Mẫu số', kind: 'integer' },
		{ header: 'Tiếp nhận', kind: 'datetime' },
		{ header: 'Tháng', kind: 'month' },
		{ header: 'Số ngày trễ', kind: 'days' }
	],
	rows: [
		['Xã Đồng Lộc', 96 / 121, 96, 121, '2026-10-05T08:30:00', '2026-10-01', 1390],
		['Phường "Trung", Bắc\nmới', null, 0, 0, null, '2026-09-01', 0],
		...HOSTILE.map((name) => [name, 0.5, 1, 2, null, null, null])
	],
	notes: ['Ô tỷ lệ để trống là không có hồ sơ để tính.']
};

async function readXlsx(buffer: Buffer): Promise<ExcelJS.Worksheet> {
	const workbook = new ExcelJS.Workbook();
	await workbook.xlsx.load(buffer as unknown as ArrayBuffer);
	expect(workbook.worksheets).toHaveLength(1);
	return workbook.worksheets[0];
}

describe('the XLSX writer', () => {
	it('writes ratios and counts as numbers with their formats under a frozen header row', async () => {
		const sheet = await readXlsx(await writeXlsx([TABLE]));
		expect(sheet.name).toBe('Số liệu bản đồ xã 2026');
		expect(sheet.getRow(1).getCell(1).value).toBe('Tỉnh Hà Tĩnh (42)');
		expect(sheet.getRow(3).values).toEqual([
			undefined,
			'Đơn vị',
			'Tỷ lệ',
			'Tử số',
			'Mẫu số',
			'Tiếp nhận',
			'Tháng',
			'Số ngày trễ'
		]);
		expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 3 });
		const row = sheet.getRow(4);
		expect(row.getCell(2).value).toBe(96 / 121);
		expect(row.getCell(2).numFmt).toBe('0.0%');
		expect(row.getCell(3).value).toBe(96);
		expect(row.getCell(3).numFmt).toBe('#,##0');
		expect(row.getCell(5).value).toEqual(new Date(Date.UTC(2026, 9, 5, 8, 30)));
		expect(row.getCell(5).numFmt).toBe('dd/mm/yyyy hh:mm');
		expect(row.getCell(6).numFmt).toBe('mm/yyyy');
		expect(row.getCell(7).value).toBe(1390);
		expect(sheet.getColumn(1).width).toBeGreaterThan(10);
	});

	it('writes a target with the decimals it was set with: 70,0% and 70,24%, not 70,2%', async () => {
		const table: ExportTable = {
			sheet: 'Chỉ tiêu',
			title: [],
			columns: [{ header: 'Chỉ tiêu', kind: 'target' }],
			rows: [[0.7], [0.7024]]
		};
		const sheet = await readXlsx(await writeXlsx([table]));
		// Excel's "0.0#": one decimal always, a second one only when it is not 0.
		for (const [i, value] of [0.7, 0.7024].entries()) {
			expect(sheet.getRow(2 + i).getCell(1).value).toBe(value);
			expect(sheet.getRow(2 + i).getCell(1).numFmt).toBe('0.0#%');
		}
		expect(parseCsv(writeCsv(table).toString('utf8').slice(1)).slice(1)).toEqual([
			['0.7'],
			['0.7024']
		]);
	});

	it('leaves an empty rate empty, never 0, and keeps quotes, commas and line breaks of a name', async () => {
		const row = (await readXlsx(await writeXlsx([TABLE]))).getRow(5);
		expect(row.getCell(1).value).toBe('Phường "Trung", Bắc\nmới');
		expect(row.getCell(2).value).toBeNull();
		expect(row.getCell(3).value).toBe(0);
	});

	it('stores a name beginning with = + - @ tab or CR as text in the text format, not a formula', async () => {
		const sheet = await readXlsx(await writeXlsx([TABLE]));
		HOSTILE.forEach((name, i) => {
			const cell = sheet.getRow(6 + i).getCell(1);
			// XML reads a lone carriage return as a line feed: the text is otherwise unchanged.
			expect(cell.value).toBe(name.replace('\r', '\n'));
			expect(cell.type).toBe(ExcelJS.ValueType.String);
			expect(cell.formula).toBeUndefined();
			expect(cell.numFmt).toBe('@');
		});
		expect(sheet.getRow(12).getCell(1).value).toBe(TABLE.notes![0]);
	});

	it('gives two tables of one name two sheets', async () => {
		const workbook = new ExcelJS.Workbook();
		await workbook.xlsx.load((await writeXlsx([TABLE, TABLE])) as unknown as ArrayBuffer);
		expect(workbook.worksheets.map((s) => s.name)).toEqual([
			'Số liệu bản đồ xã 2026',
			'Số liệu bản đồ xã 2026 (2)'
		]);
	});
});

describe('the CSV writer', () => {
	const buffer = writeCsv(TABLE);
	const text = buffer.toString('utf8');

	it('starts with a UTF-8 byte-order mark and keeps Vietnamese', () => {
		expect([...buffer.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
		expect(text.slice(1, 18)).toBe('Tỉnh Hà Tĩnh (42)');
	});

	it('writes numbers with a point, dates ISO, an empty rate empty, and quotes by RFC 4180', () => {
		const records = parseCsv(text.slice(1));
		expect(records[2]).toEqual(TABLE.columns.map((c) => c.header));
		expect(records[3]).toEqual([
			'Xã Đồng Lộc',
			String(96 / 121),
			'96',
			'121',
			'2026-10-05 08:30',
			'2026-10',
			'1390'
		]);
		expect(Number(records[3][1])).toBe(96 / 121);
		expect(records[4]).toEqual(['Phường "Trung", Bắc\nmới', '', '0', '0', '', '2026-09', '0']);
		expect(text).toContain('"Phường ""Trung"", Bắc\nmới"');
	});

	it('puts an apostrophe before a name beginning with = + - @ tab or CR', () => {
		const records = parseCsv(text.slice(1));
		expect(records.slice(5, 11).map((r) => r[0])).toEqual(HOSTILE.map((name) => `'${name}`));
		for (const record of records)
			for (const cell of record) expect(looksLikeFormula(cell)).toBe(false);
	});
});

describe('names', () => {
	it('names a download by table, unit code and period, in ASCII', () => {
		const october = { from: '2026-10-01', to: '2026-10-31' };
		expect(downloadName('so-sanh', '42', october, 'xlsx')).toBe('so-sanh-42-2026-10.xlsx');
		expect(downloadName('thu-tuc', '42-STP', { from: '2026-07-01', to: '2026-09-30' }, 'csv')).toBe(
			'thu-tuc-42-stp-2026-q3.csv'
		);
		expect(downloadName('xu-huong', '443', { from: '2025-01-01', to: '2025-12-31' }, 'csv')).toBe(
			'xu-huong-443-2025.csv'
		);
		expect(downloadName('ban-do', '18100', { from: '2026-10-03', to: '2026-10-17' }, 'xlsx')).toBe(
			'ban-do-18100-2026-10-03_2026-10-17.xlsx'
		);
	});

	it('leaves nothing Windows refuses in a file name', () => {
		const name = downloadName(
			'Hồ sơ: "trễ" <hạn>',
			'../CON|*?',
			{ from: '2026-10-01', to: '2026-10-31' },
			'csv'
		);
		expect(name).toBe('ho-so-tre-han-con-2026-10.csv');
		expect(name).toMatch(/^[a-z0-9._-]+$/);
		expect(downloadName('con', '', { from: '2026-10-01', to: '2026-10-31' }, 'csv')).toBe(
			'con-don-vi-2026-10.csv'
		);
		expect(asciiSlug('Đồng Lộc')).toBe('Dong-Loc');
	});

	it('cuts a sheet name to 31 characters without the characters Excel refuses', () => {
		expect(sheetName("'Hồ sơ giải quyết trễ hạn: [tháng 10/2026] của Xã?'")).toBe(
			'Hồ sơ giải quyết trễ hạn tháng'
		);
		expect(sheetName('*?')).toBe('Sheet');
	});
});
