/**
 * The README's first command on a fresh machine: `npm start` builds the demo database, prints the
 * demo logins, and serves the dashboard. Then, in headless Chromium (issue 5), the head of Huyện
 * Can Lộc signs in with the printed password, sees his district, and gets 404 for the
 * neighbouring Huyện Nghi Xuân by editing the URL.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../src/cli/build-check';
import { launchChromium } from './helpers/browser';
import { ensureBuilt, exited, freePort } from './helpers/server';

let dir: string;
let start: ChildProcess;
let output = '';
let origin: string;
let browser: Browser;

beforeAll(async () => {
	await ensureBuilt();
	dir = mkdtempSync(path.join(os.tmpdir(), 'kpi-start-'));
	const port = await freePort();
	origin = `http://localhost:${port}`;
	start = spawn(
		path.join(PROJECT_ROOT, 'node_modules', '.bin', 'tsx'),
		[path.join(PROJECT_ROOT, 'src', 'cli', 'start.ts')],
		{
			cwd: PROJECT_ROOT,
			env: {
				...process.env,
				DATABASE_PATH: path.join(dir, 'kpi.duckdb'),
				PORT: String(port),
				HOST: '127.0.0.1',
				ORIGIN: origin
			},
			stdio: ['ignore', 'pipe', 'pipe']
		}
	);
	start.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
	start.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
	for (let waited = 0; !output.includes('Demo accounts'); waited += 200) {
		if (start.exitCode !== null) throw new Error(`npm start stopped:\n${output}`);
		if (waited > 240_000) throw new Error(`npm start did not get ready:\n${output}`);
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
	await new Promise((resolve) => setTimeout(resolve, 200));
	browser = await launchChromium();
}, 300_000);

afterAll(async () => {
	await browser?.close();
	if (start && start.exitCode === null) {
		start.kill('SIGTERM');
		await exited(start);
	}
	if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The password `npm start` printed for `username`. */
function printedPassword(username: string): string {
	const line = output.split('\n').find((l) => l.trim().startsWith(`${username} `));
	if (!line) throw new Error(`no login printed for ${username}:\n${output}`);
	return line.trim().split(/\s+/)[1];
}

describe('the first start', () => {
	it('creates the demo database and prints one login per role', () => {
		expect(output).toContain('The demo database is ready.');
		expect(output).toContain(`Open ${origin} in a browser.`);
		for (const username of ['admin', 'noivu', 'lanhdao', 'canloc']) {
			expect(printedPassword(username).length).toBeGreaterThanOrEqual(12);
		}
	});

	it('lets the head of Huyện Can Lộc sign in in Chromium, see the communes his district became, and not the next district', async () => {
		const page = await browser.newPage();
		const errors: string[] = [];
		page.on('console', (message) => {
			if (message.type() === 'error') errors.push(message.text());
		});
		await page.goto(`${origin}/`, { waitUntil: 'networkidle' });
		expect(new URL(page.url()).pathname).toBe('/login');
		await page.getByLabel('Tên đăng nhập').fill('canloc');
		await page.getByLabel('Mật khẩu').fill(printedPassword('canloc'));
		await page.getByRole('button', { name: 'Đăng nhập' }).click();
		// His district ended on 30/06/2025: he lands on the communes it became (issue 12).
		await page.waitForURL(/\/u\/443\/successors$/);
		expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(
			'Các đơn vị hình thành từ Huyện Can Lộc'
		);
		expect(await page.textContent('body')).toContain('Xã Can Lộc');

		const response = await page.goto(`${origin}/u/442`);
		expect(response?.status()).toBe(404);
		expect(await page.textContent('body')).not.toContain('Nghi Xuân');
		expect(errors.filter((e) => !e.includes('404'))).toEqual([]);
		await page.close();
	});
});
