/**
 * DuckDB short of memory (as while an import holds the database to its limit, jobs/queue.ts) is
 * answered 503 with Retry-After and words that say to try again, never a 500: against the real
 * built server, started with a memory limit too small for the dashboard's pages.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDemo, signIn } from './helpers/demo-db';
import { ensureBuilt, startServer, type RunningServer } from './helpers/server';

let dir: string;
let server: RunningServer;
let cookie: string;

beforeAll(async () => {
	await ensureBuilt();
	dir = mkdtempSync(path.join(os.tmpdir(), 'kpi-busy-'));
	const dbPath = await createTestDemo(dir);
	// Enough to sign in, not to draw the overview of the province (measured: 8 MB).
	server = await startServer(dbPath, { DUCKDB_MEMORY_LIMIT: '8MB' });
	for (let attempt = 1; ; attempt++) {
		try {
			cookie = await signIn(server.origin, 'noivu', 'demo-noivu-2026');
			break;
		} catch (error) {
			if (attempt === 5) throw error;
		}
	}
}, 300_000);

afterAll(async () => {
	await server?.stop();
	if (dir) rmSync(dir, { recursive: true, force: true });
});

const get = (url: string, accept = 'text/html') =>
	fetch(`${server.origin}${url}`, { headers: { cookie, accept } });

describe('a server short of memory', () => {
	it('answers a page it cannot draw 503 with Retry-After, saying in Vietnamese to try again', async () => {
		const pages = ['/u/42', '/u/42/compare', '/u/42/trends', '/u/42/procedures', '/u/42/late'];
		const statuses: number[] = [];
		for (const url of pages) {
			const response = await get(url);
			const html = await response.text();
			statuses.push(response.status);
			if (response.status === 503) {
				expect(response.headers.get('retry-after')).toBe('10');
				expect(html).toContain('Máy chủ đang bận');
				expect(html).toContain('thử lại sau ít giây');
			} else expect(response.status, url).toBe(200);
		}
		expect(statuses).toContain(503);
		expect(server.output()).toContain('Out of Memory Error');
	});

	it('answers the API 503 with its JSON error', async () => {
		const response = await get(
			'/api/v1/kpi?unit=42&from=2020-01-01&to=2026-10-31',
			'application/json'
		);
		expect(response.status).toBe(503);
		expect(response.headers.get('retry-after')).toBe('10');
		expect(((await response.json()) as { error: string }).error).toMatch(/short of memory/);
	});
});
