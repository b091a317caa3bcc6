/**
 * `npm run bench:load [-- --scale S | --db <file> | --keep <file>] [--users N] [--rounds R]`:
 * N signed-in users (default 20, each with its own session) browse at once, each through every
 * page of `bench/served.ts` URLS in its own shuffled order, R times (default 2): bounded, on
 * loopback. Prints p50 / p95 / max per page and over all (goal p95 ≤ 300 ms), the errors (goal
 * none) and the server's peak resident memory (goal ≤ 1.5 GB). `--think <ms>`: each user pauses
 * that long (±50%) between pages, as a person reading them does; 0 (the default) asks for the
 * next page at once, the worst case. `--origin <url>`: a server already running (started with a
 * profiler, say) on a database that has the bench accounts; its memory is then not read.
 */
import { signIn } from '../helpers/demo-db';
import {
	BENCH_USERS,
	benchUser,
	option,
	pageKind,
	serverMemory,
	servedBench,
	spread,
	timedGet,
	URLS
} from './served';

const USERS = Math.min(Number(option('--users') ?? BENCH_USERS), BENCH_USERS);
const ROUNDS = Number(option('--rounds') ?? 2);
const THINK_MS = Number(option('--think') ?? 0);
const ORIGIN = option('--origin');

/** A deterministic shuffle, so two runs ask for the same pages in the same order. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
	const out = [...items];
	let state = seed * 2654435761;
	for (let i = out.length - 1; i > 0; i--) {
		state = (state * 1103515245 + 12345) % 2 ** 31;
		const j = state % (i + 1);
		[out[i], out[j]] = [out[j], out[i]];
	}
	return out;
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function main() {
	const served = ORIGIN ? null : await servedBench();
	const origin = ORIGIN ?? served!.server.origin;
	const memory = () => (served ? serverMemory(served.server) : { rss_mb: 0, peak_rss_mb: 0 });
	try {
		const cookies: string[] = [];
		for (let i = 0; i < USERS; i++) {
			cookies.push(await signIn(origin, benchUser(i), undefined, `10.0.1.${i + 1}`));
		}
		const samples: { url: string; ms: number }[] = [];
		const errors: string[] = [];
		let peakRss = 0;
		const sampler = setInterval(() => {
			peakRss = Math.max(peakRss, memory().rss_mb);
		}, 250);
		const started = performance.now();
		await Promise.all(
			cookies.map(async (cookie, user) => {
				for (let round = 0; round < ROUNDS; round++) {
					for (const url of shuffled(URLS, user * 31 + round + 1)) {
						if (THINK_MS > 0) await pause(THINK_MS * (0.5 + Math.random()));
						try {
							samples.push({ url, ms: await timedGet(`${origin}${url}`, cookie) });
						} catch (error) {
							errors.push(String(error));
						}
					}
				}
			})
		);
		const seconds = (performance.now() - started) / 1000;
		clearInterval(sampler);
		const kinds = [...new Set(samples.map((s) => pageKind(s.url)))];
		const result = {
			users: USERS,
			think_ms: THINK_MS,
			requests: samples.length + errors.length,
			seconds: Math.round(seconds * 10) / 10,
			requests_per_second: Math.round((samples.length / seconds) * 10) / 10,
			page_ms: {
				all: spread(samples.map((s) => s.ms)),
				...Object.fromEntries(
					kinds.map((k) => [
						k,
						spread(samples.filter((s) => pageKind(s.url) === k).map((s) => s.ms))
					])
				)
			},
			errors: errors.length,
			first_errors: errors.slice(0, 5),
			server_memory: { ...memory(), sampled_peak_rss_mb: peakRss }
		};
		console.log(JSON.stringify(result, null, 2));
	} finally {
		await served?.stop();
	}
}

void main();
