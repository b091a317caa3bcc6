/**
 * A unit's report frame (issue 13): the defaults until a manager sets one, kept by unit code,
 * refused when malformed or outside the manager's scope, audited; and printed — the issuing body,
 * number, place, signer and recipients a unit set are what its PDF says.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultHeader, type ReportHeader } from '../../domain/official-document';
import type { Principal } from '../../domain/types';
import { OPERATOR, OutOfScope } from '../auth/scope';
import { createPrinter, SERVER_PRINTING, type Printer } from '../print/browser';
import { launchChromium } from '../print/chromium';
import { readPdf } from '../testing/pdf';
import type { TempStore } from '../testing/fixtures';
import { reportProvince } from '../testing/report-province';
import { resolveUnit, type UnitVersionRef } from '../units/versions';
import { reportDocument } from './document';
import { HeaderRefused, reportHeader, saveReportHeader } from './header';
import type { MonthlyReport } from './monthly';

const OCTOBER = { from: '2026-10-01', to: '2026-10-31' };
const actor = { username: 'noivu' };
const teamOf = (unitCode: string): Principal => ({
	username: 'team',
	role: 'reform_team',
	unitCode
});

let store: TempStore;
let report: MonthlyReport;
let department: UnitVersionRef;

beforeAll(async () => {
	({ store, report } = await reportProvince('kpi-report-header-', ['Xã Đồng Lộc', 'Xã Mỹ Lộc']));
	department = await resolveUnit(store.db, '42-STP', OCTOBER);
}, 60_000);
afterAll(() => store?.dispose());

const sent: ReportHeader = {
	governingBody: 'UBND tỉnh Hà Tĩnh',
	issuingBody: 'Sở Tư pháp',
	abbreviation: 'STP',
	place: 'Hà Tĩnh',
	signerTitle: '  KT. GIÁM ĐỐC \n\n PHÓ GIÁM ĐỐC ',
	signerName: ' Nguyễn Văn Bình ',
	recipients: '- UBND tỉnh (để báo cáo);\r\n- Lưu: VT, VP.'
};

describe("a unit's report header", () => {
	it('is the defaults from the unit and its province until one is set', async () => {
		const { header, defaults, set } = await reportHeader(store.db, department);
		expect(set).toBeNull();
		expect(header).toEqual(defaults);
		expect(header).toEqual(defaultHeader(department, { name: 'Tỉnh Hà Tĩnh' }));
		expect(header).toMatchObject({ governingBody: 'UBND TỈNH HÀ TĨNH', abbreviation: 'STP' });
	});

	it('is kept trimmed once set, by whom and when, in the audit log, and reset to the defaults', async () => {
		await saveReportHeader(
			store.db,
			teamOf('42'),
			actor,
			department,
			sent,
			Date.UTC(2026, 10, 3, 2)
		);
		const saved = await reportHeader(store.db, department);
		expect(saved.header).toEqual({
			...sent,
			signerTitle: 'KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC',
			signerName: 'Nguyễn Văn Bình',
			recipients: '- UBND tỉnh (để báo cáo);\n- Lưu: VT, VP.'
		});
		expect(saved.set).toEqual({ by: 'noivu', at: '2026-11-03 09:00:00' });
		// The province's own frame is another unit's: untouched.
		const province = await reportHeader(store.db, report.unit);
		expect(province.set).toBeNull();
		await saveReportHeader(store.db, OPERATOR, actor, department, null);
		expect((await reportHeader(store.db, department)).set).toBeNull();
		const { rows } = await sql<{ detail: string }>`SELECT detail FROM audit_log
			WHERE action = 'report_header' ORDER BY id`.execute(store.db);
		expect(rows.map((r) => JSON.parse(r.detail))).toMatchObject([
			{ unit: '42-STP', signerName: 'Nguyễn Văn Bình' },
			{ unit: '42-STP', reset: true }
		]);
	});

	it('is refused when malformed, and for anyone but a manager of the unit', async () => {
		await expect(
			saveReportHeader(store.db, OPERATOR, actor, department, { ...sent, issuingBody: ' ' })
		).rejects.toThrow(HeaderRefused);
		await expect(
			saveReportHeader(store.db, OPERATOR, actor, department, { ...sent, place: 'x'.repeat(500) })
		).rejects.toThrow(HeaderRefused);
		const leader: Principal = { username: 'ld', role: 'leader', unitCode: '42' };
		await expect(saveReportHeader(store.db, leader, actor, department, sent)).rejects.toThrow(
			OutOfScope
		);
		await expect(
			saveReportHeader(store.db, teamOf('18100'), actor, department, sent)
		).rejects.toThrow(OutOfScope);
		expect((await reportHeader(store.db, department)).set).toBeNull();
	});
});

describe('the printed report', () => {
	let printer: Printer;
	afterAll(() => printer?.close());

	it('says the frame the unit set: issuing body, number, place, signer and recipients', async () => {
		printer = createPrinter({ ...SERVER_PRINTING, launch: () => launchChromium() });
		const header = { ...sent, signerTitle: 'KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC', place: 'Thạch Hà' };
		const pdf = await printer.printPdf(
			reportDocument(report, { day: '2026-11-05', header, number: '15/BC-STP' })
		);
		const text = (await readPdf(pdf)).map((p) => p.text).join('\n');
		expect(text).toContain('UBND TỈNH HÀ TĨNH');
		expect(text).toContain('SỞ TƯ PHÁP');
		expect(text).toContain('Số: 15/BC-STP');
		expect(text).toContain('Thạch Hà, ngày 05 tháng 11 năm 2026');
		expect(text).toContain('Nơi nhận:');
		expect(text).toContain('- UBND tỉnh (để báo cáo);');
		expect(text).toContain('KT. GIÁM ĐỐC');
		expect(text).toContain('PHÓ GIÁM ĐỐC');
		expect(text).toContain('Nguyễn Văn Bình');
		// Unpublished: the number left to fill, with the unit's abbreviation.
		const draft = await printer.printPdf(reportDocument(report, { day: '2026-11-05', header }));
		expect((await readPdf(draft))[0].text).toMatch(/Số: +\/BC-STP/);
	}, 60_000);
});
