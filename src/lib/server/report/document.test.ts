/**
 * The monthly report printed as its official document by the real Chromium and read back from the
 * PDF (pdfjs-dist): the Decree 30 header, the unit names with their diacritics, the key figures in
 * Vietnamese format, form 06's total row; page 1 drawn to tests/artifacts/report-page-1.png.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPrinter, SERVER_PRINTING, type Printer } from '../print/browser';
import { launchChromium } from '../print/chromium';
import { readPdf, renderPagePng, type PdfPage } from '../testing/pdf';
import type { TempStore } from '../testing/fixtures';
import { reportProvince } from '../testing/report-province';
import { defaultHeader } from '../../domain/official-document';
import { reportDocument } from './document';
import type { MonthlyReport } from './monthly';

const ARTIFACTS = path.resolve(import.meta.dirname, '../../../../tests/artifacts');

let store: TempStore;
let printer: Printer;
let pages: PdfPage[];
let pdf: Buffer;

beforeAll(async () => {
	let report: MonthlyReport;
	({ store, report } = await reportProvince(
		'kpi-report-pdf-',
		['Xã Đồng Lộc', '<script>Xã Mỹ Lộc'],
		{
			target: true
		}
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

	it('draws page 1 for a person to look at', async () => {
		mkdirSync(ARTIFACTS, { recursive: true });
		writeFileSync(path.join(ARTIFACTS, 'report-page-1.png'), await renderPagePng(pdf, 1));
		writeFileSync(path.join(ARTIFACTS, 'report.pdf'), pdf);
		expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
	});
});
