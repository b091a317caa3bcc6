/**
 * The dashboard in headless Chromium (tests/helpers/browser.ts) against the built app on the demo
 * database (issue 6): every page of a unit loads without a console error and without a serious or
 * critical accessibility violation (axe), at 1440 and 1024 px, with a screenshot saved under
 * tests/artifacts/; drilling down the tree and back; a copied URL reproduces the view; the
 * overview shows exactly the figures of `kpi --json`; the language switch.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../src/cli/build-check';
import { formatNumber, formatPercent } from '../src/lib/domain/format';
import { launchChromium } from './helpers/browser';
import { runCli } from './helpers/cli';
import { createTestDemo } from './helpers/demo-db';
import { ensureBuilt, startServer, type RunningServer } from './helpers/server';

const ARTIFACTS = path.join(PROJECT_ROOT, 'tests', 'artifacts');
const PROVINCE_MONTH = 'from=2026-10-01&to=2026-10-31';
const JUNE_2025 = 'from=2025-06-01&to=2025-06-30';

/** The pages of a unit: every folder under src/routes/u/[code], so a new page is tested too. */
function unitPages(): string[] {
	const root = path.join(PROJECT_ROOT, 'src', 'routes', 'u', '[code]');
	const pages = [''];
	for (const entry of readdirSync(root, { withFileTypes: true })) {
		if (entry.isDirectory()) pages.push(`/${entry.name}`);
	}
	return pages.sort();
}

let dir: string;
let dbPath: string;
let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
	await ensureBuilt();
	mkdirSync(ARTIFACTS, { recursive: true });
	dir = mkdtempSync(path.join(os.tmpdir(), 'kpi-dashboard-'));
	dbPath = await createTestDemo(dir, 1);
	server = await startServer(dbPath);
	browser = await launchChromium();
}, 300_000);

afterAll(async () => {
	await browser?.close();
	await server?.stop();
	if (dir) rmSync(dir, { recursive: true, force: true });
});

async function signedIn(width = 1440, username = 'noivu', password = 'demo-noivu-2026') {
	const context = await browser.newContext({ viewport: { width, height: 900 } });
	const page = await context.newPage();
	// Typed before the page has hydrated, a value can be reset by it (then the required field stops
	// the form, silently): fill the form once the page is ready, as a person would.
	await page.goto(`${server.origin}/login`, { waitUntil: 'networkidle' });
	await page.getByLabel('Tên đăng nhập').fill(username);
	await page.getByLabel('Mật khẩu').fill(password);
	await page.getByRole('button', { name: 'Đăng nhập' }).click();
	try {
		await page.waitForURL((url) => url.pathname.startsWith('/u/'), { timeout: 60_000 });
	} catch (error) {
		// Say where the sign-in stopped: the page's alert (a refusal) or the server's last words.
		const alert = await page.getByRole('alert').allTextContents();
		throw new Error(
			`the sign-in of ${username} stopped at ${page.url()} (${alert.join(' ') || 'no alert'});` +
				` the server said:\n${server.output().slice(-2000)}`,
			{ cause: error }
		);
	}
	return { context, page };
}

/** Collects console errors and failed page errors while `run` goes on. */
async function withoutErrors(page: Page, run: () => Promise<void>): Promise<string[]> {
	const errors: string[] = [];
	const onConsole = (message: { type(): string; text(): string }) => {
		if (message.type() === 'error') errors.push(message.text());
	};
	const onError = (error: Error) => errors.push(error.message);
	page.on('console', onConsole);
	page.on('pageerror', onError);
	try {
		await run();
	} finally {
		page.off('console', onConsole);
		page.off('pageerror', onError);
	}
	return errors;
}

describe('every page of a unit', () => {
	for (const width of [1440, 1024]) {
		for (const [code, query] of [
			['42', PROVINCE_MONTH],
			['443', JUNE_2025]
		]) {
			it(`loads without a console error or a serious accessibility violation, ${code} at ${width} px`, async () => {
				const { context, page } = await signedIn(width);
				try {
					for (const suffix of unitPages()) {
						const errors = await withoutErrors(page, async () => {
							const response = await page.goto(`${server.origin}/u/${code}${suffix}?${query}`);
							expect(response?.status(), suffix).toBe(200);
							await page.waitForLoadState('networkidle');
						});
						expect(errors, `${suffix}: console errors`).toEqual([]);
						const name = `${code}${suffix.replace('/', '-') || '-overview'}-${width}`;
						await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });
						const axe = await new AxeBuilder({ page }).analyze();
						const serious = axe.violations
							.filter((v) => v.impact === 'serious' || v.impact === 'critical')
							.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
						expect(serious, `${suffix}: axe`).toEqual([]);
					}
				} finally {
					await context.close();
				}
				// Seven pages, each screenshotted whole and checked by axe: long on a busy 2-core machine.
			}, 300_000);
		}
	}
});

describe('moving around', () => {
	let context: BrowserContext;
	let page: Page;

	beforeAll(async () => {
		({ context, page } = await signedIn());
	});
	afterAll(() => context?.close());

	it('drills down from the province to a district to a commune, and back up by the breadcrumbs', async () => {
		await page.goto(`${server.origin}/u/42?${JUNE_2025}`, { waitUntil: 'networkidle' });
		await page.getByRole('link', { name: /So sánh \d+ đơn vị trực thuộc/ }).click();
		await page.waitForURL(/\/u\/42\/compare/);
		await page.getByRole('link', { name: 'Huyện Can Lộc', exact: true }).first().click();
		await page.waitForURL(/\/u\/443/);
		expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Huyện Can Lộc');
		await page
			.getByRole('navigation', { name: 'Các trang của đơn vị' })
			.getByRole('link', { name: 'So sánh đơn vị' })
			.click();
		await page.waitForURL(/\/u\/443\/compare/);
		await page.getByRole('link', { name: 'Thị trấn Nghèn', exact: true }).first().click();
		await page.waitForURL(/\/u\/18406/);
		expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Thị trấn Nghèn');
		expect(new URL(page.url()).searchParams.get('from')).toBe('2025-06-01');
		const crumbs = page.getByRole('navigation', { name: 'Vị trí trong cây đơn vị' });
		await crumbs.getByRole('link', { name: 'Huyện Can Lộc' }).click();
		await page.waitForURL(/\/u\/443\?/);
		await page
			.getByRole('navigation', { name: 'Vị trí trong cây đơn vị' })
			.getByRole('link', { name: 'Tỉnh Hà Tĩnh' })
			.click();
		await page.waitForURL(/\/u\/42\?/);
		expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Tỉnh Hà Tĩnh');
	});

	it('reproduces a view from its copied URL, chosen with the period picker', async () => {
		await page.goto(`${server.origin}/u/42`, { waitUntil: 'networkidle' });
		await page.getByLabel('Loại kỳ').selectOption('quarter');
		await page.locator('select[name="quarter"]').selectOption('4');
		await page.locator('input[name="year"]').fill('2024');
		await page
			.getByRole('form', { name: 'Kỳ báo cáo' })
			.getByRole('button', { name: 'Xem' })
			.click();
		await page.waitForURL(/from=2024-10-01&to=2024-12-31/);
		const copied = page.url();
		const shown = await page.locator('[data-kpi]').allInnerTexts();
		const other = await context.newPage();
		await other.goto(copied);
		expect(await other.locator('[data-kpi]').allInnerTexts()).toEqual(shown);
		expect(await other.locator('.sub strong').textContent()).toBe('Quý IV/2024');
		await other.close();
	});

	it('shows on the overview exactly the figures of kpi --json for the same unit and period', async () => {
		const { stdout } = await runCli(
			dbPath,
			...['kpi', '--unit', '42', '--from', '2024-10-01', '--to', '2024-12-31', '--json']
		);
		const report = JSON.parse(stdout) as {
			kpis: Record<string, { numerator: number; denominator: number; value: number | null }>;
		};
		await page.goto(`${server.origin}/u/42?from=2024-10-01&to=2024-12-31`);
		for (const [id, kpi] of Object.entries(report.kpis)) {
			const card = page.locator(`[data-kpi="${id}"]`);
			expect(await card.locator('.big').textContent(), id).toBe(formatPercent(kpi.value));
			expect(await card.locator('.counts').textContent(), id).toBe(
				`${formatNumber(kpi.numerator)}/${formatNumber(kpi.denominator)}`
			);
		}
	});

	it('switches to English and back, and remembers the choice', async () => {
		await page.goto(`${server.origin}/u/42?${PROVINCE_MONTH}`);
		await page.getByRole('button', { name: 'Ngôn ngữ' }).click();
		await page.waitForLoadState('networkidle');
		expect(await page.locator('html').getAttribute('lang')).toBe('en');
		expect(await page.getByRole('heading', { name: 'KPIs' }).count()).toBe(1);
		await page.reload();
		expect(await page.locator('html').getAttribute('lang')).toBe('en');
		await page.getByRole('button', { name: 'Language' }).click();
		await page.waitForLoadState('networkidle');
		expect(await page.locator('html').getAttribute('lang')).toBe('vi');
		expect(await page.getByRole('heading', { name: 'Các chỉ số' }).count()).toBe(1);
	});
});
