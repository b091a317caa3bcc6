/**
 * What the probe of the running dashboard found (issue 10), each as a request to the real built
 * server: a redirect off the site after sign-in, a JSON body where a form was expected, an API
 * token used on the pages, pages a shared cache may keep, twenty requests at once on one token,
 * one session or one account, and the session cookie over plain HTTP and over HTTPS.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../src/lib/server/store';
import { runCli } from './helpers/cli';
import { canLocUser, createTestDemo, signIn, TEST_PASSWORD } from './helpers/demo-db';
import { ensureBuilt, startServer, type RunningServer } from './helpers/server';

let dir: string;
let dbPath: string;
let server: RunningServer;
const ENV = { ADDRESS_HEADER: 'x-forwarded-for', XFF_DEPTH: '1' };
let ip = 0;
/** A new client address per request, so that only the tests about throttling are throttled. */
const nextIp = () => `10.40.${Math.floor(ip / 250)}.${ip++ % 250}`;

beforeAll(async () => {
	await ensureBuilt();
	dir = mkdtempSync(path.join(os.tmpdir(), 'kpi-hardening-'));
	dbPath = await createTestDemo(dir);
	server = await startServer(dbPath, ENV);
}, 300_000);

afterAll(async () => {
	await server?.stop();
	if (dir) rmSync(dir, { recursive: true, force: true });
});

function post(
	pathname: string,
	body: BodyInit,
	headers: Record<string, string> = {}
): Promise<Response> {
	return fetch(`${server.origin}${pathname}`, {
		method: 'POST',
		redirect: 'manual',
		headers: {
			origin: server.origin,
			'content-type': 'application/x-www-form-urlencoded',
			'x-forwarded-for': nextIp(),
			...headers
		},
		body
	});
}

const get = (pathname: string, headers: Record<string, string> = {}) =>
	fetch(`${server.origin}${pathname}`, {
		redirect: 'manual',
		headers: { 'x-forwarded-for': nextIp(), ...headers }
	});

const signInForm = (username = canLocUser('leader'), password = TEST_PASSWORD) =>
	new URLSearchParams({ username, password });

describe('after signing in', () => {
	it('never sends the browser off the site, whatever redirectTo holds', async () => {
		for (const target of ['/%09/evil.example', '//evil.example', '/\\evil.example', '/%5Cevil']) {
			const response = await post(`/login?redirectTo=${encodeURIComponent(target)}`, signInForm());
			expect(response.status, target).toBe(303);
			const location = response.headers.get('location')!;
			expect(new URL(location, server.origin).origin, `${target} → ${location}`).toBe(
				server.origin
			);
		}
		const tab = await post('/login?redirectTo=%2F%09%2Fevil.example', signInForm());
		expect(tab.headers.get('location')).toBe('/');
	});

	it('answers a line break or a NUL in redirectTo with a redirect on the site, not a 500', async () => {
		for (const code of ['%0a', '%0d', '%00', '%0d%0aSet-Cookie:%20x=1']) {
			const response = await post(`/login?redirectTo=/u/42${code}`, signInForm());
			expect(response.status, code).toBe(303);
			expect(response.headers.get('location')).not.toMatch(/[\r\n\0]/);
			expect(response.headers.get('set-cookie')).not.toContain('x=1');
		}
	});

	it('keeps a page of the site asked for before signing in', async () => {
		const response = await post(
			`/login?redirectTo=${encodeURIComponent('/u/443/compare?from=2025-06-01&to=2025-06-30')}`,
			signInForm()
		);
		expect(response.headers.get('location')).toBe('/u/443/compare?from=2025-06-01&to=2025-06-30');
	});
});

describe('a body that is not a form', () => {
	it('answers a JSON sign-in with 415, whether HTML is asked for or not', async () => {
		const body = JSON.stringify({ username: canLocUser('leader'), password: TEST_PASSWORD });
		for (const accept of ['*/*', 'text/html', 'application/json']) {
			const response = await post('/login', body, { 'content-type': 'application/json', accept });
			expect(response.status, accept).toBe(415);
		}
	});

	it('answers a broken multipart body with 400 and the language switch with 415 for JSON', async () => {
		const broken = await post('/login', '--x\r\nnot a part', {
			'content-type': 'multipart/form-data; boundary=x'
		});
		expect(broken.status).toBe(400);
		const locale = await post('/locale', '{"locale":"en"}', { 'content-type': 'application/json' });
		expect(locale.status).toBe(415);
	});
});

describe('form action names', () => {
	it('answers the reserved name and names every object inherits with 404, signed in or not', async () => {
		const admin = await signIn(server.origin, canLocUser('admin'), TEST_PASSWORD, nextIp());
		for (const [pathname, cookie] of [
			['/login?/default', undefined],
			['/login?/__proto__', undefined],
			['/account?/default', admin],
			['/account?/constructor', admin],
			['/account?/toString', admin],
			['/admin/users?/__proto__', admin],
			['/admin/users?/constructor', admin],
			['/admin/tokens?/valueOf', admin],
			['/logout?/toString', admin]
		] as const) {
			const headers: Record<string, string> = { accept: 'text/html' };
			if (cookie) headers.cookie = cookie;
			const response = await post(pathname, signInForm('x', 'y'), headers);
			expect(response.status, pathname).toBe(404);
		}
	});
});

describe('oversized input', () => {
	it('answers a megabyte username with the usual refusal, small, and a body over the limit with 413', async () => {
		const huge = signInForm('u'.repeat(500_000), 'mật-khẩu-dài-2026');
		const refused = await post('/login', huge, { accept: 'text/html' });
		expect(refused.status).toBe(400);
		expect((await refused.text()).length).toBeLessThan(30_000);
		const tooBig = await post('/login', signInForm('u'.repeat(1_000_000), 'x'));
		expect(tooBig.status).toBe(413);
	});

	it('signs in without the proxy address header the server was told to read, instead of a 500', async () => {
		const response = await fetch(`${server.origin}/login`, {
			method: 'POST',
			redirect: 'manual',
			headers: { origin: server.origin, 'content-type': 'application/x-www-form-urlencoded' },
			body: signInForm()
		});
		expect(response.status).toBe(303);
	});

	it('answers an unknown unit with the 404 of a hidden one, for an admin too, without echoing it', async () => {
		const admin = await signIn(server.origin, canLocUser('admin'), TEST_PASSWORD, nextIp());
		const api = await get(`/api/v1/kpi?unit=${'9'.repeat(10_000)}&from=2025-06-01&to=2025-06-30`, {
			cookie: admin
		});
		expect([api.status, await api.json()]).toEqual([404, { error: 'not found' }]);
		const page = await get('/u/khong-co?from=2025-06-01&to=2025-06-30', { cookie: admin });
		expect(page.status).toBe(404);
	});
});

describe('API tokens', () => {
	let token: string;
	beforeAll(async () => {
		const created = await runCli(
			dbPath,
			'token',
			'create',
			'--username',
			canLocUser('admin'),
			'--name',
			'probe'
		);
		token = created.stdout.trim().split('\n').at(-1)!;
	});

	it('open the API', async () => {
		const response = await get('/api/v1/kpi?unit=443&from=2025-06-01&to=2025-06-30', {
			authorization: `Bearer ${token}`
		});
		expect(response.status).toBe(200);
	});

	it('open no page and no form action: an admin token cannot create an account', async () => {
		const page = await get('/admin/users', {
			authorization: `Bearer ${token}`,
			accept: 'text/html'
		});
		expect(page.status).toBe(303);
		expect(page.headers.get('location')).toMatch(/^\/login/);
		const create = await post(
			'/admin/users?/create',
			new URLSearchParams({
				username: 'made.by.token',
				role: 'admin',
				unit: '42',
				password: 'mật-khẩu-của-kẻ-gian-2026'
			}),
			{ authorization: `Bearer ${token}`, accept: 'text/html' }
		);
		expect(create.status).toBe(303);
		const users = await runCli(dbPath, 'user', 'list', '--json');
		expect(users.stdout).not.toContain('made.by.token');
	});
});

describe('the audit log', () => {
	it('answers a day filter of year 9999 or 0001 without a 500', async () => {
		const admin = await signIn(server.origin, canLocUser('admin'), TEST_PASSWORD, nextIp());
		for (const query of ['to=9999-12-31', 'from=0001-01-01', 'from=2026-01-01&to=+010000-01-01']) {
			const response = await get(`/admin/audit?${query}`, { cookie: admin });
			expect(response.status, query).toBe(200);
		}
	});
});

describe('caching', () => {
	it('marks pages, page data and API answers private and not to be stored', async () => {
		const cookie = await signIn(server.origin, canLocUser('leader'), TEST_PASSWORD, nextIp());
		for (const pathname of [
			'/u/443?from=2025-06-01&to=2025-06-30',
			'/u/443/__data.json?from=2025-06-01&to=2025-06-30',
			'/api/v1/kpi?unit=443&from=2025-06-01&to=2025-06-30',
			'/account',
			'/login'
		]) {
			const response = await get(pathname, { cookie });
			expect(response.headers.get('cache-control'), pathname).toBe('private, no-store');
		}
	});
});

describe('twenty requests at once', () => {
	const twenty = <T>(task: (i: number) => Promise<T>) =>
		Promise.all(Array.from({ length: 20 }, (_, i) => task(i)));

	it('with one API token: twenty answers, no 500', async () => {
		const created = await runCli(
			dbPath,
			'token',
			'create',
			'--username',
			canLocUser('leader'),
			'--name',
			'burst'
		);
		const token = created.stdout.trim().split('\n').at(-1)!;
		const statuses = await twenty(async () => {
			const response = await get('/api/v1/kpi?unit=443&from=2025-06-01&to=2025-06-30', {
				authorization: `Bearer ${token}`
			});
			await response.arrayBuffer();
			return response.status;
		});
		expect(statuses).toEqual(Array(20).fill(200));
	});

	it('with one idle session: twenty pages, no 500', async () => {
		const cookie = await signIn(server.origin, canLocUser('unit_head'), TEST_PASSWORD, nextIp());
		// Idle for five minutes: each of the twenty would renew it.
		await server.stop();
		const store = await openStore(dbPath);
		try {
			await sql`UPDATE sessions SET last_used_at = last_used_at - INTERVAL 5 MINUTE`.execute(
				store.db
			);
		} finally {
			await store.close();
		}
		server = await startServer(dbPath, ENV);
		const statuses = await twenty(async () => {
			const response = await get('/account', { cookie });
			await response.arrayBuffer();
			return response.status;
		});
		expect(statuses).toEqual(Array(20).fill(200));
	});

	it('with twenty wrong passwords on one account: five refused as wrong, fifteen throttled, all audited', async () => {
		const user = canLocUser('reform_team');
		const statuses = await twenty(async () => {
			const response = await post('/login', signInForm(user, 'sai-mật-khẩu-rồi'), {
				'x-forwarded-for': '10.41.0.1'
			});
			await response.arrayBuffer();
			return response.status;
		});
		expect(statuses.filter((s) => s === 400)).toHaveLength(5);
		expect(statuses.filter((s) => s === 429)).toHaveLength(15);
		// Every guess counted and audited: read the file once the server has let it go.
		await server.stop();
		const store = await openStore(dbPath);
		try {
			const audit = await store.db
				.selectFrom('audit_log')
				.select(['action', (eb) => eb.fn.countAll<number>().as('n')])
				.where('username', '=', user)
				.groupBy('action')
				.orderBy('action')
				.execute();
			expect(audit).toEqual([
				{ action: 'login.failure', n: 5 },
				{ action: 'login.throttled', n: 15 }
			]);
			const counters = await store.db
				.selectFrom('login_throttle')
				.select(['key', 'failures'])
				.where('key', 'in', [`user:${user}`, 'ip:10.41.0.1'])
				.orderBy('key')
				.execute();
			expect(counters).toEqual([
				{ key: 'ip:10.41.0.1', failures: 5 },
				{ key: `user:${user}`, failures: 5 }
			]);
		} finally {
			await store.close();
		}
		server = await startServer(dbPath, ENV);
	});
});

describe('the session cookie', () => {
	it('is not Secure over plain HTTP, which browsers would refuse from a LAN address', async () => {
		const response = await post('/login', signInForm());
		const cookie = response.headers.getSetCookie().find((c) => c.startsWith('session='))!;
		expect(cookie.split('; ')).not.toContain('Secure');
		expect(cookie.split('; ')).toContain('HttpOnly');
	});

	it('is Secure when ORIGIN is https://', async () => {
		await server.stop();
		const origin = 'https://kpi.hatinh.example';
		server = await startServer(dbPath, { ...ENV, ORIGIN: origin });
		const response = await post('/login', signInForm(), { origin });
		expect(response.status).toBe(303);
		const cookie = response.headers.getSetCookie().find((c) => c.startsWith('session='))!;
		expect(cookie.split('; ')).toContain('Secure');
	});
});
