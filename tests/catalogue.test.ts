/**
 * The catalogue pages and the account form against the built server (issue 14, item 6): hostile
 * parameters are refused (400) or clamped, never a 500; a Can Lộc head sees no unit of Nghi Xuân;
 * the users page warns that Huyện Can Lộc ended. With SCREENSHOTS=<folder>, it also photographs
 * the pages at 390 and 1440 px for a person to look at.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from './helpers/browser';
import { canLocUser, createTestDemo, NGHI_XUAN_HEAD, signIn } from './helpers/demo-db';
import { ensureBuilt, startServer, type RunningServer } from './helpers/server';

let dir: string;
let server: RunningServer;
let admin: string;
let head: string;

async function get(url: string, cookie: string) {
	const response = await fetch(`${server.origin}${url}`, {
		redirect: 'manual',
		headers: { cookie },
		signal: AbortSignal.timeout(20_000)
	});
	return { status: response.status, body: await response.text() };
}

beforeAll(async () => {
	await ensureBuilt();
	dir = mkdtempSync(path.join(os.tmpdir(), 'kpi-catalogue-'));
	server = await startServer(await createTestDemo(dir));
	admin = await signIn(server.origin, canLocUser('admin'));
	head = await signIn(server.origin, canLocUser('unit_head'));
}, 300_000);

afterAll(async () => {
	await server?.stop();
	if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the catalogue pages', () => {
	it.each([
		['a search of 1,000 characters', '/catalogue/units', `q=${'a'.repeat(1000)}`],
		['page -1', '/catalogue/units', 'page=-1'],
		['an unknown level', '/catalogue/units', 'level=village'],
		['an unknown status', '/catalogue/units', 'status=maybe'],
		['a search of 1,000 characters', '/catalogue/procedures', `q=${'đ'.repeat(1000)}`],
		['page -1', '/catalogue/procedures', 'page=-1'],
		['an unknown level', '/catalogue/procedures', 'level=ward'],
		['an unknown sort', '/catalogue/procedures', 'sort=DROP%20TABLE'],
		['an unknown fee filter', '/catalogue/procedures', 'fee=maybe']
	])('refuses %s on %s with a 400 that says why', async (_, page, query) => {
		const { status, body } = await get(`${page}?${query}`, head);
		expect(status).toBe(400);
		expect(body).toContain('Không trả lời được câu hỏi này');
	});

	it('answers a page number past the end with the last page', async () => {
		const { status, body } = await get('/catalogue/units?page=999999', head);
		expect(status).toBe(200);
		expect(body).toContain('Huyện Can Lộc');
	});

	it('finds "can loc" without accents, and shows a Can Lộc head no unit of Nghi Xuân', async () => {
		const { status, body } = await get('/catalogue/units?q=can+loc', head);
		expect(status).toBe(200);
		expect(body).toContain('Huyện Can Lộc');
		const all = await get('/catalogue/units?q=nghi+xuan', head);
		expect(all.body).not.toContain('Huyện Nghi Xuân');
		const forAdmin = await get('/catalogue/units?q=nghi+xuan', admin);
		expect(forAdmin.body).toContain('Huyện Nghi Xuân');
	});

	it('finds Huyện Can Lộc by its agency code in small letters, and shows it as Mã định danh', async () => {
		const { status, body } = await get('/catalogue/units?q=000.00.27.h28', head);
		expect(status).toBe(200);
		expect(body).toContain('Huyện Can Lộc');
		expect(body).toMatch(/Mã định danh: <code[^>]*>000\.00\.27\.H28<\/code>/);
		expect(body).toContain('1 kết quả');
	});

	it('says which communes a post-2025 commune was formed from', async () => {
		const { body } = await get('/catalogue/units?status=existing&level=commune', admin);
		expect(body).toContain('Hình thành ngày 01/07/2025 từ');
	});

	it('puts Danh mục in the header for everyone signed in', async () => {
		const { body } = await get('/catalogue/procedures', head);
		expect(body).toMatch(/<a href="(\.\.\/)*\/?catalogue\/units"[^>]*>Danh mục<\/a/);
	});
});

describe('the account form', () => {
	it('warns on each account whose unit has ended, naming what it became', async () => {
		const { status, body } = await get('/admin/users', admin);
		expect(status).toBe(200);
		const row = body.slice(body.indexOf(`>${NGHI_XUAN_HEAD}<`));
		expect(row).toMatch(/Đơn vị đã kết thúc ngày 30\/06\/2025; nay là [^<]*Xã/);
	});
});

describe('in a browser', () => {
	it('filters the unit list by name as the manager types, accents ignored, and keeps the pages accessible', async () => {
		const browser = await launchChromium();
		try {
			const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
			const [name, value] = admin.split('=');
			await context.addCookies([{ name, value, url: server.origin }]);
			const page = await context.newPage();
			await page.goto(`${server.origin}/admin/users`);
			const all = await page.locator('#create-unit-list option').count();
			await page.locator('#create-unit-search').fill('can loc');
			await expect
				.poll(() => page.locator('#create-unit-list option').allTextContents())
				.toEqual(['Huyện Can Lộc (443) – đã kết thúc', 'Xã Can Lộc (18406)']);
			expect(all).toBeGreaterThan(100);
			await page.locator('#create-unit-list').selectOption('18406');
			expect(await page.locator('#create-unit-list').inputValue()).toBe('18406');
			for (const url of ['/catalogue/units?q=can+loc', '/catalogue/procedures', '/admin/users']) {
				await page.goto(`${server.origin}${url}`);
				const axe = await new AxeBuilder({ page }).analyze();
				const serious = axe.violations
					.filter((v) => v.impact === 'serious' || v.impact === 'critical')
					.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
				expect(serious, url).toEqual([]);
			}
			await context.close();
		} finally {
			await browser.close();
		}
	}, 120_000);
});

describe('screenshots', () => {
	it.skipIf(!process.env.SCREENSHOTS)(
		'photographs the catalogue and the users page at 390 and 1440 px',
		async () => {
			const out = process.env.SCREENSHOTS!;
			mkdirSync(out, { recursive: true });
			const browser = await launchChromium();
			try {
				for (const width of [390, 1440]) {
					const context = await browser.newContext({ viewport: { width, height: 900 } });
					const [name, value] = admin.split('=');
					await context.addCookies([{ name, value, url: server.origin }]);
					const page = await context.newPage();
					for (const [file, url] of [
						['units', '/catalogue/units?q=can+loc'],
						['procedures', '/catalogue/procedures?sort=dossiers'],
						['users', '/admin/users']
					]) {
						await page.goto(`${server.origin}${url}`);
						await page.screenshot({ path: path.join(out, `${file}-${width}.png`), fullPage: true });
						// The first screen alone, as it opens: a long page's whole shrinks past reading.
						await page.screenshot({ path: path.join(out, `${file}-${width}-first.png`) });
					}
					await context.close();
				}
				// English, for a reform team of Can Lộc (its own account's language is changed).
				const team = await signIn(server.origin, canLocUser('reform_team'));
				const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
				const [name, value] = team.split('=');
				await context.addCookies([{ name, value, url: server.origin }]);
				const page = await context.newPage();
				await page.goto(`${server.origin}/catalogue/units`);
				await page.locator('form[action="/locale"] button').click();
				await page.waitForURL(/catalogue\/units/);
				for (const [file, url] of [
					['units-en', '/catalogue/units?status=ended'],
					['procedures-en', '/catalogue/procedures?fee=yes'],
					['users-en', '/admin/users']
				]) {
					await page.goto(`${server.origin}${url}`);
					await page.screenshot({ path: path.join(out, `${file}-1440.png`) });
				}
				await context.close();
			} finally {
				await browser.close();
			}
		},
		120_000
	);
});
