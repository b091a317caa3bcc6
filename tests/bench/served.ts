/**
 * What the dashboard benchmarks share: a demo database with accounts (built at a scale, kept in a
 * file, or given), the built server on it, the pages a user of each level opens, and the
 * arithmetic of the figures (percentiles, the server's memory read from /proc).
 */
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { addUser } from '../../src/lib/server/auth/users';
import { openStore } from '../../src/lib/server/store';
import { createTestDemo, TEST_PASSWORD } from '../helpers/demo-db';
import { ensureBuilt, startServer, type RunningServer } from '../helpers/server';

export const args = process.argv.slice(2);
export const option = (name: string) => {
	const i = args.indexOf(name);
	return i >= 0 ? args[i + 1] : undefined;
};

/** The dashboard's pages of a unit, as the tabs name them. */
export const PAGES = [
	'',
	'/compare',
	'/procedures',
	'/trends',
	'/map',
	'/late',
	'/data',
	'/index'
] as const;

/**
 * The units whose pages are timed: the province (87 children), a department, a new commune, and
 * an ended district over its last months (the 2025 reform).
 */
export const UNITS = [
	{ code: '42', periods: ['from=2026-10-01&to=2026-10-31', 'from=2026-01-01&to=2026-10-31'] },
	{ code: '42-SNV', periods: ['from=2026-10-01&to=2026-10-31', 'from=2026-07-01&to=2026-09-30'] },
	{ code: '18406', periods: ['from=2026-10-01&to=2026-10-31', 'from=2026-01-01&to=2026-10-31'] },
	{ code: '443', periods: ['from=2025-06-01&to=2025-06-30', 'from=2025-01-01&to=2025-06-30'] }
] as const;

/** Every page of every unit and period above: 64 URLs. */
export const URLS = UNITS.flatMap((unit) =>
	unit.periods.flatMap((period) => PAGES.map((page) => `/u/${unit.code}${page}?${period}`))
);

/** The kind of page of a URL, for per-page figures (`overview`, `compare`, …). */
export const pageKind = (url: string) =>
	/^\/u\/[^/?]+(\/[a-z]+)?/.exec(url)?.[1]?.slice(1) ?? 'overview';

export const BENCH_USERS = 20;
export const benchUser = (i: number) => `bench.reform.${i}`;

export const percentile = (values: number[], p: number) => {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
};
export const round = (n: number) => Math.round(n * 10) / 10;
export const spread = (values: number[]) => ({
	p50: round(percentile(values, 50)),
	p95: round(percentile(values, 95)),
	max: round(Math.max(...values))
});

/** The server process's resident memory now and at its peak, in MB (Linux). */
export function serverMemory(server: RunningServer): { rss_mb: number; peak_rss_mb: number } {
	const status = readFileSync(`/proc/${server.child.pid}/status`, 'utf8');
	const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
	return { rss_mb: Math.round(kb('VmRSS') / 1024), peak_rss_mb: Math.round(kb('VmHWM') / 1024) };
}

/**
 * The database to serve: `--db <file>` as it is; else the demo at `--scale` (1 ≈ 1.5 million
 * dossiers; 6.7 ≈ 10 million), kept in `--keep <file>` for the next run when asked. Either way
 * the bench's reform-team accounts are added when missing.
 */
export async function benchDatabase(): Promise<{ file: string; cleanup(): void }> {
	const given = option('--db') ?? option('--keep');
	if (given && existsSync(given)) {
		await addBenchUsers(given);
		return { file: given, cleanup() {} };
	}
	const dir = mkdtempSync(path.join(tmpdir(), 'kpi-bench-dash-'));
	const built = await createTestDemo(dir, Number(option('--scale') ?? 1));
	let file = built;
	if (given) {
		rmSync(given, { force: true });
		renameSync(built, given);
		file = given;
	}
	await addBenchUsers(file);
	return { file, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

async function addBenchUsers(file: string) {
	const store = await openStore(file);
	try {
		const existing = new Set(
			(await store.db.selectFrom('users').select('username').execute()).map((u) => u.username)
		);
		for (let i = 0; i < BENCH_USERS; i++) {
			if (existing.has(benchUser(i))) continue;
			await addUser(store.db, {
				username: benchUser(i),
				role: 'reform_team',
				unitCode: '42',
				password: TEST_PASSWORD
			});
		}
	} finally {
		await store.close();
	}
}

export async function servedBench(): Promise<{ server: RunningServer; stop(): Promise<void> }> {
	await ensureBuilt();
	const db = await benchDatabase();
	const server = await startServer(db.file);
	return {
		server,
		async stop() {
			await server.stop();
			db.cleanup();
		}
	};
}

/** One GET as a browser sends it (HTML, brotli accepted); its time in ms, refusing any non-200. */
export async function timedGet(url: string, cookie: string): Promise<number> {
	const start = performance.now();
	const response = await fetch(url, {
		headers: { cookie, accept: 'text/html', 'accept-encoding': 'br, gzip' }
	});
	await response.arrayBuffer();
	if (response.status !== 200) throw new Error(`${url}: ${response.status}`);
	return performance.now() - start;
}
