/**
 * Twenty requests at once on one account (issue 10): DuckDB answers concurrent changes of one row
 * with "Conflict on update", which was a 500 for some of them and, for wrong passwords, guesses
 * checked but never counted. Each test sends twenty in parallel and expects exact outcomes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../import/run';
import { tempStore, UNITS_CSV, type TempStore } from '../testing/fixtures';
import { logIn } from './login';
import { createSession, validateSessionToken } from './sessions';
import { createApiToken, validateApiToken } from './tokens';
import { addUser, changePassword, sessionUser } from './users';

let store: TempStore;
const PASSWORD = 'một-mật-khẩu-dài-2026';
const T0 = Date.parse('2026-11-23T01:00:00Z');
const MINUTE = 60 * 1000;
const twenty = <T>(task: (i: number) => Promise<T>) =>
	Promise.allSettled(Array.from({ length: 20 }, (_, i) => task(i)));
const rejected = (outcomes: PromiseSettledResult<unknown>[]) =>
	outcomes.filter((o) => o.status === 'rejected').map((o) => String(o.reason));

beforeAll(async () => {
	store = await tempStore('kpi-concurrency-');
	await importFile(store.db, 'units', store.file('u.csv', UNITS_CSV));
	for (const username of ['anh', 'bao', 'cuong', 'duy']) {
		await addUser(store.db, { username, role: 'leader', unitCode: '42', password: PASSWORD });
	}
});
afterAll(() => store.dispose());

async function userId(username: string): Promise<string> {
	const row = await store.db
		.selectFrom('users')
		.select('id')
		.where('username', '=', username)
		.executeTakeFirstOrThrow();
	return row.id;
}

async function auditCounts(username: string): Promise<Record<string, number>> {
	const rows = await store.db
		.selectFrom('audit_log')
		.select('action')
		.where('username', '=', username)
		.execute();
	const counts: Record<string, number> = {};
	for (const { action } of rows) counts[action] = (counts[action] ?? 0) + 1;
	return counts;
}

const failures = async (key: string) =>
	(
		await store.db
			.selectFrom('login_throttle')
			.select('failures')
			.where('key', '=', key)
			.executeTakeFirst()
	)?.failures ?? 0;

describe('twenty requests at once', () => {
	it('renews an idle session once and lets all twenty requests through', async () => {
		const token = await createSession(store.db, await userId('anh'), T0);
		const later = T0 + 5 * MINUTE;
		const outcomes = await twenty(() => validateSessionToken(store.db, token, later));
		expect(rejected(outcomes)).toEqual([]);
		expect(outcomes.every((o) => o.status === 'fulfilled' && o.value !== null)).toBe(true);
		const session = await store.db
			.selectFrom('sessions')
			.select('last_used_at')
			.where('id', '=', token.split('.')[0])
			.executeTakeFirstOrThrow();
		expect(session.last_used_at).toBe('2026-11-23T08:05:00');
	});

	it('lets twenty calls with one API token through and records its use once a minute at most', async () => {
		const token = await createApiToken(store.db, 'bao', 'Trung tâm IOC', { username: 't' }, T0);
		const outcomes = await twenty((i) => validateApiToken(store.db, token, T0 + 2 * MINUTE + i));
		expect(rejected(outcomes)).toEqual([]);
		expect(outcomes.every((o) => o.status === 'fulfilled' && o.value !== null)).toBe(true);
		const row = await store.db
			.selectFrom('api_tokens')
			.select('last_used_at')
			.executeTakeFirstOrThrow();
		expect(row.last_used_at).toBe('2026-11-23T08:02:00');
	});

	it('counts every one of twenty wrong passwords before checking it: five checked, fifteen refused', async () => {
		const outcomes = await twenty(() =>
			logIn(store.db, { username: 'cuong', password: 'sai-mật-khẩu-rồi', ip: '10.9.0.1' }, T0)
		);
		expect(rejected(outcomes)).toEqual([]);
		const reasons = outcomes.map((o) =>
			o.status === 'fulfilled' && !o.value.ok ? o.value.reason : 'ok'
		);
		expect(reasons.filter((r) => r === 'invalid')).toHaveLength(5);
		expect(reasons.filter((r) => r === 'throttled')).toHaveLength(15);
		expect(await failures('user:cuong')).toBe(5);
		expect(await failures('ip:10.9.0.1')).toBe(5);
		expect(await auditCounts('cuong')).toEqual({ 'login.failure': 5, 'login.throttled': 15 });
	});

	it('throttles twenty wrong passwords on one account from twenty addresses just the same', async () => {
		const outcomes = await twenty((i) =>
			logIn(store.db, { username: 'duy', password: 'sai-mật-khẩu-rồi', ip: `10.9.1.${i}` }, T0)
		);
		expect(rejected(outcomes)).toEqual([]);
		const invalid = outcomes.filter(
			(o) => o.status === 'fulfilled' && !o.value.ok && o.value.reason === 'invalid'
		);
		expect(invalid).toHaveLength(5);
		expect(await failures('user:duy')).toBe(5);
	});

	it('throttles twenty wrong current passwords on the account page like sign-ins', async () => {
		const user = (await sessionUser(store.db, await userId('anh')))!;
		const outcomes = await twenty(() =>
			changePassword(store.db, user, 'sai-mật-khẩu-rồi', 'mật-khẩu-mới-dài-2026', '10.9.2.1')
		);
		const codes = outcomes.map((o) =>
			o.status === 'rejected' ? (o.reason as { code?: string }).code : 'changed'
		);
		expect(codes.filter((c) => c === 'wrong_password')).toHaveLength(5);
		expect(codes.filter((c) => c === 'throttled')).toHaveLength(15);
		expect((await auditCounts('anh'))['user.change_password_failure']).toBe(5);
	});

	it('lets twenty right passwords sent at once through, waiting for the checks in flight rather than refusing', async () => {
		const outcomes = await twenty((i) =>
			logIn(
				store.db,
				{ username: 'bao', password: PASSWORD, ip: '10.9.4.1' },
				T0 + 30 * 60 * MINUTE + i
			)
		);
		expect(rejected(outcomes)).toEqual([]);
		expect(outcomes.filter((o) => o.status === 'fulfilled' && o.value.ok)).toHaveLength(20);
		expect(await failures('ip:10.9.4.1')).toBe(0);
	});

	it('stores no more of a megabyte username than a username can hold', async () => {
		const huge = 'x'.repeat(500_000);
		const result = await logIn(store.db, { username: huge, password: huge, ip: '10.9.5.1' }, T0);
		expect(result).toEqual({ ok: false, reason: 'invalid' });
		const [entry] = await store.db
			.selectFrom('audit_log')
			.select((eb) => eb.fn<number>('length', ['username']).as('length'))
			.where('ip', '=', '10.9.5.1')
			.execute();
		expect(entry.length).toBeLessThanOrEqual(65);
		const keys = await store.db
			.selectFrom('login_throttle')
			.select('key')
			.where('key', 'like', 'user:xxx%')
			.execute();
		expect(keys.map((k) => k.key.length)).toEqual([5 + 65]);
	});

	it('gives a right password its charge back, so that colleagues behind one address are not throttled', async () => {
		for (let i = 0; i < 8; i++) {
			const result = await logIn(
				store.db,
				{ username: i % 2 ? 'bao' : 'duy', password: PASSWORD, ip: '10.9.3.1' },
				T0 + 20 * 60 * MINUTE + i
			);
			expect(result.ok).toBe(true);
		}
		expect(await failures('ip:10.9.3.1')).toBe(0);
	});
});
