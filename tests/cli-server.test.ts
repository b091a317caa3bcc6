/**
 * The command line and the built web server on one database file (CONTRACT: every command also
 * works while the web server is running on the same database file). Runs the real processes:
 * `tsx src/cli/main.ts` and `node build`.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../src/cli/build-check';
import { ensureBuilt, startServer, type RunningServer } from './helpers/server';

const TSX = path.join(PROJECT_ROOT, 'node_modules', '.bin', 'tsx');
const CLI = path.join(PROJECT_ROOT, 'src', 'cli', 'main.ts');
const PASSWORD = 'một-mật-khẩu-dài-2026';

const FILES: Record<string, string> = {
	'units.csv': [
		'code,name,level,parent_code,valid_from,valid_to',
		'42,Tỉnh Hà Tĩnh,province,,,',
		'18100,Phường Thành Sen,commune,42,2025-07-01,'
	].join('\n'),
	'procedures.csv': [
		'code,name,level,online_level,has_fee',
		'1.001193,Đăng ký khai sinh,commune,full,false'
	].join('\n'),
	'dossiers.csv': [
		'dossier_code,procedure_code,unit_code,channel,received_at,completed_at',
		'HS-001,1.001193,18100,online,2025-07-02T08:00:00,2025-07-03T10:00:00',
		'HS-002,1.001193,18100,direct,2025-07-05,',
		'HS-003,1.001193,18100,online,09/08/2025 14:30,'
	].join('\n'),
	'bad-dossiers.csv': [
		'dossier_code,procedure_code,unit_code,channel,received_at',
		'HS-004,9.999999,18100,online,2025-07-06'
	].join('\n'),
	'old.xls': 'not really a spreadsheet'
};

let dir: string;
let dbPath: string;

interface Finished {
	code: number | null;
	stdout: string;
	stderr: string;
}

/** Runs the CLI from the temp directory, so file arguments are relative as a user types them. */
function runCli(...args: string[]): Promise<Finished> {
	return runCliWithInput(null, ...args);
}

/** The same, with `input` on the CLI's standard input (a password for `user add`). */
function runCliWithInput(input: string | null, ...args: string[]): Promise<Finished> {
	return new Promise((resolve, reject) => {
		const cli = spawn(TSX, [CLI, ...args], {
			cwd: dir,
			env: { ...process.env, DATABASE_PATH: dbPath },
			stdio: [input === null ? 'ignore' : 'pipe', 'pipe', 'pipe']
		});
		if (input !== null) cli.stdin!.end(input);
		let stdout = '';
		let stderr = '';
		cli.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
		cli.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
		cli.once('error', reject);
		cli.once('close', (code) => resolve({ code, stdout, stderr }));
	});
}

beforeAll(async () => {
	await ensureBuilt();
	dir = mkdtempSync(path.join(os.tmpdir(), 'kpi-cli-'));
	dbPath = path.join(dir, 'kpi.duckdb');
	for (const [name, content] of Object.entries(FILES)) {
		writeFileSync(path.join(dir, name), `${content}\n`);
	}
});

afterAll(() => {
	if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the command line on its own', () => {
	it('prints its usage for --help and exits 0', async () => {
		const { code, stdout } = await runCli('--help');
		expect(code).toBe(0);
		expect(stdout).toContain('usage: npm run cli -- <command> [arguments]');
	});

	it('prints the usage of import for import --help and exits 0', async () => {
		const { code, stdout } = await runCli('import', '--help');
		expect(code).toBe(0);
		expect(stdout.split('\n')[0]).toBe(
			'usage: npm run cli -- import <units|procedures|dossiers|targets> <file>'
		);
	});

	it('reports a missing file before it touches the database', async () => {
		const { code, stderr } = await runCli('import', 'units', 'missing.csv');
		expect(code).toBe(1);
		expect(stderr).toBe('missing.csv: file not found\n');
		expect(existsSync(dbPath)).toBe(false);
	});

	it('refuses an unknown kind with exit status 2', async () => {
		const { code, stderr } = await runCli('import', 'communes', 'units.csv');
		expect(code).toBe(2);
		expect(stderr.split('\n')[0]).toBe(
			"unknown kind 'communes'; expected units, procedures, dossiers or targets"
		);
	});

	it('refuses an .xls file and says how to convert it', async () => {
		const { code, stderr } = await runCli('import', 'dossiers', 'old.xls');
		expect(code).toBe(1);
		expect(stderr).toBe(
			'old.xls: cannot read .xls files (open it in Excel and save it as .xlsx); ' +
				'expected .csv, .xlsx, .json, .ndjson or .parquet\n'
		);
	});

	it('refuses index without its period with exit status 2 and its usage', async () => {
		const { code, stderr } = await runCli('index', '--unit', '42');
		expect(code).toBe(2);
		expect(stderr.split('\n')[0]).toBe('missing --from');
		expect(stderr).toContain('usage: npm run cli -- index --unit <code>');
	});

	it('imports units and then procedures with no server running', async () => {
		const units = await runCli('import', 'units', 'units.csv');
		expect(units.code).toBe(0);
		expect(units.stdout).toContain(
			'units.csv: imported 2 units rows: 2 inserted, 0 updated, 0 unchanged'
		);
		const procedures = await runCli('import', 'procedures', 'procedures.csv');
		expect(procedures.code).toBe(0);
		expect(procedures.stdout).toContain(
			'procedures.csv: imported 1 procedures rows: 1 inserted, 0 updated, 0 unchanged'
		);
	});
});

describe('the command line while the web server runs', () => {
	let server: RunningServer;
	let origin: string;

	let cookie = '';
	const OVERVIEW = '/u/18100?from=2025-07-01&to=2025-08-31';
	const page = async (pathname = '/login') => {
		const response = await fetch(`${origin}${pathname}`, {
			headers: cookie ? { cookie } : {},
			redirect: 'manual'
		});
		return { response, html: await response.text() };
	};

	beforeAll(async () => {
		server = await startServer(dbPath);
		origin = server.origin;
	});

	afterAll(async () => {
		await server?.stop('SIGKILL');
	});

	it('sends a visitor without a session to /login, and answers the API 401', async () => {
		const response = await fetch(`${origin}/u/18100`, { redirect: 'manual' });
		expect(response.status).toBe(303);
		expect(response.headers.get('location')).toBe('/login?redirectTo=%2Fu%2F18100');
		const api = await fetch(`${origin}/api/v1/kpi?unit=18100&from=2025-07-01&to=2025-08-31`);
		expect(api.status).toBe(401);
	});

	it('adds a user through the server with the password read from standard input, and lists it without any hash', async () => {
		const added = await runCliWithInput(
			`${PASSWORD}\n`,
			'user',
			'add',
			'--username',
			'tinh.leader',
			'--role',
			'leader',
			'--unit',
			'42',
			'--password-stdin'
		);
		expect([added.code, added.stdout.trim(), added.stderr]).toEqual([
			0,
			'added tinh.leader (leader, unit 42)',
			''
		]);
		const listed = await runCli('user', 'list', '--json');
		expect(listed.code).toBe(0);
		const users = JSON.parse(listed.stdout) as Record<string, unknown>[];
		expect(users.map((u) => Object.keys(u).sort())).toEqual([
			['created_at', 'disabled', 'role', 'unit_code', 'username']
		]);
		expect(listed.stdout).not.toContain('argon2');
	});

	it('signs a program in by POST /login with a 303 and a session cookie, and shows 0/0 before any dossier', async () => {
		const response = await fetch(`${origin}/login?redirectTo=%2Fu%2F18100`, {
			method: 'POST',
			redirect: 'manual',
			headers: { origin, 'content-type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({ username: 'tinh.leader', password: PASSWORD })
		});
		expect(response.status).toBe(303);
		expect(response.headers.get('location')).toBe('/u/18100');
		cookie = /session=[^;]+/.exec(response.headers.get('set-cookie') ?? '')![0];
		const { html } = await page(OVERVIEW);
		expect(html).toContain('Phường Thành Sen');
		expect(html).toMatch(/data-kpi="online_submission_rate"[^]*?>0\/0</);
	});

	it('sends the security headers on a page and on a not-found answer', async () => {
		for (const pathname of [OVERVIEW, '/no-such-page']) {
			const { response } = await page(pathname);
			const policy = response.headers.get('content-security-policy') ?? '';
			expect(policy).toContain("default-src 'self'");
			expect(policy).toContain("frame-ancestors 'none'");
			expect(policy).toContain("object-src 'none'");
			expect(policy).toContain("base-uri 'self'");
			expect(policy).toMatch(/script-src 'self' 'nonce-[^']+'/);
			expect(response.headers.get('x-content-type-options')).toBe('nosniff');
			expect(response.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
		}
	});

	it('sends the security headers on static files too, which SvelteKit hooks never see', async () => {
		const { response, html: body } = await page(OVERVIEW);
		const asset = /\/_app\/immutable\/[^"']+\.js/.exec(body)?.[0];
		expect(asset).toBeDefined();
		for (const pathname of ['/favicon.svg', asset!]) {
			const { response: file } = await page(pathname);
			expect(file.status).toBe(200);
			expect(file.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
			expect(file.headers.get('x-content-type-options')).toBe('nosniff');
			expect(file.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin');
		}
		expect(response.status).toBe(200);
	});

	it('listens on a control socket beside the database that only its owner can open', () => {
		const info = statSync(`${dbPath}.sock`);
		expect(info.isSocket()).toBe(true);
		expect(info.mode & 0o777).toBe(0o600);
	});

	it('imports dossiers through the server, which holds the database', async () => {
		const { code, stdout, stderr } = await runCli('import', 'dossiers', 'dossiers.csv');
		expect(stderr).toBe('');
		expect(code).toBe(0);
		expect(stdout).toBe(
			'dossiers.csv: imported 3 dossiers rows: 3 inserted, 0 updated, 0 unchanged\n'
		);
	});

	it('shows the three dossiers right after the import, two of them online', async () => {
		const { html } = await page(OVERVIEW);
		expect(html).toMatch(/data-kpi="online_submission_rate"[^]*?>2\/3</);
	});

	it('prints the service index through the server, from the same counts as the KPIs', async () => {
		const { code, stdout } = await runCli(
			...['index', '--unit', '18100', '--from', '2025-07-01', '--to', '2025-08-31', '--json']
		);
		expect(code).toBe(0);
		const index = JSON.parse(stdout) as {
			unit: { code: string };
			indicators: Record<string, { numerator: number; denominator: number }>;
		};
		expect(index.unit.code).toBe('18100');
		expect(index.indicators['3.3']).toMatchObject({ numerator: 2, denominator: 3 });
	});

	it('creates an API token through the server that reads the KPIs, and answers 404 outside the data', async () => {
		const created = await runCli('token', 'create', '--username', 'tinh.leader', '--name', 'IOC');
		expect(created.code).toBe(0);
		const token = created.stdout.trim().split('\n').at(-1)!;
		const api = (query: string) =>
			fetch(`${origin}/api/v1/kpi?${query}`, { headers: { authorization: `Bearer ${token}` } });
		const response = await api('unit=18100&from=2025-07-01&to=2025-08-31');
		expect(response.status).toBe(200);
		const report = (await response.json()) as {
			kpis: Record<string, { numerator: number; denominator: number }>;
		};
		expect(report.kpis.online_submission_rate).toMatchObject({ numerator: 2, denominator: 3 });
		expect((await api('unit=99999&from=2025-07-01&to=2025-08-31')).status).toBe(404);
	});

	it('rejects a bad file through the server, naming the file, row and column', async () => {
		const { code, stderr } = await runCli('import', 'dossiers', 'bad-dossiers.csv');
		expect(code).toBe(1);
		expect(stderr).toMatch(/^bad-dossiers\.csv:2: procedure_code: .*\(9\.999999\)$/m);
		expect(stderr).toContain('bad-dossiers.csv: nothing was imported');
		expect((await page(OVERVIEW)).html).toMatch(/data-kpi="online_submission_rate"[^]*?>2\/3</);
	});

	it('removes its control socket when stopped', async () => {
		expect(await server.stop('SIGTERM')).toBe(0);
		expect(existsSync(`${dbPath}.sock`)).toBe(false);
	});

	it('leaves the commands to open the database themselves once it has stopped', async () => {
		const { code, stdout } = await runCli('import', 'dossiers', 'dossiers.csv');
		expect(code).toBe(0);
		expect(stdout).toContain(
			'dossiers.csv: imported 3 dossiers rows: 0 inserted, 0 updated, 3 unchanged'
		);
	});
});
