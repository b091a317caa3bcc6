/**
 * `npm run bench:report [-- --scale S | --db <file> | --keep <file>] [--runs N]`: the figures of
 * issue 13 on the demo database (scale 1, about 1.5 million dossiers) served by the built app —
 * the province's monthly report (October 2026) through `GET /api/v1/report`:
 *  - each format's first request after the server starts (the PDF's includes starting Chromium)
 *    and warm (p50 / max of N), goal under 3 s warm each and the PDF's first under 8 s;
 *  - beside them, as the plain baseline of the same run, the province's overview page for the
 *    month (the dashboard's own request on the same figures);
 *  - ten PDFs asked at once: how many printed, how many were told to wait (503), the slowest;
 *  - the server's resident memory with the browser running: the Node process and Chromium's.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { signIn } from '../helpers/demo-db';
import { benchUser, option, serverMemory, servedBench, spread, timedGet } from './served';

const RUNS = Number(option('--runs') ?? 5);
const UNIT = '42';
const MONTH = '2026-10';
const FORMATS = ['xlsx', 'csv', 'pdf'] as const;

async function timedReport(origin: string, cookie: string, format: string) {
	const start = performance.now();
	const response = await fetch(
		`${origin}/api/v1/report?unit=${UNIT}&month=${MONTH}&format=${format}`,
		{ headers: { cookie } }
	);
	const body = await response.arrayBuffer();
	return { ms: performance.now() - start, status: response.status, bytes: body.byteLength };
}

/** The resident memory of every process below `pid` (Chromium's), in MB (Linux /proc). */
function descendantsRssMb(pid: number): number {
	const parent = new Map<number, number>();
	const rss = new Map<number, number>();
	for (const entry of readdirSync('/proc')) {
		if (!/^\d+$/.test(entry)) continue;
		try {
			const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
			const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
			parent.set(Number(entry), Number(fields[1]));
			const status = readFileSync(`/proc/${entry}/status`, 'utf8');
			rss.set(Number(entry), Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0));
		} catch {
			// The process ended while being read.
		}
	}
	const below = (p: number): boolean => {
		for (let q = parent.get(p); q !== undefined && q > 1; q = parent.get(q)) {
			if (q === pid) return true;
		}
		return false;
	};
	let kb = 0;
	for (const [p, value] of rss) if (below(p)) kb += value;
	return Math.round(kb / 1024);
}

async function main() {
	const { server, stop } = await servedBench();
	try {
		const cookie = await signIn(server.origin, benchUser(0));
		const overview = `${server.origin}/u/${UNIT}?from=${MONTH}-01&to=${MONTH}-31`;
		const baselineFirst = await timedGet(overview, cookie);
		const first: Record<string, { ms: number; bytes: number }> = {};
		for (const format of FORMATS) {
			const { ms, status, bytes } = await timedReport(server.origin, cookie, format);
			if (status !== 200) throw new Error(`${format}: ${status}`);
			first[format] = { ms: Math.round(ms), bytes };
		}
		const warm: Record<string, number[]> = { overview: [] };
		for (let run = 0; run < RUNS; run++) {
			warm.overview.push(await timedGet(overview, cookie));
			for (const format of FORMATS) {
				const { ms, status } = await timedReport(server.origin, cookie, format);
				if (status !== 200) throw new Error(`${format}: ${status}`);
				(warm[format] ??= []).push(ms);
			}
		}
		const burst = await Promise.all(
			Array.from({ length: 10 }, () => timedReport(server.origin, cookie, 'pdf'))
		);
		const memory = serverMemory(server);
		const chromium = descendantsRssMb(server.child.pid!);
		const figures = {
			database: option('--db') ?? option('--keep') ?? `demo, scale ${option('--scale') ?? 1}`,
			report: { unit: UNIT, month: MONTH },
			first_ms: {
				overview_page: Math.round(baselineFirst),
				...Object.fromEntries(FORMATS.map((f) => [f, first[f].ms]))
			},
			warm_ms: Object.fromEntries(Object.entries(warm).map(([k, v]) => [k, spread(v)])),
			warm_p50_vs_overview: Object.fromEntries(
				FORMATS.map((f) => [
					f,
					Math.round((spread(warm[f]).p50 / spread(warm.overview).p50) * 10) / 10
				])
			),
			bytes: Object.fromEntries(FORMATS.map((f) => [f, first[f].bytes])),
			ten_pdfs_at_once: {
				printed: burst.filter((r) => r.status === 200).length,
				busy_503: burst.filter((r) => r.status === 503).length,
				slowest_ms: Math.round(Math.max(...burst.map((r) => r.ms)))
			},
			memory_mb: { server: memory.rss_mb, server_peak: memory.peak_rss_mb, chromium }
		};
		console.log(JSON.stringify(figures, null, 2));
	} finally {
		await stop();
	}
}

await main();
