/**
 * The head of a district that ended (issue 12), on the real built server and the test demo
 * database, in Chromium: `canloc` (Huyện Can Lộc, dissolved on 30/06/2025) signs in and lands on
 * the comparison of the six communes his district became, for the latest month with data, side by
 * side and on the map, without a serious accessibility violation (axe); Can Lộc's own page says
 * it ended and leads to them, and a successor leads back. And what a period's figures rest on: an
 * empty month after the data says so, with the last day with data, and the picker offers only
 * the months with data.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatDate } from '../src/lib/domain/format';
import { latestDay } from '../src/lib/server/dashboard/context';
import { openStore } from '../src/lib/server/store';
import { launchChromium } from './helpers/browser';
import { createTestDemo } from './helpers/demo-db';
import { ensureBuilt, startServer, type RunningServer } from './helpers/server';

/** The communes Huyện Can Lộc's communes went into on 1 July 2025 (data/demo/merger-2025.csv). */
const SUCCESSORS: Record<string, string> = {
	'18406': 'Xã Can Lộc',
	'18418': 'Xã Tùng Lộc',
	'18436': 'Xã Trường Lưu',
	'18466': 'Xã Gia Hanh',
	'18481': 'Xã Xuân Lộc',
	'18484': 'Xã Đồng Lộc'
};

let dir: string;
let server: RunningServer;
let browser: Browser;
/** The last day a dossier was received in the test demo (the whole province). */
let lastDay: string;

beforeAll(async () => {
	await ensureBuilt();
	dir = mkdtempSync(path.join(os.tmpdir(), 'kpi-district-head-'));
	const dbPath = await createTestDemo(dir);
	const store = await openStore(dbPath);
	try {
		lastDay = (await latestDay(store.db))!;
	} finally {
		await store.close();
	}
	server = await startServer(dbPath);
	browser = await launchChromium();
}, 300_000);

afterAll(async () => {
	await browser?.close();
	await server?.stop();
	if (dir) rmSync(dir, { recursive: true, force: true });
});

async function signedIn(username: string, password: string): Promise<Page> {
	const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
	const page = await context.newPage();
	await page.goto(`${server.origin}/login`, { waitUntil: 'networkidle' });
	await page.getByLabel('Tên đăng nhập').fill(username);
	await page.getByLabel('Mật khẩu').fill(password);
	await page.getByRole('button', { name: 'Đăng nhập' }).click();
	await page.waitForURL((url) => url.pathname.startsWith('/u/'), { timeout: 60_000 });
	return page;
}

/** The unit links of the comparison table's rows, in order. */
const tableUnits = (page: Page) => page.locator('table tbody th.unit a').allTextContents();

describe('the head of a district that ended', () => {
	it('lands on the communes his district became, for the latest month, side by side and on the map', async () => {
		const page = await signedIn('canloc', 'demo-canloc-2026');
		try {
			expect(new URL(page.url()).pathname).toBe('/u/443/successors');
			await page.waitForLoadState('networkidle');
			expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(
				'Các đơn vị hình thành từ Huyện Can Lộc'
			);
			const [year, month] = lastDay.split('-');
			const sub = await page.locator('h1 + p').textContent();
			expect(sub).toContain(`Tháng ${Number(month)}/${year}`);
			expect(sub).toContain('đã kết thúc ngày 30/06/2025');

			const units = (await tableUnits(page)).map((name) => name.trim());
			expect([...units].sort()).toEqual(Object.values(SUCCESSORS).sort());

			// The map colours exactly the six communes: six areas in a status fill (app.css), the
			// others outside the units shown; its label is ours, in Vietnamese.
			const map = page.locator('.map-card [role=img]');
			await map.waitFor();
			expect(await map.getAttribute('aria-label')).toMatch(/^Bản đồ/);
			const coloured = await map.evaluate((box) => {
				const css = getComputedStyle(document.documentElement);
				const fills = ['--met-fill', '--close-fill', '--below-fill', '--no-target-fill'].map(
					(name) => css.getPropertyValue(name).trim().toLowerCase()
				);
				const normal = (colour: string) => {
					const probe = document.createElement('span');
					probe.style.color = colour;
					document.body.append(probe);
					const rgb = getComputedStyle(probe).color;
					probe.remove();
					return rgb;
				};
				const statusFills = new Set(fills.map(normal));
				return [...box.querySelectorAll('svg path')].filter((p) =>
					statusFills.has(normal(p.getAttribute('fill') ?? 'none'))
				).length;
			});
			expect(coloured).toBe(Object.keys(SUCCESSORS).length);

			const axe = await new AxeBuilder({ page }).analyze();
			const serious = axe.violations
				.filter((v) => v.impact === 'serious' || v.impact === 'critical')
				.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
			expect(serious).toEqual([]);
		} finally {
			await page.context().close();
		}
	});

	it("sees on Can Lộc's page that it ended, and follows a link to one of its communes and back", async () => {
		const page = await signedIn('canloc', 'demo-canloc-2026');
		try {
			await page.goto(`${server.origin}/u/443`, { waitUntil: 'networkidle' });
			const notice = page.getByRole('note');
			expect(await notice.textContent()).toContain('Huyện Can Lộc đã kết thúc ngày 30/06/2025.');
			for (const name of Object.values(SUCCESSORS)) {
				expect(await notice.getByRole('link', { name, exact: true }).count(), name).toBe(1);
			}
			expect(
				await notice.getByRole('link', { name: /So sánh các đơn vị kế tiếp/ }).getAttribute('href')
			).toBe('/u/443/successors');

			await notice.getByRole('link', { name: 'Xã Can Lộc', exact: true }).click();
			await page.waitForURL(/\/u\/18406$/);
			expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Xã Can Lộc');
			const formed = page.locator('.lineage.formed');
			expect(await formed.textContent()).toContain('Hình thành ngày 01/07/2025 từ:');
			expect((await formed.getByRole('link').allTextContents()).sort()).toEqual([
				'Thị trấn Nghèn',
				'Xã Thiên Lộc',
				'Xã Vượng Lộc'
			]);
			await formed.getByRole('link', { name: 'Thị trấn Nghèn' }).click();
			await page.waitForURL(/\/u\/18406\?from=2025-06-01&to=2025-06-30$/);
			expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Thị trấn Nghèn');
			expect(await page.getByRole('note').textContent()).toContain(
				'Thị trấn Nghèn đã kết thúc ngày 30/06/2025. Nay là: Xã Can Lộc.'
			);
		} finally {
			await page.context().close();
		}
	});
});

describe('what a period rests on', () => {
	it('says an empty month after the data has no data, and up to which day there are data', async () => {
		const page = await signedIn('noivu', 'demo-noivu-2026');
		try {
			await page.goto(`${server.origin}/u/42?from=2026-11-01&to=2026-11-30`, {
				waitUntil: 'networkidle'
			});
			const statements = page.locator('.statements');
			expect(await statements.textContent()).toContain('Không có số liệu cho kỳ này.');
			expect(await statements.textContent()).toContain(`Số liệu đến ngày ${formatDate(lastDay)}.`);
		} finally {
			await page.context().close();
		}
	});

	it('says up to which day there are data in a quarter the data end within, without "no data"', async () => {
		const page = await signedIn('noivu', 'demo-noivu-2026');
		try {
			await page.goto(`${server.origin}/u/42?from=2026-10-01&to=2026-12-31`, {
				waitUntil: 'networkidle'
			});
			const text = await page.locator('.statements').textContent();
			expect(text).toContain(`Số liệu đến ngày ${formatDate(lastDay)}.`);
			expect(text).not.toContain('Không có số liệu');
		} finally {
			await page.context().close();
		}
	});

	it('offers in the picker only the months from the first to the last month with data', async () => {
		const page = await signedIn('noivu', 'demo-noivu-2026');
		try {
			await page.goto(`${server.origin}/u/42?from=2025-03-01&to=2025-03-31`, {
				waitUntil: 'networkidle'
			});
			const months = await page.locator('select[name=month] option').allTextContents();
			const [year, month] = lastDay.split('-');
			expect(months[0]).toBe(`Tháng ${Number(month)}/${year}`);
			expect(months.at(-1)).toBe('Tháng 1/2023');
			expect(months).toHaveLength((Number(year) - 2023) * 12 + Number(month));
			expect(await page.locator('select[name=month]').inputValue()).toBe('2025-03');
		} finally {
			await page.context().close();
		}
	});
});
