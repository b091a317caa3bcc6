/**
 * The monthly report printed as its official document by the real Chromium and read back from the
 * PDF (pdfjs-dist): the Decree 30 header, the unit names with their diacritics, the key figures in
 * Vietnamese format, form 06's total row; page 1 drawn to tests/artifacts/report-page-1.png.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../import/run';
import { createPrinter, SERVER_PRINTING, type Printer } from '../print/browser';
import { launchChromium } from '../print/chromium';
import { readPdf, renderPagePng, type PdfPage } from '../testing/pdf';
import { PROCEDURES_CSV, tempStore, type TempStore } from '../testing/fixtures';
import { resolveUnit } from '../units/versions';
import { reportDocument } from './document';
import { monthlyReport } from './monthly';

const ARTIFACTS = path.resolve(import.meta.dirname, '../../../../tests/artifacts');

let store: TempStore;
let printer: Printer;
let pages: PdfPage[];
let pdf: Buffer;

const UNITS = `code,name,level,parent_code,valid_from,valid_to
42,Tỉnh Hà Tĩnh,province,,,
42-STP,Sở Tư pháp,department,42,,
18100,Xã Đồng Lộc,commune,42,,
18101,<script>Xã Mỹ Lộc,commune,42,,
`;

/** October 2026: 18100 files 7 of 10 online, 18101 4 of 10; a third of them still open. */
function dossiers(): string {
	const lines = ['dossier_code,procedure_code,unit_code,channel,received_at,due_at,completed_at'];
	for (let i = 0; i < 10; i++) {
		for (const [unit, online] of [
			['18100', 7],
			['18101', 4]
		] as const) {
			const channel = i < online ? 'online' : 'direct';
			const done = i % 3 === 0 ? '' : `2026-10-1${i % 9} 10:00`;
			lines.push(
				`${unit}-${i},1.001193,${unit},${channel},2026-10-0${1 + (i % 9)} 08:00,2026-10-12 17:00,${done}`
			);
		}
	}
	return lines.join('\n') + '\n';
}

beforeAll(async () => {
	store = await tempStore('kpi-report-pdf-');
	await importFile(store.db, 'units', store.file('u.csv', UNITS));
	await importFile(store.db, 'procedures', store.file('p.csv', PROCEDURES_CSV));
	await importFile(
		store.db,
		'targets',
		store.file(
			't.csv',
			'campaign,starts_on,ends_on,unit_code,kpi,level,target\n' +
				'Năm 2026,2026-01-01,2026-12-31,42,online_submission_rate,commune,80%\n'
		)
	);
	await importFile(store.db, 'dossiers', store.file('d.csv', dossiers()));
	const province = await resolveUnit(store.db, '42', { from: '2026-10-01', to: '2026-10-31' });
	const report = await monthlyReport(store.db, province, '2026-10');
	printer = createPrinter({ ...SERVER_PRINTING, launch: () => launchChromium() });
	pdf = await printer.printPdf(reportDocument(report, { day: '2026-11-05', province: null }));
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
