/**
 * `npm run bench:dashboard [-- --scale S | --db <file> | --keep <file>] [--runs N]`: the page
 * figures of issue 12, on the demo database (scale 1, about 1.5 million dossiers, built in a temp
 * folder; `--scale 6.7` ≈ 10 million; `--keep` keeps the built file for the next run) served by
 * the built app:
 *  - server time of every page of the province, a department, a new commune and an ended district
 *    (`bench/served.ts` URLS), as a browser asks for it (HTML, brotli): p50 / p95 / max per page
 *    and over all (goal p95 ≤ 100 ms on the demo, ≤ 150 ms at 10 million);
 *  - DOMContentLoaded of each of those pages in headless Chromium, from navigation start (goal
 *    ≤ 500 ms), and the JavaScript shipped to the overview, gzipped;
 *  - the server's resident memory at the end and at its peak.
 */
import { gzipSync } from 'node:zlib';
import { launchChromium } from '../helpers/browser';
import { signIn } from '../helpers/demo-db';
import {
	benchUser,
	option,
	pageKind,
	serverMemory,
	servedBench,
	spread,
	timedGet,
	URLS
} from './served';

const RUNS = Number(option('--runs') ?? 5);

function byPage(samples: { url: string; ms: number }[]) {
	const kinds = [...new Set(samples.map((s) => pageKind(s.url)))];
	return Object.fromEntries(
		kinds.map((kind) => [
			kind,
			spread(samples.filter((s) => pageKind(s.url) === kind).map((s) => s.ms))
		])
	);
}

async function main() {
	const { server, stop } = await servedBench();
	try {
		const cookie = await signIn(server.origin, benchUser(0));
		// A first visit of each URL after start: DuckDB's and the server's caches are cold.
		const first: { url: string; ms: number }[] = [];
		for (const url of URLS)
			first.push({ url, ms: await timedGet(`${server.origin}${url}`, cookie) });
		const warm: { url: string; ms: number }[] = [];
		for (let run = 0; run < RUNS; run++) {
			for (const url of URLS)
				warm.push({ url, ms: await timedGet(`${server.origin}${url}`, cookie) });
		}

		const browser = await launchChromium();
		const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
		const [name, value] = cookie.split('=');
		await context.addCookies([{ name, value, url: server.origin }]);
		let jsRaw = 0;
		let jsGzip = 0;
		const scripts = new Set<string>();
		const probe = await context.newPage();
		probe.on('response', async (response) => {
			if (response.request().resourceType() !== 'script' || scripts.has(response.url())) return;
			scripts.add(response.url());
			const body = await response.body();
			jsRaw += body.length;
			jsGzip += gzipSync(body).length;
		});
		await probe.goto(`${server.origin}${URLS[0]}`, { waitUntil: 'networkidle' });
		await probe.close();
		const loaded: { url: string; ms: number }[] = [];
		for (const url of URLS) {
			const page = await context.newPage();
			await page.goto(`${server.origin}${url}`, { waitUntil: 'load' });
			const ms = await page.evaluate(() => {
				const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
				return nav.domContentLoadedEventEnd;
			});
			loaded.push({ url, ms });
			await page.close();
		}
		await browser.close();

		const worst = [...warm].sort((a, b) => b.ms - a.ms)[0];
		const result = {
			urls: URLS.length,
			runs: RUNS,
			server_first_visit_ms: spread(first.map((s) => s.ms)),
			server_ms: { all: spread(warm.map((s) => s.ms)), ...byPage(warm) },
			slowest: { url: worst.url, ms: Math.round(worst.ms) },
			dom_content_loaded_ms: { all: spread(loaded.map((s) => s.ms)), ...byPage(loaded) },
			overview_js_kb: {
				raw: Math.round(jsRaw / 1024),
				gzip: Math.round(jsGzip / 1024),
				files: scripts.size
			},
			server_memory: serverMemory(server)
		};
		console.log(JSON.stringify(result, null, 2));
	} finally {
		await stop();
	}
}

void main();
