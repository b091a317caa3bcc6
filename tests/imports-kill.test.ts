/**
 * Issue 14's kill test: the server is killed (SIGKILL) in the middle of an import's commit; at
 * restart the database answers as before the import, the job shows failed (interrupted) rather
 * than stuck, the upload that was waiting behind it runs, and importing the file again works.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../src/lib/server/auth/tokens';
import { INTERRUPTED } from '../src/lib/server/import/batches';
import { openStore } from '../src/lib/server/store';
import { createTestDemo } from './helpers/demo-db';
import { ensureBuilt, startServer, type RunningServer } from './helpers/server';

/** Big enough that its commit takes seconds on a small machine. */
const ROWS = 1_000_000;
const PERIOD = 'unit=42&from=2026-09-01&to=2026-09-30';

let dir: string;
let dbPath: string;
let file: string;
let small: string;
let token: string;
let server: RunningServer | undefined;

beforeAll(async () => {
	await ensureBuilt();
	dir = mkdtempSync(path.join(os.tmpdir(), 'kpi-imports-kill-'));
	dbPath = await createTestDemo(dir);
	file = path.join(dir, 'lon.csv');
	small = path.join(dir, 'nho.csv');
	const store = await openStore(dbPath);
	try {
		token = await createApiToken(store.db, 'noivu', 'một-cửa');
		// Every 2026 commune, in turn, with a commune procedure: all valid rows.
		const communes = sql`(SELECT list(code ORDER BY code) AS codes FROM unit_versions
			WHERE level = 'commune' AND valid_from = DATE '2025-07-01')`;
		const procedure = sql`(SELECT min(code) FROM procedures WHERE level = 'commune')`;
		for (const [target, rows, prefix] of [
			[file, ROWS, 'K'],
			[small, 3, 'N']
		] as const) {
			await sql`COPY (
				SELECT ${prefix} || '-' || i AS dossier_code, ${procedure} AS procedure_code,
					c.codes[1 + i % len(c.codes)] AS unit_code,
					CASE WHEN i % 3 = 0 THEN 'direct' ELSE 'online' END AS channel,
					strftime(TIMESTAMP '2026-09-01 07:00' + INTERVAL (i % 29) DAY, '%d/%m/%Y %H:%M') AS received_at
				FROM range(${rows}) t(i), ${communes} c
			) TO ${sql.raw(`'${target}'`)} (HEADER, DELIMITER ',')`.execute(store.db);
		}
	} finally {
		await store.close();
	}
}, 300_000);

afterAll(async () => {
	await server?.stop();
	if (dir) rmSync(dir, { recursive: true, force: true });
});

const auth = () => ({ authorization: `Bearer ${token}` });

async function get<T>(pathname: string): Promise<T> {
	const response = await fetch(`${server!.origin}${pathname}`, { headers: auth() });
	expect(response.status, pathname).toBe(200);
	return (await response.json()) as T;
}

async function push(name: string, body: Buffer): Promise<string> {
	const response = await fetch(`${server!.origin}/api/v1/imports?kind=dossiers&filename=${name}`, {
		method: 'POST',
		headers: { ...auth(), 'content-type': 'text/csv' },
		body: new Uint8Array(body)
	});
	expect(response.status).toBe(202);
	return ((await response.json()) as { id: string }).id;
}

interface Job {
	status: string;
	message: string | null;
	inserted: number;
}

async function until(id: string, done: (job: Job) => boolean, ms = 180_000): Promise<Job> {
	for (let waited = 0; waited < ms; waited += 20) {
		const job = await get<Job>(`/api/v1/imports/${id}`);
		if (done(job)) return job;
		await new Promise((resolve) => setTimeout(resolve, 20));
	}
	throw new Error(`import ${id}: timed out`);
}

describe('a server killed in the middle of a commit', () => {
	it('restarts with the database as before, the import failed (interrupted), the waiting one run, and the file importable again', async () => {
		server = await startServer(dbPath);
		const before = await get<unknown>(`/api/v1/kpi?${PERIOD}`);
		const big = await push('lon.csv', readFileSync(file));
		const waiting = await push('nho.csv', readFileSync(small));
		await until(big, (job) => job.status === 'committing');
		// Into the merge itself: its statements run for seconds at this size.
		await new Promise((resolve) => setTimeout(resolve, 300));
		expect((await get<Job>(`/api/v1/imports/${big}`)).status).toBe('committing');
		await server.stop('SIGKILL');

		server = await startServer(dbPath);
		expect(await get<Job>(`/api/v1/imports/${big}`)).toMatchObject({
			status: 'failed',
			message: INTERRUPTED,
			inserted: 0
		});
		const resumed = await until(waiting, (job) => job.status === 'done' || job.status === 'failed');
		expect(resumed).toMatchObject({ status: 'done', inserted: 3 });
		const undone = await fetch(`${server.origin}/api/v1/imports/${waiting}/undo`, {
			method: 'POST',
			headers: auth()
		});
		expect(undone.status).toBe(200);
		expect(await get<unknown>(`/api/v1/kpi?${PERIOD}`)).toEqual(before);
		const folder = `${dbPath}.imports`;
		expect(existsSync(folder) ? readdirSync(folder) : []).toEqual([]);

		const again = await push('lon.csv', readFileSync(file));
		expect(
			await until(again, (job) => job.status === 'done' || job.status === 'failed')
		).toMatchObject({ status: 'done', inserted: ROWS });
	}, 600_000);
});
