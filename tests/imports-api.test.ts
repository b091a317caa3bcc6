/**
 * CONTRACT's import API against the real built server on the demo database (issue 14): uploads
 * queued and run one after another, their progress, history and row errors, a file imported
 * twice, undo back to the exact figures, and the refusals — roles, scope, hostile names, ids and
 * bodies. Figures are checked against counts built into the files, through `GET /api/v1/kpi`.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../src/lib/server/auth/tokens';
import { scopeOf } from '../src/lib/server/auth/scope';
import { openStore } from '../src/lib/server/store';
import { runCli } from './helpers/cli';
import { canLocUser, createTestDemo, signIn } from './helpers/demo-db';
import { ensureBuilt, startServer, type RunningServer } from './helpers/server';

const SEPTEMBER = 'from=2026-09-01&to=2026-09-30';
const HEADER = 'dossier_code,procedure_code,unit_code,channel,received_at';

let dir: string;
let dbPath: string;
let server: RunningServer;
/** The province's reform team, through an API token. */
let token: string;
let canLocTeam: string;
let leader: string;
let unitHead: string;
let admin: string;
/** A commune of 2026 outside Can Lộc's scope, and one inside it (a successor of its communes). */
let outside: string;
let inside: string;
/** A commune procedure whose dossiers are all eligible and full-process (online_level full). */
let procedure: string;

beforeAll(async () => {
	await ensureBuilt();
	dir = mkdtempSync(path.join(os.tmpdir(), 'kpi-imports-api-'));
	dbPath = await createTestDemo(dir);
	const store = await openStore(dbPath);
	try {
		const scope = await scopeOf(store.db, {
			username: 'x',
			role: 'reform_team',
			unitCode: '443'
		});
		const { rows } = await sql<{ id: number; code: string }>`SELECT id, code FROM unit_versions
			WHERE level = 'commune' AND valid_from = DATE '2025-07-01' ORDER BY code`.execute(store.db);
		const visible = (id: number) => !scope.all && scope.versions.has(id);
		inside = rows.find((r) => visible(r.id))!.code;
		outside = rows.find((r) => !visible(r.id))!.code;
		const { rows: full } = await sql<{ code: string }>`SELECT code FROM procedures
			WHERE online_level = 'full' AND level = 'commune' ORDER BY code LIMIT 1`.execute(store.db);
		procedure = full[0].code;
		token = await createApiToken(store.db, 'noivu', 'một-cửa');
	} finally {
		await store.close();
	}
	server = await startServer(dbPath);
	canLocTeam = await signIn(server.origin, canLocUser('reform_team'));
	leader = await signIn(server.origin, canLocUser('leader'));
	unitHead = await signIn(server.origin, canLocUser('unit_head'));
	admin = await signIn(server.origin, canLocUser('admin'));
}, 300_000);

afterAll(async () => {
	await server?.stop();
	if (dir) rmSync(dir, { recursive: true, force: true });
});

const bearer = () => ({ authorization: `Bearer ${token}` });

type Auth = Record<string, string>;
const as = (cookie: string): Auth => ({ cookie });

function upload(auth: Auth, query: string, body: BodyInit | null, type = 'text/csv') {
	return fetch(`${server.origin}/api/v1/imports?${query}`, {
		method: 'POST',
		headers: { ...auth, 'content-type': type },
		body
	});
}

interface Job {
	id: string;
	status: string;
	filename: string;
	size: number;
	sha256: string;
	user: string | null;
	source: string;
	started_at: string | null;
	finished_at: string | null;
	rows_total: number;
	rows_done: number;
	inserted: number;
	updated: number;
	unchanged: number;
	rejected: number;
	message: string | null;
	duplicate_of: { id: string; filename: string } | null;
	errors: { row: number | null; column: string | null; value: string | null; message: string }[];
}

async function job(id: string, auth: Auth = bearer()): Promise<Job> {
	const response = await fetch(`${server.origin}/api/v1/imports/${id}`, { headers: auth });
	expect(response.status).toBe(200);
	return (await response.json()) as Job;
}

/** Waits for the job to end (done or failed). */
async function ended(id: string, auth: Auth = bearer()): Promise<Job> {
	for (let waited = 0; waited < 120_000; waited += 50) {
		const current = await job(id, auth);
		if (current.status === 'done' || current.status === 'failed') return current;
		await new Promise((resolve) => setTimeout(resolve, 50));
	}
	throw new Error(`import ${id} did not end`);
}

async function imported(name: string, csv: string, auth: Auth = bearer(), kind = 'dossiers') {
	const response = await upload(auth, `kind=${kind}&filename=${encodeURIComponent(name)}`, csv);
	expect(response.status).toBe(202);
	const { id } = (await response.json()) as { id: string };
	return ended(id, auth);
}

async function kpi(unit: string) {
	const response = await fetch(`${server.origin}/api/v1/kpi?unit=${unit}&${SEPTEMBER}`, {
		headers: bearer()
	});
	expect(response.status).toBe(200);
	return response.json() as Promise<{
		kpis: Record<string, { numerator: number; denominator: number }>;
	}>;
}

const undo = (id: string, auth: Auth = bearer()) =>
	fetch(`${server.origin}/api/v1/imports/${id}/undo`, { method: 'POST', headers: auth });

/** `n` dossiers of `unit` in September 2026, `online` of them filed online, the rest in person. */
function dossiers(prefix: string, n: number, online: number, unit = outside): string {
	const rows = Array.from({ length: n }, (_, i) => {
		const day = String(1 + (i % 28)).padStart(2, '0');
		return `${prefix}-${i},${procedure},${unit},${i < online ? 'online' : 'direct'},2026-09-${day} 08:00`;
	});
	return `${HEADER}\n${rows.join('\n')}\n`;
}

describe('POST /api/v1/imports', () => {
	it('refuses a leader and a unit head (403) and someone signed out (401), reading nothing', async () => {
		const file = dossiers('NO', 1, 1);
		for (const cookie of [leader, unitHead]) {
			const response = await upload(as(cookie), 'kind=dossiers&filename=a.csv', file);
			expect(response.status).toBe(403);
			expect(await response.json()).toEqual({
				error: 'only a reform team or an administrator may import files'
			});
		}
		expect((await upload({}, 'kind=dossiers&filename=a.csv', file)).status).toBe(401);
		const history = await fetch(`${server.origin}/api/v1/imports?limit=100`, {
			headers: as(admin)
		});
		const { imports } = (await history.json()) as { imports: Job[] };
		expect(imports.filter((j) => j.filename === 'a.csv')).toEqual([]);
	});

	it('imports a file in the background: 202 queued, then done, the figures moved by its counts, and back exactly after undo', async () => {
		const before = { commune: await kpi(outside), province: await kpi('42') };
		const csv = dossiers('T9', 10, 6);
		const response = await upload(bearer(), 'kind=dossiers&filename=thang-09.csv', csv);
		expect(response.status).toBe(202);
		const accepted = (await response.json()) as { id: string; status: string };
		expect(accepted).toEqual({ id: accepted.id, status: 'queued' });
		const done = await ended(accepted.id);
		expect(done).toMatchObject({
			status: 'done',
			filename: 'thang-09.csv',
			size: Buffer.byteLength(csv),
			sha256: createHash('sha256').update(csv).digest('hex'),
			user: 'noivu',
			source: 'api',
			rows_total: 10,
			rows_done: 10,
			inserted: 10,
			updated: 0,
			unchanged: 0,
			errors: []
		});
		const after = { commune: await kpi(outside), province: await kpi('42') };
		for (const unit of ['commune', 'province'] as const) {
			for (const id of ['online_submission_rate', 'full_process_online_rate']) {
				const was = before[unit].kpis[id];
				expect(after[unit].kpis[id], `${unit} ${id}`).toMatchObject({
					numerator: was.numerator + 6,
					denominator: was.denominator + 10
				});
			}
		}

		// The same file again: recognised, and it changes nothing.
		const again = await imported('thang-09-lan-2.csv', csv);
		expect(again).toMatchObject({ status: 'done', inserted: 0, updated: 0, unchanged: 10 });
		expect(again.duplicate_of).toEqual({
			id: accepted.id,
			filename: 'thang-09.csv',
			finished_at: done.finished_at
		});
		expect(again.message).toContain(
			`the same file (SHA-256) was imported as import ${accepted.id} (thang-09.csv, `
		);
		expect(await kpi(outside)).toEqual(after.commune);

		const undone = await undo(accepted.id);
		expect(undone.status).toBe(200);
		expect(await undone.json()).toMatchObject({
			id: accepted.id,
			status: 'undone',
			undone_by: 'noivu',
			undo: { deleted: 10, restored: 0 }
		});
		expect({ commune: await kpi(outside), province: await kpi('42') }).toEqual(before);
	});

	it('fails a bad file with its rows and columns as headed, and changes nothing', async () => {
		const before = await kpi(outside);
		const csv = [
			'Mã hồ sơ;Mã TTHC;Mã đơn vị;Hình thức nộp;Ngày tiếp nhận',
			`B-1;${procedure};${outside};Trực tuyến;05/09/2026 08:00`,
			`B-2;${procedure};${outside};Trực tuyến;31/02/2026`,
			`B-3;${procedure};99999;Trực tiếp;06/09/2026`
		].join('\n');
		const failed = await imported('loi.csv', `\uFEFF${csv}\n`);
		expect(failed.status).toBe('failed');
		expect(failed.rejected).toBe(2);
		expect(failed.errors).toEqual([
			{
				row: 3,
				column: 'Ngày tiếp nhận',
				value: '31/02/2026',
				message: expect.stringMatching(/^not a date; expected /)
			},
			{
				row: 4,
				column: 'Mã đơn vị',
				value: '99999',
				message: 'unknown unit code; import the units first'
			}
		]);
		expect(failed.message).toContain('loi.csv:3: Ngày tiếp nhận: not a date');
		expect(await kpi(outside)).toEqual(before);
	});

	it('runs two imports pushed at once and one from the command line one after the other, each correct', async () => {
		const files = ['A', 'B'].map((p) => dossiers(`Q${p}`, 20_000, 5_000));
		const cliFile = path.join(dir, 'tu-dong.csv');
		writeFileSync(cliFile, dossiers('QC', 20_000, 1_000));
		const cliRun = runCli(dbPath, 'import', 'dossiers', cliFile);
		const [a, b] = await Promise.all(files.map((csv, i) => imported(`song-song-${i}.csv`, csv)));
		const cli = await cliRun;
		expect(cli.code).toBe(0);
		expect(cli.stdout).toContain('imported 20000 dossiers rows: 20000 inserted');
		const history = await fetch(`${server.origin}/api/v1/imports?limit=10`, { headers: bearer() });
		const { imports } = (await history.json()) as { imports: Job[] };
		const fromCli = imports.find((j) => j.filename === 'tu-dong.csv')!;
		expect(fromCli).toMatchObject({ source: 'cli', user: 'cli', status: 'done', inserted: 20_000 });
		const jobs = [a, b, fromCli];
		for (const j of jobs) expect([j.status, j.inserted]).toEqual(['done', 20_000]);
		const spans = jobs
			.map((j) => [Date.parse(j.started_at!), Date.parse(j.finished_at!)])
			.sort((x, y) => x[0] - y[0]);
		for (let i = 1; i < spans.length; i++)
			expect(spans[i][0]).toBeGreaterThanOrEqual(spans[i - 1][1]);
		const commune = await kpi(outside);
		expect(commune.kpis.online_submission_rate.numerator).toBeGreaterThanOrEqual(11_000);
		for (const j of jobs) expect((await undo(j.id, as(admin))).status).toBe(200);
	}, 120_000);
});

describe('undo', () => {
	it('is refused while a later import changed the same rows, naming it; then allowed in order; twice is refused', async () => {
		const first = await imported('thang-09-a.csv', dossiers('U', 3, 1));
		// U-1 was in person; the correction says online.
		const fix = `${HEADER}\nU-1,${procedure},${outside},online,2026-09-02 08:00\n`;
		const second = await imported('sua.csv', fix);
		expect([second.updated, second.inserted]).toEqual([1, 0]);
		const refused = await undo(first.id);
		expect(refused.status).toBe(409);
		const body = (await refused.json()) as {
			error: string;
			blocking_import: { id: string; file_name: string };
		};
		expect(body.error).toMatch(
			new RegExp(
				`^import ${second.id} \\(sua\\.csv, \\d\\d/\\d\\d/2\\d{3} \\d\\d:\\d\\d\\) later changed`
			)
		);
		expect(body.blocking_import).toMatchObject({ id: second.id, file_name: 'sua.csv' });
		expect((await undo(second.id)).status).toBe(200);
		expect((await undo(first.id)).status).toBe(200);
		const twice = await undo(first.id);
		expect(twice.status).toBe(409);
		expect(((await twice.json()) as { error: string }).error).toMatch(
			/^this import was already undone on /
		);
	});

	it('is refused for a failed import (409), and for an id that names nothing or is not an id (404)', async () => {
		const failed = await imported('rong.csv', `${HEADER}\nX-1,${procedure},${outside},online,\n`);
		expect(failed.status).toBe('failed');
		expect((await undo(failed.id)).status).toBe(409);
		for (const id of ['abc', '-1', '0', '99999999999999999999', '2147483648', '1.5', '%20']) {
			expect((await undo(id)).status, id).toBe(404);
			const response = await fetch(`${server.origin}/api/v1/imports/${id}`, { headers: bearer() });
			expect(response.status, id).toBe(404);
		}
	});
});

describe('scope', () => {
	it('shows another team’s import outside the scope to nobody there (404), neither to read nor to undo', async () => {
		const theirs = await imported('tinh.csv', dossiers('S', 2, 1));
		expect(theirs.status).toBe('done');
		const seen = await fetch(`${server.origin}/api/v1/imports/${theirs.id}`, {
			headers: as(canLocTeam)
		});
		expect(seen.status).toBe(404);
		expect(await seen.text()).not.toContain('tinh.csv');
		expect((await undo(theirs.id, as(canLocTeam))).status).toBe(404);
		const list = await fetch(`${server.origin}/api/v1/imports?limit=100`, {
			headers: as(canLocTeam)
		});
		expect(await list.text()).not.toContain('tinh.csv');
		expect((await undo(theirs.id)).status).toBe(200);
	});

	it('lets a district’s team import its own units, and fails its file that reaches another district', async () => {
		const own = await imported('can-loc.csv', dossiers('CL', 2, 2, inside), as(canLocTeam));
		expect(own).toMatchObject({ status: 'done', inserted: 2, user: canLocUser('reform_team') });
		const wider = await imported(
			'ca-tinh.csv',
			`${dossiers('CW', 1, 1, inside)}CW-9,${procedure},${outside},online,2026-09-03 08:00\n`,
			as(canLocTeam)
		);
		expect(wider.status).toBe('failed');
		expect(wider.message).toMatch(
			/^ca-tinh\.csv: this file changes 1 unit outside your scope, for example \d+ /
		);
		expect((await undo(own.id, as(canLocTeam))).status).toBe(200);
	});
});

describe('hostile requests', () => {
	it('answers 400 for an unknown kind, a path for a name, a name too long or missing, and an empty body', async () => {
		const file = dossiers('H', 1, 1);
		for (const [query, error] of [
			['kind=x&filename=a.csv', 'kind must be one of units, procedures, dossiers, targets'],
			['filename=a.csv', 'kind must be one of units, procedures, dossiers, targets'],
			['kind=dossiers&filename=..%2Fa.csv', 'filename must be a file name'],
			['kind=dossiers&filename=%2Fetc%2Fpasswd.csv', 'filename must be a file name'],
			['kind=dossiers&filename=a%5Cb.csv', 'filename must be a file name'],
			['kind=dossiers&filename=.csv', 'filename must be a file name'],
			['kind=dossiers&filename=a%0Ab.csv', 'filename must be a file name'],
			[`kind=dossiers&filename=${'a'.repeat(1000)}.csv`, 'filename must have 1 to 200 characters'],
			['kind=dossiers', 'filename must have 1 to 200 characters'],
			['kind=dossiers&filename=a.exe', 'a.exe: cannot read .exe files']
		]) {
			const response = await upload(bearer(), query, file);
			expect(response.status, query).toBe(400);
			expect(((await response.json()) as { error: string }).error, query).toContain(error);
		}
		const empty = await upload(bearer(), 'kind=dossiers&filename=a.csv', '');
		expect(empty.status).toBe(400);
	});

	it('answers a body over 500 MB with 413, streamed to the end without being held, and keeps none of it', async () => {
		const chunk = new Uint8Array(1024 * 1024).fill(0x41);
		let sent = 0;
		const body = new ReadableStream<Uint8Array>({
			pull(controller) {
				if (sent >= 501) return controller.close();
				sent++;
				controller.enqueue(chunk);
			}
		});
		const response = await fetch(`${server.origin}/api/v1/imports?kind=dossiers&filename=lon.csv`, {
			method: 'POST',
			headers: { ...bearer(), 'content-type': 'text/csv' },
			body,
			duplex: 'half'
		} as RequestInit);
		expect(response.status).toBe(413);
		expect(((await response.json()) as { error: string }).error).toBe(
			'the file is larger than 500 MB; split it by month'
		);
		const folder = `${dbPath}.imports`;
		expect(existsSync(folder) ? readdirSync(folder) : []).toEqual([]);
	}, 120_000);

	it('answers a declared length over 500 MB with 413 before reading any of it', async () => {
		const status = await new Promise<number>((resolve, reject) => {
			const request = http.request(
				`${server.origin}/api/v1/imports?kind=dossiers&filename=lon.csv`,
				{
					method: 'POST',
					headers: {
						...bearer(),
						'content-type': 'text/csv',
						'content-length': String(501 * 1024 * 1024)
					}
				},
				(response) => {
					response.resume();
					resolve(response.statusCode ?? 0);
					request.destroy();
				}
			);
			request.on('error', reject);
			request.write('dossier_code\n');
		});
		expect(status).toBe(413);
	});
});

describe('GET /api/v1/imports', () => {
	it('lists the history newest first, a bounded page at a time, in Vietnam time', async () => {
		const first = await fetch(`${server.origin}/api/v1/imports?limit=2`, { headers: bearer() });
		const page = (await first.json()) as { imports: Job[]; next: string };
		expect(page.imports).toHaveLength(2);
		expect(Number(page.imports[0].id)).toBeGreaterThan(Number(page.imports[1].id));
		expect(page.imports[0].finished_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+07:00$/);
		const second = await fetch(`${server.origin}/api/v1/imports?limit=2&before=${page.next}`, {
			headers: bearer()
		});
		const older = (await second.json()) as { imports: Job[] };
		expect(Number(older.imports[0].id)).toBeLessThan(Number(page.imports[1].id));
		for (const query of ['limit=0', 'limit=101', 'limit=x', 'before=abc', 'before=-1']) {
			const response = await fetch(`${server.origin}/api/v1/imports?${query}`, {
				headers: bearer()
			});
			expect(response.status, query).toBe(400);
		}
	});
});
