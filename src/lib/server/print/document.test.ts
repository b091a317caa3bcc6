/**
 * The official document frame printed by the real Chromium and read back from the PDF with
 * pdfjs-dist: what a reader of the printed report sees, not the HTML we meant. Page 1 is drawn to
 * tests/artifacts/print-sample.png for a person to look at.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { escapeHtml } from '../../domain/html';
import { readPdf, renderPagePng, type PdfPage } from '../testing/pdf';
import { createPrinter, SERVER_PRINTING, type Printer } from './browser';
import { launchChromium } from './chromium';
import { officialDocument, type OfficialDocument } from './document';

const ARTIFACTS = path.resolve(import.meta.dirname, '../../../../tests/artifacts');
const MM = 72 / 25.4;

const UNITS = [
	['Sở Tư pháp', '79,3%', '277/523'],
	['Xã Thạch Hà', '53,0%', '33.892/63.948'],
	['Phường Hồng Lĩnh', '91,2%', '1.045/1.146'],
	['Xã Đức Thọ', '88,5%', '708/800']
] as const;

function unitTable(rows: readonly (readonly string[])[]): string {
	const body = rows
		.map(
			([name, rate, counts], index) =>
				`<tr><td>${index + 1}</td><td>${escapeHtml(name)}</td>` +
				`<td class="number-cell">${rate}</td><td class="number-cell">${counts}</td></tr>`
		)
		.join('');
	return (
		'<table><thead><tr><th>TT</th><th>Đơn vị</th><th>Tỷ lệ</th><th>Hồ sơ</th></tr></thead>' +
		`<tbody>${body}</tbody></table>`
	);
}

const SAMPLE: OfficialDocument = {
	governingBody: 'UBND TỈNH HÀ TĨNH',
	issuingBody: 'Sở Nội vụ',
	number: '   /BC-SNV',
	dateLine: 'Hà Tĩnh, ngày 05 tháng 11 năm 2026',
	title: 'Báo cáo',
	subject: 'Kết quả cung cấp, sử dụng dịch vụ công trực tuyến tháng 10/2026',
	bodyHtml:
		'<p>Tỷ lệ hồ sơ nộp trực tuyến của tỉnh đạt 79,3% (33.892 hồ sơ).</p>' + unitTable(UNITS)
};

let printer: Printer;
let sample: Uint8Array;
let pages: PdfPage[];

beforeAll(async () => {
	printer = createPrinter({ ...SERVER_PRINTING, launch: () => launchChromium() });
	sample = await printer.printPdf(officialDocument(SAMPLE));
	pages = await readPdf(sample);
	mkdirSync(ARTIFACTS, { recursive: true });
	writeFileSync(path.join(ARTIFACTS, 'print-sample.png'), await renderPagePng(sample, 1));
});

afterAll(() => printer?.close());

const lineOf = (page: PdfPage, text: string) => page.lines.find((line) => line.text === text);

describe('an official document printed to PDF', () => {
	it('is one A4 page, 595 × 842 pt', () => {
		expect(pages).toHaveLength(1);
		expect(pages[0].width).toBeCloseTo(595.28, 0);
		expect(pages[0].height).toBeCloseTo(841.89, 0);
	});

	it('draws every letter with the embedded Tinos: regular, bold and italic, nothing else', () => {
		expect(pages[0].fonts).toEqual(['Tinos-Bold', 'Tinos-Italic', 'Tinos-Regular']);
	});

	it('has the issuing body on the left and the national name and motto on the right', () => {
		const page = pages[0];
		const middle = page.width / 2;
		for (const left of ['UBND TỈNH HÀ TĨNH', 'SỞ NỘI VỤ']) {
			expect(lineOf(page, left)?.centre, left).toBeLessThan(middle);
		}
		for (const right of [
			'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM',
			'Độc lập - Tự do - Hạnh phúc',
			'Hà Tĩnh, ngày 05 tháng 11 năm 2026'
		]) {
			expect(lineOf(page, right)?.centre, right).toBeGreaterThan(middle);
		}
		const national = lineOf(page, 'CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM')!;
		expect(lineOf(page, 'UBND TỈNH HÀ TĨNH')!.top).toBeCloseTo(national.top, 0);
	});

	it('puts the title and its subject centred in the text area, below the header', () => {
		// The text area runs from the 30 mm left margin to the 15 mm right one.
		const centre = (30 * MM + (210 - 15) * MM) / 2;
		const title = lineOf(pages[0], 'BÁO CÁO')!;
		const subject = lineOf(
			pages[0],
			'Kết quả cung cấp, sử dụng dịch vụ công trực tuyến tháng 10/2026'
		)!;
		expect(title.centre).toBeCloseTo(centre, -1);
		expect(subject.centre).toBeCloseTo(centre, -1);
		expect(title.top).toBeGreaterThan(lineOf(pages[0], 'Hà Tĩnh, ngày 05 tháng 11 năm 2026')!.top);
		expect(subject.top).toBeGreaterThan(title.top);
	});

	it('keeps the unit names with their diacritics and the figures in Vietnamese format', () => {
		const texts = pages[0].lines.map((line) => line.text);
		for (const [name, rate, counts] of UNITS)
			expect(texts).toEqual(expect.arrayContaining([name, rate, counts]));
		expect(texts).toContain('Tỷ lệ hồ sơ nộp trực tuyến của tỉnh đạt 79,3% (33.892 hồ sơ).');
	});

	it('leaves the number blank for the clerk: "Số:" then the gap, then "/BC-SNV"', () => {
		const numberLine = pages[0].lines.filter(
			(line) => line.text === 'Số:' || line.text === '/BC-SNV'
		);
		expect(numberLine.map((line) => line.text)).toEqual(['Số:', '/BC-SNV']);
	});

	it('starts a paragraph 1 cm into the text area, which begins 30 mm from the left edge', () => {
		const paragraph = pages[0].lines.find((line) => line.text.startsWith('Tỷ lệ hồ sơ'))!;
		expect(Math.abs(paragraph.left - 40 * MM)).toBeLessThan(1);
	});
});

describe('a document of two pages', () => {
	it('numbers page 2 at the top centre and leaves page 1 unnumbered', async () => {
		const rows = Array.from({ length: 60 }, (_, i) => [`Xã Thạch ${i + 1}`, '79,3%', '277/523']);
		const pdf = await printer.printPdf(officialDocument({ ...SAMPLE, bodyHtml: unitTable(rows) }));
		const [first, second, ...rest] = await readPdf(pdf);
		expect(rest).toHaveLength(0);
		// The top margin is 20 mm: a page number sits above it.
		const inTopMargin = (page: PdfPage) => page.lines.filter((line) => line.top < 20 * MM);
		expect(inTopMargin(first)).toEqual([]);
		const numbers = inTopMargin(second);
		expect(numbers.map((line) => line.text)).toEqual(['2']);
		expect(numbers[0].centre).toBeCloseTo((30 * MM + (210 - 15) * MM) / 2, -1);
		// The table's header row repeats on page 2.
		expect(second.lines.slice(1, 5).map((line) => line.text)).toEqual([
			'TT',
			'Đơn vị',
			'Tỷ lệ',
			'Hồ sơ'
		]);
	});
});

describe('text from imported files', () => {
	it('prints a unit name holding a <script> tag as text, in the header and the body', async () => {
		const hostile = 'Xã <script>x()</script>';
		const inBody = `${hostile} & "Đông"`;
		const pdf = await printer.printPdf(
			officialDocument({
				...SAMPLE,
				issuingBody: hostile,
				bodyHtml: unitTable([[inBody, '79,3%', '277/523']])
			})
		);
		const [page] = await readPdf(pdf);
		const texts = page.lines.map((line) => line.text);
		expect(texts).toContain('XÃ <SCRIPT>X()</SCRIPT>');
		expect(texts).toContain(inBody);
		expect(texts).toContain('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
	});
});
