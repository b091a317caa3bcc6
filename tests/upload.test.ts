/**
 * The upload page in a real browser against the built server on a demo database (issue 14): a
 * Vietnamese-header, semicolon-separated CSV with a BOM goes up, one column is mapped by hand, the
 * check shows a bad date, the fixed file is checked clean and committed, the history row appears
 * and the KPI moves by exactly the rows added; undo on the data page puts it back exactly. An
 * XLSX with a title block above its header is found and imported as well. With
 * SCREENSHOTS=<folder>, the page is photographed in each state at 1440 and 390 px.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scopeOf } from '../src/lib/server/auth/scope';
import { openStore } from '../src/lib/server/store';
import { launchChromium } from './helpers/browser';
import { canLocUser, createTestDemo, signIn } from './helpers/demo-db';
import { ensureBuilt, startServer, type RunningServer } from './helpers/server';

const SEPTEMBER = 'from=2026-09-01&to=2026-09-30';

let dir: string;
let server: RunningServer;
let team: string;
/** A 2026 commune inside Can Lộc's scope, and a commune procedure whose dossiers all count. */
let inside: string;
let insideName: string;
let procedure: string;

beforeAll(async () => {
	await ensureBuilt();
	dir = mkdtempSync(path.join(os.tmpdir(), 'kpi-upload-'));
	const dbPath = await createTestDemo(dir);
	const store = await openStore(dbPath);
	try {
		const scope = await scopeOf(store.db, { username: 'x', role: 'reform_team', unitCode: '443' });
		const { rows } = await sql<{ id: number; code: string; name: string }>`SELECT id, code, name
			FROM unit_versions WHERE level = 'commune' AND valid_from = DATE '2025-07-01'
			ORDER BY code`.execute(store.db);
		const found = rows.find((r) => !scope.all && scope.versions.has(r.id))!;
		inside = found.code;
		insideName = found.name;
		const { rows: full } = await sql<{ code: string }>`SELECT code FROM procedures
			WHERE online_level = 'full' AND level = 'commune' ORDER BY code LIMIT 1`.execute(store.db);
		procedure = full[0].code;
	} finally {
		await store.close();
	}
	server = await startServer(dbPath);
	team = await signIn(server.origin, canLocUser('reform_team'));
}, 300_000);

afterAll(async () => {
	await server?.stop();
	if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The online submission rate's counts for the commune in September 2026, through the API. */
async function figure(): Promise<{ numerator: number; denominator: number }> {
	const response = await fetch(`${server.origin}/api/v1/kpi?unit=${inside}&${SEPTEMBER}`, {
		headers: { cookie: team }
	});
	expect(response.status).toBe(200);
	const body = (await response.json()) as {
		kpis: Record<string, { numerator: number; denominator: number }>;
	};
	const { numerator, denominator } = body.kpis.online_submission_rate;
	return { numerator, denominator };
}

const HEADER = 'Mã hồ sơ;Mã TTHC;Mã đơn vị;Kênh nộp;Ngày tiếp nhận';

/** Four dossiers of September, three filed online; `bad` gives the second one an impossible date. */
function csv(bad: boolean): Buffer {
	const rows = [
		`UP-1;${procedure};${inside};Trực tuyến;05/09/2026 08:00`,
		`UP-2;${procedure};${inside};Trực tuyến;${bad ? '31/02/2026' : '06/09/2026 09:30'}`,
		`UP-3;${procedure};${inside};Trực tuyến;07/09/2026`,
		`UP-4;${procedure};${inside};Trực tiếp;08/09/2026 14:00`
	];
	const text = `\uFEFFUBND HUYỆN CAN LỘC;;;;\n;;;;\n${HEADER}\n${rows.join('\n')}\n`;
	return Buffer.from(text, 'utf8');
}

async function xlsx(): Promise<Buffer> {
	const book = new ExcelJS.Workbook();
	const sheet = book.addWorksheet('Hồ sơ');
	sheet.addRow(['BÁO CÁO HỒ SƠ TIẾP NHẬN THÁNG 9/2026']);
	sheet.mergeCells('A1:E1');
	sheet.addRow(['Đơn vị: Huyện Can Lộc']);
	sheet.addRow([]);
	sheet.addRow(['Mã hồ sơ', 'Mã TTHC', 'Mã đơn vị', 'Hình thức nộp', 'Ngày tiếp nhận']);
	sheet.addRow(['XL-1', procedure, inside, 'Trực tuyến', new Date(Date.UTC(2026, 8, 10, 8, 0))]);
	sheet.addRow(['XL-2', procedure, inside, 'Trực tiếp', new Date(Date.UTC(2026, 8, 11, 9, 0))]);
	return Buffer.from(await book.xlsx.writeBuffer());
}

const shots = process.env.SCREENSHOTS;

/** The page's serious or critical accessibility problems (axe). */
async function accessibility(page: Page): Promise<string[]> {
	const axe = await new AxeBuilder({ page }).analyze();
	return axe.violations
		.filter((v) => v.impact === 'serious' || v.impact === 'critical')
		.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

/** With SCREENSHOTS set, the page as it is now at 1440 and 390 px. */
async function shot(page: Page, name: string): Promise<void> {
	if (!shots) return;
	mkdirSync(shots, { recursive: true });
	for (const width of [1440, 390]) {
		await page.setViewportSize({ width, height: 900 });
		await page.screenshot({
			path: path.join(shots, `upload-${name}-${width}.png`),
			fullPage: true
		});
	}
	await page.setViewportSize({ width: 1440, height: 900 });
}

async function pick(page: Page, name: string, buffer: Buffer, mimeType: string) {
	await page.locator('input[type="file"]').setInputFiles({ name, mimeType, buffer });
	await page.waitForURL(/[?&]draft=\d+/);
}

describe('the upload page', () => {
	it('maps, checks, refuses a bad date, commits the fixed file, shows it in the history and undoes it exactly', async () => {
		const before = await figure();
		const browser = await launchChromium();
		try {
			const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
			const [name, value] = team.split('=');
			await context.addCookies([{ name, value, url: server.origin }]);
			const page = await context.newPage();
			page.on('dialog', (dialog) => void dialog.accept());

			await page.goto(`${server.origin}/u/443/data`, { waitUntil: 'networkidle' });
			await page.getByRole('link', { name: 'Tải dữ liệu lên' }).click();
			await page.waitForURL(/\/u\/443\/data\/upload$/);
			await shot(page, 'start');

			// The bad file: found as dossiers under its title block, "Kênh nộp" known to no alias.
			await pick(page, 'mot-cua-thang-9.csv', csv(true), 'text/csv');
			await expect.poll(() => page.getByLabel('Loại dữ liệu').inputValue()).toBe('dossiers');
			await expect.poll(() => page.getByText('Dòng tiêu đề: dòng 3').count()).toBe(1);
			const channel = page.getByRole('combobox', { name: 'Kênh nộp' });
			expect(await channel.inputValue()).toBe('');
			await expect.poll(() => page.getByText('Thiếu cột bắt buộc').count()).toBe(1);
			await channel.selectOption('channel');
			await expect.poll(() => page.getByText('Thiếu cột bắt buộc').count()).toBe(0);
			await page.getByLabel('Lưu ánh xạ thành cấu hình').fill('Một cửa VNPT');
			await page.getByRole('button', { name: 'Lưu cấu hình' }).click();
			await expect.poll(() => page.getByText('Đã lưu cấu hình “Một cửa VNPT”').count()).toBe(1);
			await shot(page, 'mapping');

			await page.getByRole('button', { name: 'Kiểm tra tệp' }).click();
			const errors = page.locator('table', {
				has: page.getByRole('columnheader', { name: 'Lý do' })
			});
			await expect.poll(() => errors.locator('tbody tr').count(), { timeout: 30_000 }).toBe(1);
			expect(await errors.locator('tbody tr').first().locator('td').allTextContents()).toEqual([
				'5',
				'Ngày tiếp nhận',
				'31/02/2026',
				expect.stringMatching(/^không phải ngày giờ; cần dạng/)
			]);
			expect(await page.getByRole('link', { name: /Tải về tất cả dòng bị loại/ }).count()).toBe(1);
			expect(await page.getByRole('button', { name: 'Nhập dữ liệu' }).count()).toBe(0);
			await shot(page, 'errors');
			expect(await accessibility(page)).toEqual([]);
			// At a phone's width the page does not scroll sideways: wide tables scroll in their box.
			await page.setViewportSize({ width: 390, height: 900 });
			expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
				390
			);
			await page.setViewportSize({ width: 1440, height: 900 });
			// Nothing was written by the check.
			expect(await figure()).toEqual(before);

			// The fixed file: the saved profile maps it, the check is clean, the preview typed.
			await page.getByRole('button', { name: 'Tải lên tệp đã sửa' }).click();
			await pick(page, 'mot-cua-thang-9-da-sua.csv', csv(false), 'text/csv');
			await expect
				.poll(() => page.getByText('Đã áp dụng cấu hình ánh xạ “Một cửa VNPT”').count())
				.toBe(1);
			expect(await page.getByRole('combobox', { name: 'Kênh nộp' }).inputValue()).toBe('channel');
			await page.getByRole('button', { name: 'Kiểm tra tệp' }).click();
			await expect
				.poll(() => page.getByText('Tệp hợp lệ: 4 dòng dữ liệu, không có lỗi.').count(), {
					timeout: 30_000
				})
				.toBe(1);
			const preview = page.locator('table.preview tbody tr');
			expect(await preview.count()).toBe(4);
			const first = await preview.first().locator('td').allTextContents();
			expect(first).toEqual([
				'UP-1',
				procedure,
				`${inside} · ${insideName}`,
				'Trực tuyến',
				'05/09/2026 08:00'
			]);
			expect(await preview.nth(3).locator('td').nth(3).textContent()).toBe('Trực tiếp');
			await shot(page, 'clean');

			await page.getByRole('button', { name: 'Nhập dữ liệu' }).click();
			await shot(page, 'progress');
			await expect
				.poll(() => page.getByText('Đã nhập xong: 4 dòng mới, 0 dòng cập nhật').count(), {
					timeout: 60_000
				})
				.toBe(1);
			await shot(page, 'done');
			expect(await figure()).toEqual({
				numerator: before.numerator + 3,
				denominator: before.denominator + 4
			});

			// The history on the data page, and the undo.
			await page.getByRole('link', { name: 'Xem lịch sử nhập dữ liệu' }).click();
			await page.waitForURL(/\/u\/443\/data$/);
			const row = page.locator('tr', { hasText: 'mot-cua-thang-9-da-sua.csv' });
			expect(await row.count()).toBe(1);
			const cells = await row.locator('td, th').allTextContents();
			expect(cells[0]).toBe('Hồ sơ');
			expect(cells[2]).toBe(canLocUser('reform_team'));
			expect(cells.join(' ')).toMatch(/Hoàn tất/);
			expect(await row.locator('code').getAttribute('title')).toMatch(/^[0-9a-f]{64}$/);
			await shot(page, 'history');
			expect(await accessibility(page)).toEqual([]);

			// A later import changes one of its rows: its undo is refused, naming that import.
			const later = await fetch(
				`${server.origin}/api/v1/imports?kind=dossiers&filename=sua-up-1.csv`,
				{
					method: 'POST',
					headers: { cookie: team, 'content-type': 'text/csv' },
					body: `dossier_code,procedure_code,unit_code,channel,received_at\nUP-1,${procedure},${inside},direct,2026-09-05 08:00\n`
				}
			);
			expect(later.status).toBe(202);
			const laterId = ((await later.json()) as { id: string }).id;
			await expect
				.poll(async () => (await figure()).numerator, { timeout: 30_000 })
				.toBe(before.numerator + 2);
			await page.reload({ waitUntil: 'networkidle' });
			await row.getByRole('button', { name: 'Hoàn tác' }).click();
			await expect
				.poll(() =>
					page
						.getByText(
							new RegExp(
								`^Không hoàn tác được lần nhập số \\d+: lần nhập số ${laterId} \\(sua-up-1\\.csv\\)`
							)
						)
						.count()
				)
				.toBe(1);
			await shot(page, 'undo-refused');
			expect((await figure()).numerator).toBe(before.numerator + 2);

			// Undone in order, the later first: the figure is back exactly.
			await page
				.locator('tr', { hasText: 'sua-up-1.csv' })
				.getByRole('button', { name: 'Hoàn tác' })
				.click();
			await expect
				.poll(() =>
					page.getByText(`Đã hoàn tác lần nhập số ${laterId}: 0 dòng bị xoá, 1 dòng`).count()
				)
				.toBe(1);
			await row.getByRole('button', { name: 'Hoàn tác' }).click();
			await expect
				.poll(() => page.getByText(/^Đã hoàn tác lần nhập số \d+: 4 dòng bị xoá/).count())
				.toBe(1);
			expect(await figure()).toEqual(before);
			await context.close();
		} finally {
			await browser.close();
		}
	}, 180_000);

	it('finds the header of an XLSX under its title block and imports it', async () => {
		const before = await figure();
		const browser = await launchChromium();
		try {
			const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
			const [name, value] = team.split('=');
			await context.addCookies([{ name, value, url: server.origin }]);
			const page = await context.newPage();
			// The file input's handler is the page's script: pick the file once it has hydrated.
			await page.goto(`${server.origin}/u/443/data/upload`, { waitUntil: 'networkidle' });
			await pick(
				page,
				'bao-cao-thang-9.xlsx',
				await xlsx(),
				'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
			);
			await expect.poll(() => page.getByText('Dòng tiêu đề: dòng 4').count()).toBe(1);
			expect(await page.getByLabel('Loại dữ liệu').inputValue()).toBe('dossiers');
			expect(await page.getByRole('combobox', { name: 'Hình thức nộp' }).inputValue()).toBe(
				'channel'
			);
			await page.getByRole('button', { name: 'Kiểm tra tệp' }).click();
			await expect
				.poll(() => page.getByText('Tệp hợp lệ: 2 dòng dữ liệu, không có lỗi.').count(), {
					timeout: 30_000
				})
				.toBe(1);
			expect(
				await page.locator('table.preview tbody tr').first().locator('td').nth(4).textContent()
			).toBe('10/09/2026 08:00');
			await page.getByRole('button', { name: 'Nhập dữ liệu' }).click();
			await expect
				.poll(() => page.getByText('Đã nhập xong: 2 dòng mới').count(), { timeout: 60_000 })
				.toBe(1);
			expect(await figure()).toEqual({
				numerator: before.numerator + 1,
				denominator: before.denominator + 2
			});
			await context.close();
		} finally {
			await browser.close();
		}
	}, 120_000);
});
