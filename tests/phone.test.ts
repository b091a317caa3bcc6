/**
 * The dashboard on a phone (issue 12): in headless Chromium at 390 × 844 px, against the built app
 * on a small demo database, every page of the province, a district, a department and a commune,
 * with a campaign chosen in the period picker (its long name must not widen the page), and the
 * sign-in, account and administration pages:
 *
 * - no horizontal scroll of the page (`scrollWidth` ≤ 390): wide tables scroll in their own box;
 * - every chart is at the content's width and has drawn its marks, read from the SVG ECharts
 *   renders: bars long enough to read (a chart whose names take the width draws bars of 2 px),
 *   lines across the plot, the map's areas across its width;
 * - no two texts of a chart overlap (axis labels that pile up, a name over its value);
 * - a unit name cut short on a bar chart is whole in the tooltip;
 * - drilling down from a table starts the child's page at the top, its table too.
 *
 * One server, one browser, one signed-in page reused throughout; screenshots go to
 * tests/artifacts/phone-*.png.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../src/cli/build-check';
import { launchChromium } from './helpers/browser';
import { createTestDemo } from './helpers/demo-db';
import { ensureBuilt, startServer, type RunningServer } from './helpers/server';

const WIDTH = 390;
const ARTIFACTS = path.join(PROJECT_ROOT, 'tests', 'artifacts');

/** The pages of a unit: every folder under src/routes/u/[code], so a new page is tested too. */
function unitPages(): string[] {
	const root = path.join(PROJECT_ROOT, 'src', 'routes', 'u', '[code]');
	const pages = [''];
	for (const entry of readdirSync(root, { withFileTypes: true })) {
		if (entry.isDirectory()) pages.push(`/${entry.name}`);
	}
	return pages.sort();
}

/** How a page's charts draw their figures, by page; a page not listed has bar charts. */
type ChartKind = 'horizontal-bars' | 'vertical-bars' | 'lines' | 'areas' | 'radar';
const CHART_KINDS: Record<string, ChartKind> = {
	'/compare': 'horizontal-bars',
	'/procedures': 'horizontal-bars',
	'/data': 'vertical-bars',
	'/trends': 'lines',
	'/map': 'areas',
	'/successors': 'areas',
	'/index': 'radar'
};

let dir: string;
let server: RunningServer;
let browser: Browser;
let context: BrowserContext;
let page: Page;
/** The query of each demo campaign's window, as the period picker writes it. */
const campaignQuery: Record<'2024' | '2026', string> = { '2024': '', '2026': '' };

beforeAll(async () => {
	await ensureBuilt();
	mkdirSync(ARTIFACTS, { recursive: true });
	dir = mkdtempSync(path.join(os.tmpdir(), 'kpi-phone-'));
	server = await startServer(await createTestDemo(dir, 0.05));
	browser = await launchChromium();
	context = await browser.newContext({ viewport: { width: WIDTH, height: 844 } });
	page = await context.newPage();
	// Typed before the page has hydrated, a value can be reset by it: fill the form once it is ready.
	await page.goto(`${server.origin}/login`, { waitUntil: 'networkidle' });
	await page.getByLabel('Tên đăng nhập').fill('noivu');
	await page.getByLabel('Mật khẩu').fill('demo-noivu-2026');
	await page.getByRole('button', { name: 'Đăng nhập' }).click();
	await page.waitForURL((url) => url.pathname.startsWith('/u/'), { timeout: 60_000 });
	for (const year of ['2024', '2026'] as const)
		campaignQuery[year] = (await chooseCampaign(year)).query;
}, 300_000);

afterAll(async () => {
	await browser?.close();
	await server?.stop();
	if (dir) rmSync(dir, { recursive: true, force: true });
});

/** What a page looks like to the test: its width, and what each chart drew. */
interface Measured {
	scrollWidth: number;
	charts: {
		left: number;
		right: number;
		width: number;
		height: number;
		/** Filled shapes (bars, map areas): their boxes. */
		filled: { x: number; y: number; width: number; height: number }[];
		/** Unfilled paths of six points or more (a series' line): their widths. */
		lines: number[];
		/** Pairs of texts whose boxes overlap. */
		overlaps: string[];
	}[];
}

async function measure(): Promise<Measured> {
	return page.evaluate(() => {
		const box = (e: Element) => e.getBoundingClientRect();
		const charts = [...document.querySelectorAll('.chart')].map((chart) => {
			const frame = box(chart);
			const paths = [...chart.querySelectorAll('svg path')];
			const filled = paths
				.filter((p) => {
					const fill = p.getAttribute('fill');
					return fill !== null && fill !== 'none' && fill !== 'transparent';
				})
				.map((p) => {
					const r = box(p);
					return { x: r.x, y: r.y, width: r.width, height: r.height };
				});
			const lines = paths
				.filter(
					(p) =>
						p.getAttribute('fill') === 'none' &&
						(p.getAttribute('d')?.match(/[LC]/g)?.length ?? 0) >= 5
				)
				.map((p) => box(p).width);
			const texts = [...chart.querySelectorAll('svg text')]
				.map((t) => ({ text: t.textContent ?? '', r: box(t) }))
				.filter(({ text, r }) => text.trim() !== '' && r.width > 0 && r.height > 0);
			const overlaps: string[] = [];
			for (let i = 0; i < texts.length; i++) {
				for (let j = i + 1; j < texts.length; j++) {
					const [a, b] = [texts[i].r, texts[j].r];
					const across = Math.min(a.right, b.right) - Math.max(a.left, b.left);
					const down = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
					if (across > 1 && down > 1) overlaps.push(`"${texts[i].text}" / "${texts[j].text}"`);
				}
			}
			return {
				left: frame.left,
				right: frame.right,
				width: frame.width,
				height: frame.height,
				filled,
				lines,
				overlaps
			};
		});
		return { scrollWidth: document.documentElement.scrollWidth, charts };
	});
}

/** Opens `url` and waits until every chart on it has drawn (ECharts loads after the page). */
async function open(url: string): Promise<void> {
	const response = await page.goto(`${server.origin}${url}`);
	expect(response?.status(), url).toBe(200);
	await page.waitForLoadState('networkidle');
	await page.waitForFunction(() =>
		[...document.querySelectorAll('.chart')].every((c) => c.querySelector('svg path'))
	);
}

/**
 * Chooses the demo campaign of `year` in the period picker of the province's overview, as a user
 * does; the page's width with the campaign chosen and once shown, and the query it leads to.
 */
async function chooseCampaign(year: '2024' | '2026') {
	await open('/u/42');
	await page.getByLabel('Loại kỳ').selectOption('campaign');
	const select = page.locator('select[name="campaign"]');
	const option = select.locator('option', { hasText: year });
	await select.selectOption((await option.getAttribute('value'))!);
	const chosen = (await measure()).scrollWidth;
	await page.getByRole('button', { name: 'Xem' }).first().click();
	await page.waitForURL(/campaign=\d+/);
	await page.waitForLoadState('networkidle');
	return { chosen, shown: (await measure()).scrollWidth, query: new URL(page.url()).search };
}

async function screenshot(name: string): Promise<void> {
	await page.screenshot({ path: path.join(ARTIFACTS, `phone-${name}.png`), fullPage: true });
}

/** The page fits the phone, and each chart fills the content's width and drew its figures. */
function expectFits(measured: Measured, where: string, kind: ChartKind): void {
	expect(measured.scrollWidth, `${where}: page width`).toBeLessThanOrEqual(WIDTH);
	for (const [i, chart] of measured.charts.entries()) {
		const which = `${where}: chart ${i + 1}`;
		expect(chart.right, `${which} inside the screen`).toBeLessThanOrEqual(WIDTH);
		expect(chart.width, `${which} at the content's width`).toBeGreaterThanOrEqual(300);
		expect(chart.overlaps, `${which}: overlapping texts`).toEqual([]);
		if (kind === 'horizontal-bars') {
			const longest = Math.max(0, ...chart.filled.map((b) => b.width));
			expect(longest, `${which}: its longest bar`).toBeGreaterThanOrEqual(0.35 * chart.width);
		} else if (kind === 'vertical-bars') {
			const tallest = Math.max(0, ...chart.filled.map((b) => b.height));
			expect(tallest, `${which}: its tallest bar`).toBeGreaterThanOrEqual(0.3 * chart.height);
		} else if (kind === 'lines') {
			const widest = Math.max(0, ...chart.lines);
			expect(widest, `${which}: its widest line`).toBeGreaterThanOrEqual(0.5 * chart.width);
		} else if (kind === 'radar') {
			const widest = Math.max(0, ...chart.filled.map((a) => a.width));
			expect(widest, `${which}: its radar`).toBeGreaterThanOrEqual(0.3 * chart.width);
		} else {
			expect(chart.filled.length, `${which}: its areas`).toBeGreaterThanOrEqual(20);
			const left = Math.min(...chart.filled.map((a) => a.x));
			const right = Math.max(...chart.filled.map((a) => a.x + a.width));
			expect(right - left, `${which}: the areas' width`).toBeGreaterThanOrEqual(0.8 * chart.width);
		}
	}
}

describe('on a 390 px phone', () => {
	it('shows the sign-in page without sideways scroll', async () => {
		const signedOut = await browser.newContext({ viewport: { width: WIDTH, height: 844 } });
		try {
			const login = await signedOut.newPage();
			await login.goto(`${server.origin}/login`, { waitUntil: 'networkidle' });
			expect(await login.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
				WIDTH
			);
			await login.screenshot({ path: path.join(ARTIFACTS, 'phone-login.png'), fullPage: true });
		} finally {
			await signedOut.close();
		}
	});

	it('chooses a campaign in the period picker without widening the page', async () => {
		for (const year of ['2024', '2026'] as const) {
			const { chosen, shown, query } = await chooseCampaign(year);
			expect(new URLSearchParams(query).get('from')?.slice(0, 4)).toBe(year);
			expect.soft(chosen, `campaign ${year} chosen`).toBeLessThanOrEqual(WIDTH);
			expect.soft(shown, `campaign ${year} shown`).toBeLessThanOrEqual(WIDTH);
		}
	});

	for (const [code, level, year] of [
		['42', 'the province', '2026'],
		['443', 'a district', '2024'],
		['42-SNV', 'a department', '2026'],
		['18406', 'a commune', '2026']
	] as const) {
		it(`shows every page of ${level} (${code}) in a campaign: no sideways scroll, every chart drawn`, async () => {
			for (const suffix of unitPages()) {
				const url = `/u/${code}${suffix}${campaignQuery[year]}`;
				await open(url);
				expectFits(await measure(), url, CHART_KINDS[suffix] ?? 'horizontal-bars');
				await screenshot(`${code}${suffix.replace('/', '-') || '-overview'}`);
			}
		}, 120_000);
	}

	// Colour contrast is that of the wide pages (the same palette), checked by dashboard.test.ts;
	// here the rest, for what a phone's layout changes: scrolled bars and tables, stacked forms.
	it('has no serious accessibility violation on the province pages (axe)', async () => {
		for (const suffix of unitPages()) {
			await open(`/u/42${suffix}${campaignQuery['2026']}`);
			const axe = await new AxeBuilder({ page }).disableRules(['color-contrast']).analyze();
			const serious = axe.violations
				.filter((v) => v.impact === 'serious' || v.impact === 'critical')
				.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
			expect(serious, `${suffix || '/'}: axe`).toEqual([]);
		}
	}, 120_000);

	it('shows the account, catalogue and administration pages without sideways scroll', async () => {
		for (const url of [
			'/account',
			'/catalogue/units',
			'/catalogue/procedures',
			'/admin/users',
			'/admin/tokens',
			'/admin/audit'
		]) {
			await open(url);
			expect((await measure()).scrollWidth, url).toBeLessThanOrEqual(WIDTH);
			await screenshot(url.slice(1).replace('/', '-'));
		}
	});

	it('writes a long procedure name cut short on its bar, and whole in the tooltip', async () => {
		await open(`/u/42/procedures${campaignQuery['2026']}`);
		const whole = (await page
			.locator('#where-title ~ .table-scroll tbody .name')
			.first()
			.textContent())!;
		const chart = page.locator('.chart').first();
		const shown = await chart.locator('svg text').allTextContents();
		expect(shown).not.toContain(whole);
		// ECharts ends a name it cut short with '...'.
		const cut = shown.find((text) => /(\.\.\.|…)$/.test(text));
		expect(cut, `a name cut short among ${JSON.stringify(shown)}`).toBeDefined();
		expect(whole.startsWith(cut!.replace(/(\.\.\.|…)$/, ''))).toBe(true);
		// The first bar: the longest filled shape at the top of the chart, on screen to hover it.
		await chart.scrollIntoViewIfNeeded();
		const bar = await chart.evaluate((c) => {
			const bars = [...c.querySelectorAll('svg path')]
				.filter((p) => (p.getAttribute('fill') ?? 'none') !== 'none')
				.map((p) => p.getBoundingClientRect())
				.sort((a, b) => a.top - b.top);
			return { x: bars[0].left + bars[0].width / 2, y: bars[0].top + bars[0].height / 2 };
		});
		await page.mouse.move(bar.x, bar.y);
		await expect.poll(() => chart.innerText(), { timeout: 5_000 }).toContain(whole);
		expect((await measure()).scrollWidth, 'with the tooltip shown').toBeLessThanOrEqual(WIDTH);
	});

	it('starts the page of a unit drilled down to at the top, its table too', async () => {
		await open(`/u/42/compare${campaignQuery['2024']}`);
		const table = page
			.locator('.table-scroll')
			.filter({ has: page.locator('table.data') })
			.first();
		await table.evaluate((box) => {
			box.scrollTop = 400;
			box.scrollLeft = 200;
		});
		const link = table.getByRole('link', { name: 'Huyện Can Lộc', exact: true });
		await link.scrollIntoViewIfNeeded();
		const before = await table.evaluate((box) => ({
			window: window.scrollY,
			left: box.scrollLeft
		}));
		expect(before.window).toBeGreaterThan(0);
		expect(before.left).toBeGreaterThan(0);
		await link.click();
		await page.waitForURL(/\/u\/443\/compare/);
		await page.waitForLoadState('networkidle');
		expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Huyện Can Lộc');
		const offsets = await table.evaluate((box) => ({
			window: window.scrollY,
			top: box.scrollTop,
			left: box.scrollLeft
		}));
		expect(offsets).toEqual({ window: 0, top: 0, left: 0 });
	});
});
