/**
 * The monthly report printed as its official document by the real Chromium and read back from the
 * PDF (pdfjs-dist): the Decree 30 header, the unit names with their diacritics, the key figures in
 * Vietnamese format, form 06's total row, the two charts as vector drawings whose text the PDF
 * carries; every page drawn to tests/artifacts/report-page-<n>.png.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrinter, SERVER_PRINTING, type Printer } from '../print/browser';
import { launchChromium } from '../print/chromium';
import { readPdf, renderPagePng, type PdfPage } from '../testing/pdf';
import type { TempStore } from '../testing/fixtures';
import { reportProvince } from '../testing/report-province';
import { formatIndexPoints } from '../../domain/format';
import { defaultHeader } from '../../domain/official-document';
import { serviceIndex } from '../kpi/service-index';
import { reportDocument } from './document';
import type { MonthlyReport } from './monthly';

const ARTIFACTS = path.resolve(import.meta.dirname, '../../../../tests/artifacts');

let store: TempStore;
let report: MonthlyReport;
let printer: Printer;
let pages: PdfPage[];
let pdf: Buffer;

beforeAll(async () => {
	({ store, report } = await reportProvince(
		'kpi-report-pdf-',
		['Xã Đồng Lộc', '<script>Xã Mỹ Lộc'],
		{ target: true, history: true }
	));
	printer = createPrinter({ ...SERVER_PRINTING, launch: () => launchChromium() });
	pdf = await printer.printPdf(
		reportDocument(report, {
			day: '2026-11-05',
			header: defaultHeader(report.unit, null)
		})
	);
	pages = await readPdf(pdf);
}, 120_000);
afterAll(async () => {
	await printer?.close();
	store?.dispose();
});

describe('the monthly report printed', () => {
	it('has the Decree 30 header and its subject, set in Tinos on A4', () => {
		const first = pages[0].text;
		expect(first).toContain('UBND TỈNH HÀ TĨNH');
		expect(first).toContain('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
		expect(first).toContain('Độc lập - Tự do - Hạnh phúc');
		expect(first).toContain('Hà Tĩnh, ngày 05 tháng 11 năm 2026');
		expect(first).toContain('BÁO CÁO');
		expect(first).toContain('Kết quả cung cấp, sử dụng dịch vụ công trực tuyến tháng 10/2026');
		expect([Math.round(pages[0].width), Math.round(pages[0].height)]).toEqual([595, 842]);
		expect(new Set(pages.flatMap((p) => p.fonts).map((f) => f.split('-')[0]))).toEqual(
			new Set(['Tinos'])
		);
	});

	it('prints the figures in Vietnamese format and the names as they are', () => {
		const all = pages.map((p) => p.text).join('\n');
		// 11 of 20 filed online: 55,0%; Đồng Lộc 7 of 10 against 80%; the tag is text.
		expect(all).toContain('55,0%');
		expect(all).toContain('11/20');
		expect(all).toContain('Xã Đồng Lộc');
		expect(all).toContain('70,0%');
		expect(all).toContain('<script>Xã Mỹ Lộc');
		expect(all).toContain('Chưa đạt');
		expect(all).toContain('Tổng cộng');
		expect(all).toContain('Mẫu 06');
	});

	it('carries the trend chart as text in Tinos: its months, percent axis and legend, under its caption', () => {
		const lines = pages.flatMap((p) => p.lines.map((l) => l.text));
		// Every month on the axis, in order, on one line.
		expect(lines).toContain(
			'11/2025 12/2025 01/2026 02/2026 03/2026 04/2026 05/2026 06/2026 07/2026 08/2026 09/2026 10/2026'
		);
		expect(lines).toContain('Chỉ tiêu: 60,0%');
		expect(lines).toContain('Cùng kỳ năm trước (11/2024 – 10/2025)');
		expect(lines).toContain('25,0%');
		const all = pages.map((p) => p.text).join('\n');
		expect(all).toContain('Biểu đồ 1. Tỷ lệ hồ sơ nộp trực tuyến theo tháng, 11/2025 – 10/2026');
	});

	it("writes each child's name on the ranking chart level with its bar's value, and the target line", () => {
		const lines = pages.flatMap((p, page) => p.lines.map((l) => ({ ...l, page })));
		const at = (text: string) => lines.filter((l) => l.text === text);
		const [value] = at('70,0% Chưa đạt');
		expect(value).toBeDefined();
		const names = at('Xã Đồng Lộc').filter(
			(l) => l.page === value.page && Math.abs(l.top - value.top) < 2
		);
		expect(names).toHaveLength(1);
		expect(names[0].left).toBeLessThan(value.left);
		expect(at('40,0% Chưa đạt')).toHaveLength(1);
		expect(at('Chỉ tiêu cấp xã: 80,0%')).toHaveLength(1);
		expect(pages.map((p) => p.text).join('\n')).toContain(
			'Biểu đồ 2. Xếp hạng đơn vị trực thuộc theo tỷ lệ hồ sơ nộp trực tuyến tháng 10/2026'
		);
	});

	it("prints the service index: the unit's score out of the points measured, its groups, and the communes ranked apart from the department", async () => {
		const index = await serviceIndex(store.db, '42', report.period);
		const pts = (n: number) => formatIndexPoints(n);
		const all = pages.map((p) => p.text).join('\n');
		expect(all).toContain('VII. Chỉ số phục vụ người dân, doanh nghiệp (Quyết định 766/QĐ-TTg)');
		expect(all).toContain(
			`${pts(index.score!)}/${pts(index.measured_points)} điểm đo được (trên thang 100 điểm`
		);
		// A table's cells are lines of their own: the group's row, cell by cell.
		const lines = pages.flatMap((p) => p.lines.map((l) => l.text));
		const progress = index.groups.progress;
		const at = lines.indexOf('Tiến độ giải quyết');
		expect(lines.slice(at, at + 4)).toEqual([
			'Tiến độ giải quyết',
			pts(progress.score!),
			pts(progress.measured_points),
			pts(progress.max_points)
		]);
		// Each level its own ranking from 1, in rank order, the communes after the department.
		const communes = index.children
			.filter((c) => c.unit.level === 'commune')
			.sort((a, b) => a.rank! - b.rank!);
		expect(communes.map((c) => c.rank)).toEqual([1, 2]);
		const section = all.slice(all.indexOf('VII. '));
		const commune = section.slice(section.indexOf('Xã, phường, thị trấn'));
		expect(section.indexOf('Sở, ban, ngành')).toBeLessThan(section.indexOf('Xã, phường, thị trấn'));
		let from = 0;
		for (const child of communes) {
			const total = `${pts(child.score!)}/${pts(child.measured_points)}`;
			const found = commune.indexOf(total, from);
			expect(found, child.unit.name).toBeGreaterThan(from - 1);
			from = found + total.length;
		}
	});

	it('draws every page for a person to look at', async () => {
		mkdirSync(ARTIFACTS, { recursive: true });
		for (let page = 1; page <= pages.length; page++) {
			writeFileSync(
				path.join(ARTIFACTS, `report-page-${page}.png`),
				await renderPagePng(pdf, page)
			);
		}
		writeFileSync(path.join(ARTIFACTS, 'report.pdf'), pdf);
		expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
	});
});
