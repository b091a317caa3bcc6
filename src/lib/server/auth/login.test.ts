import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../import/run';
import { tempStore, UNITS_CSV, type TempStore } from '../testing/fixtures';
import { validateSessionToken } from './sessions';
import { delayAfter } from './throttle';
import { addUser, changePassword, resetPassword, sessionUser } from './users';
import { logIn } from './login';

let store: TempStore;
const PASSWORD = 'một-mật-khẩu-dài-2026';
const T0 = Date.parse('2026-11-23T01:00:00Z');
const SECOND = 1000;

beforeAll(async () => {
	store = await tempStore('kpi-login-');
	await importFile(store.db, 'units', store.file('u.csv', UNITS_CSV));
	for (const username of ['anh', 'binh', 'chi', 'dung']) {
		await addUser(store.db, { username, role: 'unit_head', unitCode: '443', password: PASSWORD });
	}
});
afterAll(() => store.dispose());

const attempt = (username: string, password: string, now: number, ip = '10.0.0.1') =>
	logIn(store.db, { username, password, ip }, now);

async function actions(username: string): Promise<string[]> {
	const rows = await store.db
		.selectFrom('audit_log')
		.select('action')
		.where('username', '=', username)
		.orderBy('id')
		.execute();
	return rows.map((r) => r.action);
}

describe('signing in', () => {
	it('opens a session for the right password and logs the success with the address', async () => {
		const result = await attempt('anh', PASSWORD, T0);
		expect(result.ok).toBe(true);
		if (!result.ok) return;
		expect(result.user).toMatchObject({ username: 'anh', role: 'unit_head', unitCode: '443' });
		expect(await validateSessionToken(store.db, result.token, T0)).not.toBeNull();
		const log = await store.db
			.selectFrom('audit_log')
			.select(['action', 'ip'])
			.where('username', '=', 'anh')
			.where('action', '=', 'login.success')
			.execute();
		expect(log).toEqual([{ action: 'login.success', ip: '10.0.0.1' }]);
	});

	it('gives the same answer for an unknown user and a wrong password, and logs both', async () => {
		expect(await attempt('nobody', PASSWORD, T0, '10.0.0.9')).toEqual({
			ok: false,
			reason: 'invalid'
		});
		expect(await attempt('anh', 'not-the-password', T0, '10.0.0.9')).toEqual({
			ok: false,
			reason: 'invalid'
		});
		expect(await actions('nobody')).toEqual(['login.failure']);
		expect((await actions('anh')).at(-1)).toBe('login.failure');
	});
});

describe('throttling', () => {
	it('waits nothing for the first five failures, then 1 s, 2 s, 4 s… up to 15 minutes', () => {
		expect([0, 4, 5, 6, 7, 30].map(delayAfter)).toEqual([0, 0, 1000, 2000, 4000, 900_000]);
	});

	it('delays the sixth attempt on an account, then lets the right password in after the wait', async () => {
		for (let i = 0; i < 5; i++) {
			expect(await attempt('binh', 'wrong-password-1', T0 + i, `10.1.0.${i}`)).toMatchObject({
				reason: 'invalid'
			});
		}
		// The right password, too early and from a new address: refused without being checked.
		expect(await attempt('binh', PASSWORD, T0 + 10, '10.1.1.1')).toEqual({
			ok: false,
			reason: 'throttled',
			retryAfterSeconds: 1
		});
		expect((await attempt('binh', PASSWORD, T0 + 4 + SECOND, '10.1.1.1')).ok).toBe(true);
		// A success clears the account's counter.
		expect(await attempt('binh', 'wrong-password-1', T0 + 2 * SECOND, '10.1.1.2')).toMatchObject({
			reason: 'invalid'
		});
		expect(
			await attempt('binh', 'wrong-password-1', T0 + 2 * SECOND + 1, '10.1.1.2')
		).toMatchObject({ reason: 'invalid' });
	});

	it('doubles the wait with each failure after the fifth', async () => {
		let now = T0;
		for (let i = 0; i < 5; i++) await attempt('chi', 'wrong-password-2', (now += 1), `10.2.0.${i}`);
		now += SECOND;
		expect(await attempt('chi', 'wrong-password-2', now, '10.2.1.1')).toMatchObject({
			reason: 'invalid'
		});
		expect(await attempt('chi', PASSWORD, now + 1999, '10.2.1.1')).toMatchObject({
			reason: 'throttled',
			retryAfterSeconds: 1
		});
		expect(await attempt('chi', PASSWORD, now + 1, '10.2.1.1')).toMatchObject({
			reason: 'throttled',
			retryAfterSeconds: 2
		});
		expect((await attempt('chi', PASSWORD, now + 2 * SECOND, '10.2.1.1')).ok).toBe(true);
	});

	it('throttles an address that fails on five different accounts, and not another address', async () => {
		for (let i = 0; i < 5; i++) await attempt(`guess${i}`, 'wrong-password-3', T0 + i, '10.3.0.1');
		expect(await attempt('dung', PASSWORD, T0 + 10, '10.3.0.1')).toMatchObject({
			reason: 'throttled'
		});
		expect((await attempt('dung', PASSWORD, T0 + 10, '10.3.0.2')).ok).toBe(true);
	});

	it('forgets failures an hour after the last one', async () => {
		const later = T0 + 2 * 60 * 60 * SECOND;
		for (let i = 0; i < 6; i++) await attempt('anh', 'wrong-password-4', later + i, '10.4.0.1');
		expect(await attempt('anh', PASSWORD, later + 10, '10.4.0.2')).toMatchObject({
			reason: 'throttled'
		});
		expect((await attempt('anh', PASSWORD, later + 60 * 60 * SECOND + 10, '10.4.0.2')).ok).toBe(
			true
		);
	});
});

describe('passwords changed', () => {
	it('ends every session of the user when the password is changed, and the new one works', async () => {
		const first = await attempt('dung', PASSWORD, Date.now(), '10.5.0.1');
		const second = await attempt('dung', PASSWORD, Date.now(), '10.5.0.1');
		if (!first.ok || !second.ok) throw new Error('sign-in failed');
		const user = (await sessionUser(store.db, first.user.id))!;
		await expect(
			changePassword(store.db, user, 'not-my-password', 'another-long-password-1', null)
		).rejects.toMatchObject({ code: 'wrong_password' });
		await expect(changePassword(store.db, user, PASSWORD, 'short', null)).rejects.toMatchObject({
			code: 'password_short'
		});
		await changePassword(store.db, user, PASSWORD, 'another-long-password-1', '10.5.0.1');
		expect(await validateSessionToken(store.db, first.token)).toBeNull();
		expect(await validateSessionToken(store.db, second.token)).toBeNull();
		expect((await attempt('dung', PASSWORD, Date.now(), '10.5.0.2')).ok).toBe(false);
		expect((await attempt('dung', 'another-long-password-1', Date.now(), '10.5.0.2')).ok).toBe(
			true
		);
	});

	it('ends every session when an administrator resets the password', async () => {
		const session = await attempt('chi', PASSWORD, Date.now(), '10.6.0.1');
		if (!session.ok) throw new Error('sign-in failed');
		await resetPassword(store.db, 'chi', 'reset-by-the-admin-1', { username: 'admin' });
		expect(await validateSessionToken(store.db, session.token)).toBeNull();
		expect((await attempt('chi', 'reset-by-the-admin-1', Date.now(), '10.6.0.2')).ok).toBe(true);
		expect((await actions('admin')).at(-1)).toBe('user.reset_password');
	});
});
