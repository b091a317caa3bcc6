/**
 * `npm run bench:dashboard [-- --db <file>] [--runs N]`: the figures issue 6 asks for, on the demo
 * database (built in a temp folder unless `--db` names one) served by the built app:
 *  - server time of the overview load: `GET /u/<code>/__data.json` (the load functions only,
 *    no rendering), province and a district over several periods, p50 / p95 (goal p95 ≤ 100 ms);
 *    and the same for the whole HTML page;
 *  - JavaScript shipped to the overview page, gzipped (goal ≤ 250 KB), as Chromium fetched it;
 *  - time to a rendered overview in headless Chromium: navigation start to the load event and
 *    to the first contentful paint, median of the runs.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { launchChromium } from '../helpers/browser';
import { createTestDemo, signIn } from '../helpers/demo-db';
import { ensureBuilt, startServer } from '../helpers/server';

const args = process.argv.slice(2);
const option = (name: string) => {
	const i = args.indexOf(name);
	return i >= 0 ? args[i + 1] : undefined;
};
const RUNS = Number(option('--runs') ?? 40);

const PERIODS = [
	'from=2026-10-01&to=2026-10-31',
	'from=2026-07-01&to=2026-09-30',
	'from=2026-01-01&to=2026-10-31',
	'from=2025-01-01&to=2025-12-31',
	'from=2024-10-01&to=2024-12-31'
];

const percentile = (values: number[], p: number) => {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};
const round = (n: number) => Math.round(n * 10) / 10;

async function timed(url: string, cookie: string): Promise<number> {
	const start = performance.now();
	const response = await fetch(url, { headers: { cookie, accept: 'text/html' } });
	await response.arrayBuffer();
	if (response.status !== 200) throw new Error(`${url}: ${response.status}`);
	return performance.now() - start;
}

async function main() {
	await ensureBuilt();
	const dir = option('--db') ? null : mkdtempSync(path.join(tmpdir(), 'kpi-bench-dash-'));
	const dbPath = option('--db') ?? (await createTestDemo(dir!, 1));
	const server = await startServer(dbPath);
	try {
		const cookie = await signIn(server.origin, 'noivu', 'demo-noivu-2026');
		// The province over every period; a new commune (from 01/07/2025) over the 2026 ones.
		const urls = [
			...PERIODS.map((p) => `/u/42?${p}`),
			...PERIODS.slice(0, 3).map((p) => `/u/18406?${p}`)
		];
		// Warm the caches of both the server and DuckDB once, as a running dashboard has them.
		for (const url of urls) await timed(`${server.origin}${url}`, cookie);
		const data: number[] = [];
		const html: number[] = [];
		for (let run = 0; run < RUNS; run++) {
			const url = urls[run % urls.length];
			const [pathname, query] = url.split('?');
			data.push(await timed(`${server.origin}${pathname}/__data.json?${query}`, cookie));
			html.push(await timed(`${server.origin}${url}`, cookie));
		}

		const browser = await launchChromium();
		const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
		const [name, value] = cookie.split('=');
		await context.addCookies([{ name, value, url: server.origin }]);
		const page = await context.newPage();
		let jsRaw = 0;
		let jsGzip = 0;
		const scripts = new Set<string>();
		page.on('response', async (response) => {
			if (response.request().resourceType() !== 'script' || scripts.has(response.url())) return;
			scripts.add(response.url());
			const body = await response.body();
			jsRaw += body.length;
			jsGzip += gzipSync(body).length;
		});
		await page.goto(`${server.origin}/u/42?${PERIODS[0]}`, { waitUntil: 'networkidle' });
		const loads: number[] = [];
		const paints: number[] = [];
		for (let run = 0; run < 10; run++) {
			const fresh = await context.newPage();
			await fresh.goto(`${server.origin}/u/42?${PERIODS[run % PERIODS.length]}`, {
				waitUntil: 'load'
			});
			await fresh.locator('[data-kpi]').first().waitFor();
			const timing = await fresh.evaluate(() => {
				const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
				const paint = performance.getEntriesByName('first-contentful-paint')[0];
				return { load: nav.loadEventEnd, paint: paint ? paint.startTime : nav.loadEventEnd };
			});
			loads.push(timing.load);
			paints.push(timing.paint);
			await fresh.close();
		}
		await browser.close();

		const result = {
			overview_data_ms: { p50: round(percentile(data, 50)), p95: round(percentile(data, 95)) },
			overview_html_ms: { p50: round(percentile(html, 50)), p95: round(percentile(html, 95)) },
			overview_js_kb: { raw: round(jsRaw / 1024), gzip: round(jsGzip / 1024), files: scripts.size },
			rendered_ms: {
				load_median: round(percentile(loads, 50)),
				fcp_median: round(percentile(paints, 50))
			}
		};
		console.log(JSON.stringify(result, null, 2));
	} finally {
		await server.stop();
		if (dir) rmSync(dir, { recursive: true, force: true });
	}
}

void main();
