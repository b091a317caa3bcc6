/**
 * `npm run bench:upload [-- --scale S | --db <file> | --keep <file>] [--rows N] [--samples N]`:
 * the reliability figures of issue 14 on the demo database (scale 1, about 1.5 million dossiers)
 * served by the built app — an N-row dossier file (default 1 million) uploaded through
 * `POST /api/v1/imports` as a one-stop system would push it:
 *  - the server's resident memory during the upload and import (sampled) and its peak (VmHWM),
 *    goal under 600 MB;
 *  - the province's overview page while the import runs, p50 / p95 / max, next to the same
 *    pages at rest before it (the dashboard answers meanwhile);
 *  - the upload, validation and commit times and the rows per second, and the undo's time.
 */
import { createReadStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { sql } from 'kysely';
import { openStore } from '../../src/lib/server/store';
import { signIn } from '../helpers/demo-db';
import { ensureBuilt, startServer, type RunningServer } from '../helpers/server';
import { benchDatabase, benchUser, option, serverMemory, spread, timedGet, UNITS } from './served';

const ROWS = Number(option('--rows') ?? 1_000_000);
const SAMPLES = Number(option('--samples') ?? 200);

/** The overview page of each benchmarked unit and period (bench/served.ts): 8 URLs. */
const OVERVIEWS = UNITS.flatMap((unit) => unit.periods.map((p) => `/u/${unit.code}?${p}`));

const seconds = (ms: number) => Math.round(ms / 100) / 10;

/** A dossier file of `rows` new dossiers over the 2026 communes, written by DuckDB. */
async function writeUpload(dbFile: string, file: string, rows: number): Promise<void> {
	const store = await openStore(dbFile);
	try {
		await sql`COPY (
			SELECT 'UP-' || lpad(i::VARCHAR, 9, '0') AS dossier_code, p.codes[1 + i % len(p.codes)] AS procedure_code,
				c.codes[1 + (i * 7) % len(c.codes)] AS unit_code,
				['online', 'direct', 'postal'][1 + (i * 13) % 3] AS channel,
				strftime(TIMESTAMP '2026-01-01 07:00' + INTERVAL (i % 300) DAY + INTERVAL (i % 600) MINUTE, '%d/%m/%Y %H:%M') AS received_at,
				strftime(DATE '2026-01-10' + INTERVAL (i % 300) DAY, '%d/%m/%Y') AS due_at,
				CASE WHEN i % 10 < 8 THEN strftime(TIMESTAMP '2026-01-05 10:00' + INTERVAL (i % 300) DAY, '%d/%m/%Y %H:%M') END AS completed_at,
				CASE WHEN i % 3 = 0 THEN 'x' ELSE '' END AS paid_online,
				CASE WHEN i % 5 < 4 THEN '1' ELSE '0' END AS dossier_digitized,
				CASE WHEN i % 4 = 0 THEN 'Hài lòng' END AS rating
			FROM range(${rows}) t(i),
				(SELECT list(code ORDER BY code) AS codes FROM unit_versions
					WHERE level = 'commune' AND valid_from = DATE '2025-07-01') c,
				(SELECT list(code ORDER BY code) AS codes FROM procedures WHERE level = 'commune') p
		) TO ${sql.raw(`'${file}'`)} (HEADER, DELIMITER ',')`.execute(store.db);
	} finally {
		await store.close();
	}
}

interface Job {
	status: string;
	started_at: string | null;
	commit_started_at: string | null;
	finished_at: string | null;
	rows_total: number;
	inserted: number;
	message: string | null;
}

async function main() {
	await ensureBuilt();
	const db = await benchDatabase();
	const dir = mkdtempSync(path.join(tmpdir(), 'kpi-bench-upload-'));
	let server: RunningServer | undefined;
	try {
		const file = path.join(dir, 'thang.csv');
		await writeUpload(db.file, file, ROWS);
		server = await startServer(db.file);
		const { origin } = server;
		const cookie = await signIn(origin, benchUser(0));
		const headers = { cookie };

		for (const url of OVERVIEWS) await timedGet(`${origin}${url}`, cookie);
		const rest: number[] = [];
		for (let i = 0; i < SAMPLES; i++) {
			rest.push(await timedGet(`${origin}${OVERVIEWS[i % OVERVIEWS.length]}`, cookie));
		}
		const memoryAtRest = serverMemory(server);

		// Sampled every 50 ms, by the job's status as last seen (`uploading` until the 202).
		const rssBy: Record<string, number> = {};
		let phase = 'uploading';
		const sampler = setInterval(() => {
			rssBy[phase] = Math.max(rssBy[phase] ?? 0, serverMemory(server!).rss_mb);
		}, 50);
		const uploadStart = performance.now();
		const response = await fetch(`${origin}/api/v1/imports?kind=dossiers&filename=thang.csv`, {
			method: 'POST',
			headers: { ...headers, 'content-type': 'text/csv' },
			body: Readable.toWeb(createReadStream(file)) as ReadableStream<Uint8Array>,
			duplex: 'half'
		} as RequestInit);
		if (response.status !== 202)
			throw new Error(`upload: ${response.status} ${await response.text()}`);
		const { id } = (await response.json()) as { id: string };
		const uploaded = performance.now();
		phase = 'queued';

		// The dashboard while the job runs: overview pages one after another, the job watched.
		const during: number[] = [];
		let job = { status: 'queued' } as Job;
		let lastPoll = 0;
		for (let i = 0; job.status !== 'done' && job.status !== 'failed'; i++) {
			if (performance.now() - lastPoll > 100) {
				lastPoll = performance.now();
				job = (await (await fetch(`${origin}/api/v1/imports/${id}`, { headers })).json()) as Job;
				phase = job.status;
			}
			during.push(await timedGet(`${origin}${OVERVIEWS[i % OVERVIEWS.length]}`, cookie));
		}
		if (job.status !== 'done') throw new Error(`import failed: ${job.message}`);
		const memoryAfter = serverMemory(server);
		// The job's own times, from the server (milliseconds).
		const validating = Date.parse(job.started_at!);
		const committing = Date.parse(job.commit_started_at!);
		const done = Date.parse(job.finished_at!);

		phase = 'undoing';
		const undoStart = performance.now();
		const undone = await fetch(`${origin}/api/v1/imports/${id}/undo`, {
			method: 'POST',
			headers: { ...headers, origin }
		});
		if (undone.status !== 200) throw new Error(`undo: ${undone.status} ${await undone.text()}`);
		const undoMs = performance.now() - undoStart;
		clearInterval(sampler);

		const result = {
			rows: ROWS,
			file_mb: Math.round(statSync(file).size / 1e5) / 10,
			upload_s: seconds(uploaded - uploadStart),
			validate_s: seconds(committing - validating),
			commit_s: seconds(done - committing),
			rows_per_s: Math.round(job.rows_total / ((done - validating) / 1000)),
			undo_s: seconds(undoMs),
			overview_ms_at_rest: spread(rest),
			overview_ms_during_import: { ...spread(during), samples: during.length },
			server_rss_mb: {
				at_rest: memoryAtRest.rss_mb,
				max_sampled: rssBy,
				peak: serverMemory(server).peak_rss_mb,
				peak_before_undo: memoryAfter.peak_rss_mb
			}
		};
		console.log(JSON.stringify(result, null, 2));
		const said = server
			.output()
			.split('\n')
			.filter((line) => line && !line.startsWith('Listening'));
		if (said.length > 0) console.log(`the server said:\n${said.slice(-20).join('\n')}`);
	} finally {
		await server?.stop();
		rmSync(dir, { recursive: true, force: true });
		db.cleanup();
	}
}

void main();
