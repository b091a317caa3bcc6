/**
 * CONTRACT's `GET /api/v1/report` against the real built server on the demo database (issue 13):
 * the province's report for a month in each format, with its file name; the XLSX's figures equal
 * the report module's; the PDF read back says the unit and the motto; a district head asking for
 * the province gets 404 with none of its figures; a bad month or format is 400; each file made is
 * in the audit log. A campaign's window in place of a month; and the "Xuất báo cáo" menu of the
 * overview and compare pages, in Chromium.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	monthlyReport,
	windowReport,
	type MonthlyReport,
	type ReportWindow
} from '../src/lib/server/report/monthly';
import { readPdf } from '../src/lib/server/testing/pdf';
import { openStore } from '../src/lib/server/store';
import { resolveUnit } from '../src/lib/server/units/versions';
import { readFileSync } from 'node:fs';
import { launchChromium } from './helpers/browser';
import { runCli } from './helpers/cli';
import { canLocUser, createTestDemo, signIn } from './helpers/demo-db';
import { ensureBuilt, startServer, type RunningServer } from './helpers/server';

const MONTH = '2026-10';

let dir: string;
let dbPath: string;
let server: RunningServer;
let reformTeam: string;
let districtHead: string;
let expected: MonthlyReport;
/** The demo's 2026 campaign (1 March to 31 December), set on the province. */
let campaign: Extract<ReportWindow, { kind: 'campaign' }>;
let expectedCampaign: MonthlyReport;

beforeAll(async () => {
	await ensureBuilt();
	dir = mkdtempSync(path.join(os.tmpdir(), 'kpi-report-api-'));
	dbPath = await createTestDemo(dir);
	const store = await openStore(dbPath);
	try {
		const unit = await resolveUnit(store.db, '42', { from: '2026-10-01', to: '2026-10-31' });
		expected = await monthlyReport(store.db, unit, MONTH);
		const { rows } = await sql<{ id: number; name: string; from: string; to: string }>`SELECT
				id, name, starts_on::VARCHAR AS "from", ends_on::VARCHAR AS "to" FROM campaigns
			WHERE starts_on = DATE '2026-03-01'`.execute(store.db);
		const [row] = rows;
		campaign = { kind: 'campaign', id: row.id, name: row.name, period: row };
		const during = await resolveUnit(store.db, '42', campaign.period);
		expectedCampaign = await windowReport(store.db, during, campaign);
	} finally {
		await store.close();
	}
	server = await startServer(dbPath);
	reformTeam = await signIn(server.origin, 'noivu', 'demo-noivu-2026');
	districtHead = await signIn(server.origin, canLocUser('unit_head'));
}, 180_000);
afterAll(async () => {
	await server?.stop();
	if (dir) rmSync(dir, { recursive: true, force: true });
});

const get = (query: string, cookie: string) =>
	fetch(`${server.origin}/api/v1/report?${query}`, { headers: { cookie } });

/** The layout page's form, sent as its script sends it (the action's JSON answer). */
const saveLayout = (form: URLSearchParams) =>
	fetch(`${server.origin}/u/42/report-header?/save`, {
		method: 'POST',
		headers: {
			cookie: reformTeam,
			origin: server.origin,
			'content-type': 'application/x-www-form-urlencoded',
			'x-sveltekit-action': 'true'
		},
		body: form
	});

describe('GET /api/v1/report', () => {
	it('gives the province’s report as XLSX with the report module’s figures', async () => {
		const response = await get(`unit=42&month=${MONTH}&format=xlsx`, reformTeam);
		expect(response.status).toBe(200);
		expect(response.headers.get('content-disposition')).toBe(
			'attachment; filename="bao-cao-42-2026-10.xlsx"'
		);
		const workbook = new ExcelJS.Workbook();
		await workbook.xlsx.load(await response.arrayBuffer());
		const sheet = workbook.getWorksheet('Chỉ số')!;
		const online = expected.kpis[0];
		const row = sheet
			.getRows(1, sheet.rowCount)!
			.find((r) => r.getCell(1).value === online.name.vi)!;
		expect([row.getCell(2).value, row.getCell(3).value, row.getCell(4).value]).toEqual([
			online.figure.value,
			online.figure.numerator,
			online.figure.denominator
		]);
	});

	it('prints it as a PDF and archives its tables as CSV in a ZIP', async () => {
		const pdf = await get(`unit=42&month=${MONTH}&format=pdf`, reformTeam);
		expect(pdf.status).toBe(200);
		expect(pdf.headers.get('content-type')).toBe('application/pdf');
		const pages = await readPdf(new Uint8Array(await pdf.arrayBuffer()));
		const text = pages.map((p) => p.text).join('\n');
		expect(text).toContain('UBND TỈNH HÀ TĨNH');
		expect(text).toContain('Độc lập - Tự do - Hạnh phúc');
		expect(text).toContain('tháng 10/2026');
		const zip = await get(`unit=42&month=${MONTH}&format=csv`, reformTeam);
		expect(zip.status).toBe(200);
		expect(zip.headers.get('content-disposition')).toBe(
			'attachment; filename="bao-cao-42-2026-10.zip"'
		);
		expect(Buffer.from(await zip.arrayBuffer()).readUInt32LE(0)).toBe(0x04034b50);
	}, 60_000);

	it('answers 404 for a unit outside the scope, with none of its figures', async () => {
		const response = await get(`unit=42&month=${MONTH}&format=xlsx`, districtHead);
		expect(response.status).toBe(404);
		const body = await response.text();
		expect(body).not.toContain('Hà Tĩnh');
		expect(body).not.toContain(String(expected.kpis[0].figure.denominator));
	});

	it('answers 400 for a month or a format it cannot make, and 401 signed out', async () => {
		for (const query of [
			`unit=42&month=2026-13&format=xlsx`,
			`unit=42&month=10/2026&format=xlsx`,
			`unit=42&month=${MONTH}&format=docx`,
			`unit=42&month=9999-12&format=xlsx`,
			`unit=42&month=0001-01&format=pdf`,
			`unit=${'4'.repeat(300)}&month=${MONTH}&format=xlsx`,
			`month=${MONTH}&format=xlsx`
		]) {
			expect((await get(query, reformTeam)).status, query).toBe(400);
		}
		expect((await get(`unit=42&month=${MONTH}&format=xlsx`, '')).status).toBe(401);
	});

	it("gives a campaign window's report in place of a month's, for a campaign the user may see", async () => {
		const response = await get(`unit=42&campaign=${campaign.id}&format=xlsx`, reformTeam);
		expect(response.status).toBe(200);
		expect(response.headers.get('content-disposition')).toBe(
			'attachment; filename="bao-cao-42-2026-03-01_2026-12-31.xlsx"'
		);
		const workbook = new ExcelJS.Workbook();
		await workbook.xlsx.load(await response.arrayBuffer());
		const sheet = workbook.getWorksheet('Chỉ số')!;
		expect(String(sheet.getCell('A1').value)).toContain(
			'theo Chiến dịch chuyển đổi số năm 2026: 100% hồ sơ được số hóa (từ ngày 01/03/2026 đến ngày 31/12/2026)'
		);
		const online = expectedCampaign.kpis[0];
		const row = sheet
			.getRows(1, sheet.rowCount)!
			.find((r) => r.getCell(1).value === online.name.vi)!;
		expect([row.getCell(3).value, row.getCell(4).value]).toEqual([
			online.figure.numerator,
			online.figure.denominator
		]);
		// The window is ten months, not the month's: more dossiers than October alone.
		expect(online.figure.denominator).toBeGreaterThan(expected.kpis[0].figure.denominator);
		// Outside the scope, or no such campaign: 404 like a unit; a month and a campaign: 400.
		expect((await get(`unit=42&campaign=${campaign.id}&format=xlsx`, districtHead)).status).toBe(
			404
		);
		for (const id of ['999', 'abc', '-1']) {
			expect((await get(`unit=42&campaign=${id}&format=csv`, reformTeam)).status, id).toBe(404);
		}
		for (const query of [
			`unit=42&campaign=${campaign.id}&month=${MONTH}&format=csv`,
			`unit=42&campaign=${'9'.repeat(30)}&format=csv`,
			`unit=42&format=csv`
		]) {
			expect((await get(query, reformTeam)).status, query).toBe(400);
		}
	}, 60_000);

	it('writes the report with the CLI through the running server, as CONTRACT says', async () => {
		const out = path.join(dir, 'bao-cao.xlsx');
		const { code, stdout } = await runCli(
			dbPath,
			'report',
			'--unit',
			'42',
			'--month',
			MONTH,
			'--format',
			'xlsx',
			'--out',
			out
		);
		expect(code).toBe(0);
		expect(stdout).toContain(out);
		const workbook = new ExcelJS.Workbook();
		await workbook.xlsx.load(readFileSync(out) as unknown as ArrayBuffer);
		expect(workbook.worksheets.map((w) => w.name)).toContain('Mẫu 06');
		const zip = path.join(dir, 'dot.zip');
		const byCampaign = await runCli(
			dbPath,
			'report',
			'--unit',
			'42',
			'--campaign',
			String(campaign.id),
			'--format',
			'csv',
			'--out',
			zip
		);
		expect(byCampaign.code).toBe(0);
		expect(byCampaign.stdout).toContain(`for campaign ${campaign.id}`);
		expect(readFileSync(zip).readUInt32LE(0)).toBe(0x04034b50);
	}, 60_000);

	it('offers the report on the overview and downloads it from the menu; not outside the scope', async () => {
		const browser = await launchChromium();
		try {
			const context = await browser.newContext({ acceptDownloads: true });
			const [name, value] = reformTeam.split('=');
			await context.addCookies([{ name, value, url: server.origin }]);
			const page = await context.newPage();
			await page.goto(`${server.origin}/u/42?from=2026-10-01&to=2026-10-31`);
			await page.getByText('Xuất báo cáo', { exact: true }).click();
			await expect.poll(() => page.getByText('Báo cáo tháng 10/2026').isVisible()).toBe(true);
			const [download] = await Promise.all([
				page.waitForEvent('download'),
				page.getByRole('link', { name: /Excel \(XLSX\)/ }).click()
			]);
			expect(download.suggestedFilename()).toBe('bao-cao-42-2026-10.xlsx');
			// The compare page offers the month the quarter ends in, and says so.
			await page.goto(`${server.origin}/u/42/compare?from=2026-07-01&to=2026-09-30`);
			await page.getByText('Xuất báo cáo', { exact: true }).click();
			expect(await page.locator('.report-menu a').first().getAttribute('href')).toBe(
				'/api/v1/report?unit=42&month=2026-09&format=pdf'
			);
			await expect
				.poll(() => page.getByText('không riêng kỳ đang xem', { exact: false }).isVisible())
				.toBe(true);
			// On a phone the menu sits on a line of its own; its panel opens within the screen.
			const phone = await browser.newContext({ viewport: { width: 390, height: 900 } });
			await phone.addCookies([{ name, value, url: server.origin }]);
			const small = await phone.newPage();
			for (const url of [
				'/u/42/compare?from=2026-10-01&to=2026-10-31',
				'/u/42?from=2026-10-01&to=2026-10-31'
			]) {
				await small.goto(`${server.origin}${url}`);
				await small.getByText('Xuất báo cáo', { exact: true }).click();
				const panel = (await small.locator('.report-menu .panel').boundingBox())!;
				expect(panel.x, url).toBeGreaterThanOrEqual(0);
				expect(panel.x + panel.width, url).toBeLessThanOrEqual(390);
			}
			await phone.close();
			const [cookieName, cookieValue] = districtHead.split('=');
			await context.clearCookies();
			await context.addCookies([{ name: cookieName, value: cookieValue, url: server.origin }]);
			const outside = await page.goto(`${server.origin}/u/42?from=2026-10-01&to=2026-10-31`);
			expect(outside?.status()).toBe(404);
			expect(await page.locator('.report-menu').count()).toBe(0);
		} finally {
			await browser.close();
		}
	}, 60_000);

	it("prints the frame the reform team set on the unit's layout page", async () => {
		const form = new URLSearchParams({
			governingBody: 'UBND TỈNH HÀ TĨNH',
			issuingBody: 'Văn phòng UBND tỉnh',
			abbreviation: 'VP',
			place: 'Hà Tĩnh',
			signerTitle: 'KT. CHÁNH VĂN PHÒNG\nPHÓ CHÁNH VĂN PHÒNG',
			signerName: 'Trần Thị Hoa',
			recipients: '- Thường trực Tỉnh ủy;\n- Lưu: VT.'
		});
		const saved = await saveLayout(form);
		expect(saved.status).toBe(200);
		expect(await saved.json()).toMatchObject({ type: 'success' });
		const pdf = await get(`unit=42&month=${MONTH}&format=pdf`, reformTeam);
		const text = (await readPdf(new Uint8Array(await pdf.arrayBuffer())))
			.map((p) => p.text)
			.join('\n');
		expect(text).toContain('VĂN PHÒNG UBND TỈNH');
		expect(text).toMatch(/Số: +\/BC-VP/);
		expect(text).toContain('PHÓ CHÁNH VĂN PHÒNG');
		expect(text).toContain('Trần Thị Hoa');
		expect(text).toContain('- Thường trực Tỉnh ủy;');
		// A field with a line break where one line goes is refused, and nothing changes.
		form.set('signerName', 'Trần\nThị Hoa');
		const refused = await saveLayout(form);
		expect(await refused.json()).toMatchObject({ type: 'failure', status: 400 });
		const page = await fetch(`${server.origin}/u/42/report-header`, {
			headers: { cookie: reformTeam }
		});
		expect(await page.text()).toContain('value="Trần Thị Hoa"');
	}, 60_000);

	it('writes each report made to the audit log', async () => {
		await server.stop();
		const store = await openStore(dbPath);
		try {
			const { rows } = await sql<{ detail: string }>`SELECT detail FROM audit_log
				WHERE action = 'report' ORDER BY id`.execute(store.db);
			expect(rows.map((r) => JSON.parse(r.detail))).toEqual([
				{ unit: '42', month: MONTH, format: 'xlsx' },
				{ unit: '42', month: MONTH, format: 'pdf' },
				{ unit: '42', month: MONTH, format: 'csv' },
				{ unit: '42', campaign: campaign.id, format: 'xlsx' },
				{ unit: '42', month: MONTH, format: 'xlsx' },
				{ unit: '42', campaign: campaign.id, format: 'csv' },
				{ unit: '42', month: MONTH, format: 'xlsx' },
				{ unit: '42', month: MONTH, format: 'pdf' }
			]);
		} finally {
			await store.close();
		}
	});
});
