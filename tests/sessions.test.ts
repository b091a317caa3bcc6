/**
 * Sessions, tokens and sign-in throttling through the real server (issue 5): what a stolen cookie
 * or a revoked token opens, what a password change or a disable ends, what a forged form or a
 * sixth wrong password gets, and that a restart forgets none of it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../src/lib/server/store';
import { canLocUser, createTestDemo, signIn, TEST_PASSWORD } from './helpers/demo-db';
import { runCli } from './helpers/cli';
import { ensureBuilt, startServer, type RunningServer } from './helpers/server';

let dir: string;
let dbPath: string;
let server: RunningServer;
const ENV = { ADDRESS_HEADER: 'x-forwarded-for', XFF_DEPTH: '1' };

beforeAll(async () => {
	await ensureBuilt();
	dir = mkdtempSync(path.join(os.tmpdir(), 'kpi-sessions-'));
	dbPath = await createTestDemo(dir);
	server = await startServer(dbPath, ENV);
}, 300_000);

afterAll(async () => {
	await server?.stop();
	if (dir) rmSync(dir, { recursive: true, force: true });
});

/** A request as a browser sends it (HTML, same origin), with a cookie or a bearer token. */
function request(
	pathname: string,
	options: { cookie?: string; token?: string; form?: Record<string, string>; ip?: string } = {}
): Promise<Response> {
	const headers: Record<string, string> = {
		accept: 'text/html',
		origin: server.origin,
		'x-forwarded-for': options.ip ?? '10.0.0.1'
	};
	if (options.cookie) headers.cookie = options.cookie;
	if (options.token) headers.authorization = `Bearer ${options.token}`;
	if (options.form) headers['content-type'] = 'application/x-www-form-urlencoded';
	return fetch(`${server.origin}${pathname}`, {
		method: options.form ? 'POST' : 'GET',
		headers,
		body: options.form ? new URLSearchParams(options.form) : undefined,
		redirect: 'manual'
	});
}

const statusOf = async (pathname: string, cookie: string) =>
	(await request(pathname, { cookie })).status;

const cli = (...args: string[]) => runCli(dbPath, ...args);

describe('sessions', () => {
	// Secure is added over HTTPS (ORIGIN=https://…): tests/hardening.test.ts.
	it('sets the session cookie HttpOnly, SameSite=Lax, on path /, not Secure over plain HTTP', async () => {
		const response = await request('/login', {
			form: { username: canLocUser('leader'), password: TEST_PASSWORD }
		});
		expect(response.status).toBe(303);
		const cookie = response.headers.getSetCookie().find((c) => c.startsWith('session='))!;
		expect(cookie).toMatch(/^session=[a-z2-7]{24}\.[a-z2-7]{24};/);
		expect(cookie.split('; ').slice(1).sort()).toEqual([
			'HttpOnly',
			'Max-Age=2592000',
			'Path=/',
			'SameSite=Lax'
		]);
	});

	it('makes a stolen cookie useless once its owner signs out', async () => {
		const cookie = await signIn(server.origin, canLocUser('unit_head'));
		expect(await statusOf('/account', cookie)).toBe(200);
		const out = await request('/logout', { cookie, form: {} });
		expect([out.status, out.headers.get('location')]).toEqual([303, '/login']);
		const stolen = await request('/account', { cookie });
		expect([stolen.status, stolen.headers.get('location')]).toEqual([
			303,
			'/login?redirectTo=%2Faccount'
		]);
	});

	it('ends every other session on a password change, and keeps the browser that changed it signed in', async () => {
		const user = canLocUser('reform_team');
		const here = await signIn(server.origin, user);
		const elsewhere = await signIn(server.origin, user);
		const next = 'một-mật-khẩu-mới-2026';
		const changed = await request('/account?/password', {
			cookie: here,
			form: { current: TEST_PASSWORD, next, confirm: next }
		});
		expect(changed.status).toBe(200);
		const renewed = /session=[^;]+/.exec(changed.headers.get('set-cookie') ?? '')![0];
		expect(renewed).not.toBe(here);
		expect(await statusOf('/account', elsewhere)).toBe(303);
		expect(await statusOf('/account', here)).toBe(303);
		expect(await statusOf('/account', renewed)).toBe(200);
		await expect(signIn(server.origin, user)).rejects.toThrow(/400/);
		expect(await signIn(server.origin, user, next)).toMatch(/^session=/);
	});

	it('ends the sessions of a user disabled from the command line while the server runs', async () => {
		const cookie = await signIn(server.origin, 'lanhdao', 'demo-lanhdao-2026');
		expect(await statusOf('/account', cookie)).toBe(200);
		expect((await cli('user', 'disable', '--username', 'lanhdao')).code).toBe(0);
		expect(await statusOf('/account', cookie)).toBe(303);
		await expect(signIn(server.origin, 'lanhdao', 'demo-lanhdao-2026')).rejects.toThrow(/400/);
	});

	it('answers 401 to a revoked API token, and to a made-up one', async () => {
		const created = await cli(
			'token',
			'create',
			'--username',
			canLocUser('leader'),
			'--name',
			'IOC'
		);
		const token = created.stdout.trim().split('\n').at(-1)!;
		const kpi = '/api/v1/kpi?unit=443&from=2025-06-01&to=2025-06-30';
		expect((await request(kpi, { token })).status).toBe(200);
		const admin = await signIn(server.origin, 'admin', 'demo-quantri-2026');
		const tokenId = /^kpi_([a-z2-7]+)\./.exec(token)![1];
		const revoked = await request('/admin/tokens?/revoke', {
			cookie: admin,
			form: { token: tokenId }
		});
		expect(revoked.status).toBe(200);
		expect((await request(kpi, { token })).status).toBe(401);
		expect((await request(kpi, { token: `kpi_${'a'.repeat(24)}.${'b'.repeat(24)}` })).status).toBe(
			401
		);
	});

	it('refuses a sign-in form posted from another site (CSRF origin check)', async () => {
		const response = await fetch(`${server.origin}/login`, {
			method: 'POST',
			headers: {
				origin: 'https://evil.example',
				'content-type': 'application/x-www-form-urlencoded'
			},
			body: new URLSearchParams({ username: 'admin', password: 'demo-quantri-2026' }),
			redirect: 'manual'
		});
		expect(response.status).toBe(403);
		expect(response.headers.get('set-cookie')).toBeNull();
	});
});

describe('sign-in throttling', () => {
	const attempt = (username: string, password: string, ip: string) =>
		request('/login', { form: { username, password }, ip });

	// The waits themselves (1 s, 2 s, … then the right password let in) run on an injected clock
	// in src/lib/server/auth/login.test.ts; here, no test sleeps.
	it('refuses the sixth attempt after five wrong passwords, without checking it', async () => {
		const user = canLocUser('unit_head');
		for (let i = 0; i < 5; i++) {
			expect((await attempt(user, 'sai-mật-khẩu-rồi', `10.7.0.${i}`)).status).toBe(400);
		}
		const sixth = await attempt(user, TEST_PASSWORD, '10.7.1.1');
		expect(sixth.status).toBe(429);
		expect(sixth.headers.get('retry-after')).toBe('1');
		expect(await sixth.text()).toContain('Vui lòng thử lại sau 1 giây');
	});

	it('keeps counting across a restart of the server', async () => {
		const user = canLocUser('admin');
		for (let i = 0; i < 5; i++) await attempt(user, 'sai-mật-khẩu-rồi', `10.8.0.${i}`);
		expect(await server.stop()).toBe(0);
		// Two seconds pass while the server is down: the failures are made two seconds older.
		const store = await openStore(dbPath);
		try {
			await sql`UPDATE login_throttle SET last_failure_at = last_failure_at - INTERVAL 2 SECOND
				WHERE key = ${`user:${user}`}`.execute(store.db);
		} finally {
			await store.close();
		}
		server = await startServer(dbPath, ENV);
		// The 1-second wait is over: a sixth failure is let through and counted, and the seventh
		// attempt must wait 2 seconds. Had the counter been reset, the right password would now
		// open a session.
		expect((await attempt(user, 'sai-mật-khẩu-rồi', '10.8.1.1')).status).toBe(400);
		const next = await attempt(user, TEST_PASSWORD, '10.8.1.1');
		expect([next.status, next.headers.get('retry-after')]).toEqual([429, '2']);
	});
});
