/**
 * The monthly report's workbook read back with exceljs: each section a Vietnamese sheet, the
 * figures the report module gives as real numbers with their formats, form 06's identities on
 * every row, and a unit name beginning with `=` kept as text.
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeXlsx } from '../export/xlsx';
import type { TempStore } from '../testing/fixtures';
import { reportProvince } from '../testing/report-province';
import { INDEX_GROUP_IDS } from '../../domain/service-index';
import { serviceIndex } from '../kpi/service-index';
import type { MonthlyReport } from './monthly';
import { inflateRawSync } from 'node:zlib';
import { reportCsvArchive, reportFileName, reportTables } from './tables';

let store: TempStore;
let report: MonthlyReport;
let workbook: ExcelJS.Workbook;

beforeAll(async () => {
	({ store, report } = await reportProvince('kpi-report-xlsx-', ['=Xã Đồng Lộc', 'Xã Mỹ Lộc']));
	workbook = new ExcelJS.Workbook();
	await workbook.xlsx.load((await writeXlsx(reportTables(report))) as unknown as ArrayBuffer);
	expect(reportFileName(report, 'xlsx')).toBe('bao-cao-42-2026-10.xlsx');
});
afterAll(() => store.dispose());

/** The rows below a sheet's header (title lines, then the header row), up to its notes. */
function body(sheet: ExcelJS.Worksheet): ExcelJS.Row[] {
	const rows: ExcelJS.Row[] = [];
	const header = sheet.views[0] && 'ySplit' in sheet.views[0] ? sheet.views[0].ySplit! : 0;
	sheet.eachRow((row, n) => {
		if (n > header && row.cellCount > 1) rows.push(row);
	});
	return rows;
}

describe('the monthly report as a workbook', () => {
	it('has a Vietnamese sheet per section, printed on A4 across', () => {
		expect(workbook.worksheets.map((s) => s.name)).toEqual([
			'Chỉ số',
			'Theo cấp',
			'Đơn vị trực thuộc',
			'Thủ tục cần cải thiện',
			'Hồ sơ trễ hạn',
			'Mẫu 06',
			'Chỉ số 766'
		]);
		const setup = workbook.getWorksheet('Chỉ số')!.pageSetup;
		expect([setup.paperSize, setup.orientation]).toEqual([9, 'landscape']);
	});

	it('writes every KPI as the report gives it, rates as numbers in percent', () => {
		const rows = body(workbook.getWorksheet('Chỉ số')!);
		expect(rows).toHaveLength(report.kpis.length);
		for (const [i, kpi] of report.kpis.entries()) {
			const row = rows[i];
			expect(row.getCell(1).value).toBe(kpi.name.vi);
			expect(row.getCell(2).value ?? null).toBe(kpi.figure.value);
			expect([row.getCell(3).value, row.getCell(4).value]).toEqual([
				kpi.figure.numerator,
				kpi.figure.denominator
			]);
			if (kpi.figure.value !== null) expect(row.getCell(2).numFmt).toBe('0.0%');
			if (kpi.figure.target !== null) expect(row.getCell(5).numFmt).toBe('0.0#%');
		}
		const online = rows[0];
		// 11 of 20 filed online.
		expect([online.getCell(2).value, online.getCell(3).value, online.getCell(4).value]).toEqual([
			0.55, 11, 20
		]);
	});

	it('keeps a unit name beginning with = as text, and ranks the children', () => {
		const rows = body(workbook.getWorksheet('Đơn vị trực thuộc')!);
		const names = rows.map((r) => r.getCell(2).value);
		expect(names).toContain('=Xã Đồng Lộc');
		const cell = rows.find((r) => r.getCell(2).value === '=Xã Đồng Lộc')!.getCell(2);
		expect(cell.type).toBe(ExcelJS.ValueType.String);
		expect(cell.numFmt).toBe('@');
		// 7 of 10 online, then 4 of 10; the department has no dossiers: no rank, last.
		expect(rows.map((r) => [r.getCell(1).value ?? null, r.getCell(3).value])).toEqual([
			[1, '18100'],
			[2, '18101'],
			[null, '42-STP']
		]);
	});

	it('holds form 06 on every row of its sheet, with a total row', () => {
		const rows = body(workbook.getWorksheet('Mẫu 06')!);
		expect(rows.at(-1)!.getCell(2).value).toBe('Tổng cộng');
		for (const row of rows) {
			const n = (col: number) => Number(row.getCell(col).value ?? 0);
			// 3 received = 4 online + 5 in person or by post + 6 carried over = 7 resolved + 11 in progress.
			expect(n(3)).toBe(n(4) + n(5) + n(6));
			expect(n(3)).toBe(n(7) + n(11));
			expect(n(7)).toBe(n(8) + n(9) + n(10));
			expect(n(11)).toBe(n(12) + n(13));
		}
		expect(Number(rows.at(-1)!.getCell(3).value)).toBe(20);
	});

	it('writes the service index as the engine scores it: the unit first, then its children ranked within their levels', async () => {
		const index = await serviceIndex(store.db, '42', report.period);
		const rows = body(workbook.getWorksheet('Chỉ số 766')!);
		const values = (r: ExcelJS.Row) =>
			Array.from({ length: 15 }, (_, i) => r.getCell(i + 1).value ?? null);
		const groups = (u: (typeof index)['children'][number] | typeof index) =>
			INDEX_GROUP_IDS.map((g) => u.groups[g].score);
		expect(values(rows[0])).toEqual([
			'Đơn vị báo cáo',
			null,
			'Tỉnh Hà Tĩnh',
			'42',
			...groups(index),
			index.score,
			index.measured_points,
			index.score! / index.measured_points,
			null,
			null
		]);
		// Communes among communes, the department apart: each level ranked from 1.
		const byLevel = (level: string) => rows.filter((r) => r.getCell(1).value === level);
		const communes = byLevel('Xã, phường, thị trấn');
		expect(communes.map((r) => r.getCell(4).value)).toEqual(['18100', '18101']);
		expect(communes.map((r) => r.getCell(2).value)).toEqual([1, 2]);
		for (const r of rows.slice(1)) {
			const child = index.children.find((c) => c.unit.code === r.getCell(4).value)!;
			expect(values(r).slice(4), child.unit.code).toEqual([
				...groups(child),
				child.score,
				child.measured_points,
				child.share,
				child.previous_rank,
				child.rank_change
			]);
		}
		expect(rows).toHaveLength(1 + index.children.length);
		expect(rows[0].getCell(5).numFmt).toBe('0.00');
	});

	it('writes one CSV per section in a ZIP, with a BOM, the = name prefixed', () => {
		const zip = reportCsvArchive(report);
		const names: string[] = [];
		const texts: string[] = [];
		// Local file headers, one per file, as an extractor reads them from the start.
		for (let at = 0; zip.readUInt32LE(at) === 0x04034b50;) {
			const packed = zip.readUInt32LE(at + 18);
			const nameLength = zip.readUInt16LE(at + 26);
			const start = at + 30 + nameLength + zip.readUInt16LE(at + 28);
			names.push(zip.toString('utf8', at + 30, at + 30 + nameLength));
			texts.push(inflateRawSync(zip.subarray(start, start + packed)).toString('utf8'));
			at = start + packed;
		}
		expect(names).toEqual([
			'01-chi-so.csv',
			'02-theo-cap.csv',
			'03-don-vi-truc-thuoc.csv',
			'04-thu-tuc-can-cai-thien.csv',
			'05-ho-so-tre-han.csv',
			'06-mau-06.csv',
			'07-chi-so-766.csv'
		]);
		expect(texts.every((t) => t.startsWith('\uFEFF'))).toBe(true);
		expect(texts[2]).toContain("'=Xã Đồng Lộc");
		expect(texts[2]).not.toMatch(/(^|,)=Xã/m);
	});
});
