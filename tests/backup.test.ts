/**
 * Backups an operator can trust (issue 14, item 7), with the real processes: the built server on
 * the test demo database, `npm run cli -- backup` through its control socket while a large import
 * commits, and `restore` of each snapshot into a fresh folder, whose `kpi --json` is compared with
 * the original's before and after that import.
 */
import { migrations } from '../src/lib/server/db/migrations';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../src/cli/build-check';
import { openStore } from '../src/lib/server/store';
import { createTestDemo } from './helpers/demo-db';
import { ensureBuilt, startServer, type RunningServer } from './helpers/server';

/** This build's schema version, which a backup of it carries. */
const LATEST = Math.max(...migrations.map((m) => m.version));
const TSX = path.join(PROJECT_ROOT, 'node_modules', '.bin', 'tsx');
const CLI = path.join(PROJECT_ROOT, 'src', 'cli', 'main.ts');

/** Dossiers in the large import: long enough that several backups are taken while it runs. */
const IMPORTED = 500_000;
const KPI = ['kpi', '--unit', '42', '--from', '2023-01-01', '--to', '2026-10-31', '--json'];

let dir: string;
let dbPath: string;
let bigCsv: string;

interface Finished {
	code: number | null;
	stdout: string;
	stderr: string;
}

/** The CLI on `database` (DATABASE_PATH), from the temp folder. */
function cli(database: string, ...args: string[]): Promise<Finished> {
	return new Promise((resolve, reject) => {
		const child = spawn(TSX, [CLI, ...args], {
			cwd: dir,
			env: { ...process.env, DATABASE_PATH: database },
			stdio: ['ignore', 'pipe', 'pipe']
		});
		let stdout = '';
		let stderr = '';
		child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
		child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
		child.once('error', reject);
		child.once('close', (code) => resolve({ code, stdout, stderr }));
	});
}

async function kpiJson(database: string): Promise<unknown> {
	const { code, stdout, stderr } = await cli(database, ...KPI);
	expect(stderr).toBe('');
	expect(code).toBe(0);
	return JSON.parse(stdout);
}

/** What a snapshot holds of the large import: its log row's status and its dossiers. */
async function importIn(file: string): Promise<{ status: string | null; dossiers: number }> {
	const instance = await DuckDBInstance.create(file, { access_mode: 'READ_ONLY' });
	try {
		const connection = await instance.connect();
		const status = (
			await connection.runAndReadAll(
				"SELECT status FROM import_batches WHERE file_name LIKE '%big-dossiers.csv'"
			)
		).getRows();
		const count = (
			await connection.runAndReadAll(
				"SELECT count(*)::INTEGER FROM dossiers WHERE dossier_code LIKE 'BK-%'"
			)
		).getRows();
		connection.closeSync();
		return {
			status: (status[0]?.[0] as string | undefined) ?? null,
			dossiers: count[0][0] as number
		};
	} finally {
		instance.closeSync();
	}
}

/** `IMPORTED` new online dossiers, copies of a sample of the demo's (valid units and procedures). */
async function writeBigImport(database: string, file: string): Promise<void> {
	const store = await openStore(database);
	try {
		await sql`COPY (
			SELECT 'BK-' || lpad(CAST(row_number() OVER () AS VARCHAR), 7, '0') AS dossier_code,
				procedure_code, unit_code, 'online' AS channel,
				strftime(received_at, '%Y-%m-%dT%H:%M:%S') AS received_at
			FROM (SELECT procedure_code, unit_code, received_at FROM dossiers
				USING SAMPLE reservoir(1000 ROWS) REPEATABLE (14)) AS sample,
				range(${sql.lit(IMPORTED / 1000)})
		) TO ${sql.lit(file)} (HEADER)`.execute(store.db);
	} finally {
		await store.close();
	}
}

beforeAll(async () => {
	await ensureBuilt();
	dir = mkdtempSync(path.join(os.tmpdir(), 'kpi-backup-'));
	dbPath = await createTestDemo(dir);
	bigCsv = path.join(dir, 'big-dossiers.csv');
	await writeBigImport(dbPath, bigCsv);
	writeFileSync(path.join(dir, 'notes.duckdb'), 'không phải một bản sao lưu\n');
});

afterAll(() => {
	if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('before a server runs', () => {
	it('refuses to back up a database that does not exist, rather than create it', async () => {
		const missing = path.join(dir, 'no-such-folder', 'kpi.duckdb');
		const refused = await cli(missing, 'backup', 'empty.duckdb');
		expect([refused.code, refused.stderr]).toEqual([
			1,
			`database ${missing} does not exist: nothing to back up (is DATABASE_PATH right?)\n`
		]);
		expect(existsSync(missing)).toBe(false);
		expect(existsSync(path.join(dir, 'empty.duckdb'))).toBe(false);
	});

	it('refuses to start with a BACKUP_KEEP it cannot keep, saying why', async () => {
		const refused = await startServer(dbPath, {
			BACKUP_DIR: path.join(dir, 'nightly'),
			BACKUP_KEEP: 'fourteen'
		}).then(
			async (server) => {
				await server.stop('SIGKILL');
				return '';
			},
			(error: Error) => error.message
		);
		expect(refused).toContain(
			'BACKUP_KEEP=fourteen: expected how many nightly backups to keep, a whole number from 1 to 3660'
		);
		expect(existsSync(path.join(dir, 'nightly'))).toBe(false);
	});
});

describe('backups of a running server', () => {
	let server: RunningServer;
	let before: unknown;
	let after: unknown;
	/** The snapshots taken during and after the import, in order. */
	const snapshots: { file: string; startedAfterImport: boolean }[] = [];

	beforeAll(async () => {
		server = await startServer(dbPath);
	});

	afterAll(async () => {
		await server?.stop('SIGKILL');
	});

	it('writes a backup through the server, owner-only, and refuses to overwrite it without --force', async () => {
		const file = path.join(dir, 'first.duckdb');
		const written = await cli(dbPath, 'backup', 'first.duckdb');
		expect(written.stderr).toBe('');
		expect(written.code).toBe(0);
		expect(written.stdout).toMatch(
			new RegExp(
				`^wrote a backup of ${dbPath} to ${file} \\(\\d+ bytes, schema version ${LATEST}, [\\d.]+ s\\)\\n$`
			)
		);
		expect(statSync(file).mode & 0o777).toBe(0o600);
		const size = statSync(file).size;
		const again = await cli(dbPath, 'backup', 'first.duckdb');
		expect([again.code, again.stderr]).toEqual([
			1,
			`${file} already exists; choose another name, or add --force to replace it\n`
		]);
		expect(statSync(file).size).toBe(size);
		const forced = await cli(dbPath, 'backup', 'first.duckdb', '--force');
		expect(forced.code).toBe(0);
	});

	it('takes consistent snapshots while a large import commits, each restoring to the figures before or after it, as its moment', async () => {
		before = await kpiJson(dbPath);
		let importDone = false;
		const importing = cli(dbPath, 'import', 'dossiers', bigCsv).finally(() => {
			importDone = true;
		});
		// Back to back, through the server, for as long as the import runs, then once after.
		for (let i = 1; snapshots.length === 0 || !snapshots.at(-1)!.startedAfterImport; i++) {
			const startedAfterImport = importDone;
			const file = path.join(dir, `during-${i}.duckdb`);
			const backup = await cli(dbPath, 'backup', file);
			expect([backup.code, backup.stderr]).toEqual([0, '']);
			snapshots.push({ file, startedAfterImport });
		}
		const imported = await importing;
		expect(imported.stderr).toBe('');
		expect(imported.stdout).toContain(`imported ${IMPORTED} dossiers rows: ${IMPORTED} inserted`);
		after = await kpiJson(dbPath);
		expect(after).not.toEqual(before);

		const moments: string[] = [];
		for (const [i, { file }] of snapshots.entries()) {
			const held = await importIn(file);
			// The import is one transaction: all of it or none.
			expect([0, IMPORTED]).toContain(held.dossiers);
			const fresh = path.join(dir, `restored-${i + 1}`, 'kpi.duckdb');
			const restored = await cli(fresh, 'restore', file);
			expect([restored.code, restored.stderr]).toEqual([0, '']);
			expect(restored.stdout).toBe(`restored ${file} (schema version ${LATEST}) into ${fresh}\n`);
			expect(await kpiJson(fresh)).toEqual(held.dossiers === IMPORTED ? after : before);
			moments.push(
				`${held.status ?? 'not started'} ${held.dossiers === IMPORTED ? 'after' : 'before'}`
			);
		}
		// Some snapshot was taken while the import ran (its log row written, its rows not yet
		// committed), none after the import shows it missing, and none shows it done without its
		// rows (the outcome is written in the rows' own transaction).
		expect(
			moments.some((m) => /^(validating|committing) before$/.test(m)),
			moments.join(' | ')
		).toBe(true);
		expect(moments.filter((m) => m.startsWith('done'))).not.toContain('done before');
		expect(moments.at(-1)).toBe('done after');
		const firstAfter = moments.findIndex((m) => m.endsWith('after'));
		expect(moments.slice(firstAfter).every((m) => m.endsWith('after'))).toBe(true);
	}, 300_000);

	it('refuses a restore while the server runs, and the database answers as before', async () => {
		const refused = await cli(dbPath, 'restore', snapshots[0].file);
		expect([refused.code, refused.stdout]).toEqual([1, '']);
		expect(refused.stderr).toBe(
			`restore replaces the database file, and a server is running on ${dbPath}: ` +
				'stop the server, then run restore again; nothing was changed\n'
		);
		expect(readdirSync(dir).filter((name) => /restoring|before-restore/.test(name))).toEqual([]);
		expect(await kpiJson(dbPath)).toEqual(after);
	});

	it('refuses a restore while another process holds the database without a control socket', async () => {
		// As if the socket file had been deleted: the CLI finds no server, DuckDB's lock still holds.
		rmSync(`${dbPath}.sock`);
		const refused = await cli(dbPath, 'restore', snapshots[0].file);
		expect([refused.code, refused.stderr]).toEqual([
			1,
			`database ${dbPath} is in use by another process (a running server or a command): ` +
				'stop it, then run restore again; nothing was changed\n'
		]);
		expect(await server.stop('SIGTERM')).toBe(0);
	});

	it('puts a snapshot back over the stopped database, keeping the replaced one aside', async () => {
		const notOurs = await cli(dbPath, 'restore', 'notes.duckdb');
		expect(notOurs.code).toBe(1);
		expect(notOurs.stderr).toMatch(
			new RegExp(
				`^notes\\.duckdb: not a DuckDB database file, or not one this version can read \\(.*\\)\\n${dbPath} was not changed\\n$`
			)
		);
		expect(await kpiJson(dbPath)).toEqual(after);
		const missing = await cli(dbPath, 'restore', 'no-such-backup.duckdb');
		expect([missing.code, missing.stderr]).toEqual([
			1,
			'no-such-backup.duckdb: file not found; nothing was changed\n'
		]);

		const restored = await cli(dbPath, 'restore', snapshots[0].file);
		expect(restored.code).toBe(0);
		const aside = /kept as (\S+);/.exec(restored.stdout)?.[1];
		expect(aside).toMatch(/\/kpi\.duckdb\.before-restore-\d{8}-\d{6}$/);
		expect(existsSync(`${dbPath}.wal`)).toBe(false);
		const held = await importIn(snapshots[0].file);
		expect(await kpiJson(dbPath)).toEqual(held.dossiers === IMPORTED ? after : before);
		// The replaced database is whole: the figures after the import.
		expect(await kpiJson(aside!)).toEqual(after);
	});
});
