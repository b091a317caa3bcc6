import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../import/run';
import { tempStore, UNITS_CSV, type TempStore } from '../testing/fixtures';
import { hashPassword, passwordProblem, verifyPassword } from './passwords';
import {
	ABSOLUTE_LIFETIME_MS,
	createSession,
	INACTIVITY_TIMEOUT_MS,
	invalidateSession,
	validateSessionToken
} from './sessions';
import { createApiToken, revokeApiToken, validateApiToken } from './tokens';
import { logIn } from './login';
import {
	AccountError,
	addUser,
	changePassword,
	CLI_ACTOR,
	disableUser,
	listUsers,
	resetPassword,
	sessionUser,
	updateUser
} from './users';

let store: TempStore;
const PASSWORD = 'một-mật-khẩu-dài-2026';
const HOUR = 60 * 60 * 1000;
const T0 = Date.parse('2026-11-23T01:00:00Z');

beforeAll(async () => {
	store = await tempStore();
	await importFile(store.db, 'units', store.file('u.csv', UNITS_CSV));
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

describe('passwords', () => {
	it('refuses a password under 12 characters and the most common ones', () => {
		expect(passwordProblem('ngắn-quá')).toBe('the password must have at least 12 characters');
		expect(passwordProblem('123456789012')).toBe(
			'this password is among the most common ones; choose another'
		);
		expect(passwordProblem('aaaaaaaaaaaaaa')).toBe(
			'this password is among the most common ones; choose another'
		);
		expect(passwordProblem(PASSWORD)).toBeNull();
	});

	it('hashes with argon2id and verifies only the right password', async () => {
		const hash = await hashPassword(PASSWORD);
		expect(hash.startsWith('$argon2id$')).toBe(true);
		expect(await verifyPassword(hash, PASSWORD)).toBe(true);
		expect(await verifyPassword(hash, `${PASSWORD}x`)).toBe(false);
		expect(await verifyPassword('not a hash', PASSWORD)).toBe(false);
	});
});

describe('accounts', () => {
	it('adds a user bound to a unit, never storing the password, and logs it', async () => {
		await addUser(store.db, {
			username: 'canloc.head',
			role: 'unit_head',
			unitCode: '443',
			password: PASSWORD
		});
		expect(await listUsers(store.db)).toMatchObject([
			{ username: 'canloc.head', role: 'unit_head', unit_code: '443', disabled: false }
		]);
		const { rows } = await sql<{ n: number }>`SELECT count(*) AS n FROM users
			WHERE password_hash LIKE ${'%' + PASSWORD + '%'}`.execute(store.db);
		expect(rows[0].n).toBe(0);
		const log = await store.db.selectFrom('audit_log').select(['action', 'detail']).execute();
		expect(log).toEqual([
			{
				action: 'user.create',
				detail: '{"username":"canloc.head","role":"unit_head","unit_code":"443"}'
			}
		]);
	});

	it('refuses an unknown role, an unknown unit, a weak password and a taken username', async () => {
		const add = (over: Partial<Parameters<typeof addUser>[1]>) =>
			addUser(store.db, {
				username: 'new.user',
				role: 'leader',
				unitCode: '42',
				password: PASSWORD,
				...over
			});
		await expect(add({ role: 'king' })).rejects.toThrow(
			"unknown role 'king'; expected admin, reform_team, leader, unit_head"
		);
		await expect(add({ unitCode: '99999' })).rejects.toThrow('unknown unit 99999');
		await expect(add({ password: 'short' })).rejects.toThrow(AccountError);
		await expect(add({ username: 'canloc.head' })).rejects.toThrow(
			'the user canloc.head already exists'
		);
	});
});

describe('sessions', () => {
	it('opens a session with a token of id and secret, storing only the secret hash', async () => {
		const token = await createSession(store.db, await userId('canloc.head'), T0);
		const [id, secret] = token.split('.');
		expect(id).toHaveLength(24);
		expect(secret).toHaveLength(24);
		const stored = await store.db
			.selectFrom('sessions')
			.selectAll()
			.where('id', '=', id)
			.executeTakeFirstOrThrow();
		expect(stored.secret_hash).toHaveLength(64);
		expect(stored.secret_hash).not.toContain(secret);
		expect(await validateSessionToken(store.db, token, T0 + HOUR)).toMatchObject({ sessionId: id });
		expect(await validateSessionToken(store.db, `${id}.wrongsecretwrongsecret00`, T0)).toBeNull();
	});

	it('renews a session on use and ends it after 8 hours without use', async () => {
		const token = await createSession(store.db, await userId('canloc.head'), T0);
		// Used every 7 hours, it lives on past 8 hours from its start.
		expect(await validateSessionToken(store.db, token, T0 + 7 * HOUR)).not.toBeNull();
		expect(await validateSessionToken(store.db, token, T0 + 14 * HOUR)).not.toBeNull();
		expect(
			await validateSessionToken(store.db, token, T0 + 14 * HOUR + INACTIVITY_TIMEOUT_MS)
		).toBeNull();
		// Once ended, it stays ended.
		expect(await validateSessionToken(store.db, token, T0 + 15 * HOUR)).toBeNull();
	});

	it('ends a session after 30 days however often it is used', async () => {
		const token = await createSession(store.db, await userId('canloc.head'), T0);
		for (let t = T0; t < T0 + ABSOLUTE_LIFETIME_MS - 6 * HOUR; t += 6 * HOUR) {
			expect(await validateSessionToken(store.db, token, t)).not.toBeNull();
		}
		expect(await validateSessionToken(store.db, token, T0 + ABSOLUTE_LIFETIME_MS)).toBeNull();
	});

	it('makes a stolen token useless after logout', async () => {
		const token = await createSession(store.db, await userId('canloc.head'), T0);
		await invalidateSession(store.db, token.split('.')[0]);
		expect(await validateSessionToken(store.db, token, T0 + HOUR)).toBeNull();
	});

	it('ends every session of a user who is disabled', async () => {
		const first = await createSession(store.db, await userId('canloc.head'), T0);
		const second = await createSession(store.db, await userId('canloc.head'), T0);
		await disableUser(store.db, 'canloc.head');
		expect(await validateSessionToken(store.db, first, T0 + HOUR)).toBeNull();
		expect(await validateSessionToken(store.db, second, T0 + HOUR)).toBeNull();
		expect((await listUsers(store.db))[0].disabled).toBe(true);
		// A new session of a disabled user opens nothing either.
		const third = await createSession(store.db, await userId('canloc.head'), T0);
		expect(await validateSessionToken(store.db, third, T0 + HOUR)).toBeNull();
	});
});

describe('API tokens', () => {
	it('creates a token shown once, keeps only its hash, and opens nothing once revoked', async () => {
		await addUser(store.db, {
			username: 'ioc.reader',
			role: 'leader',
			unitCode: '42',
			password: PASSWORD
		});
		const token = await createApiToken(store.db, 'ioc.reader', 'Trung tâm IOC', CLI_ACTOR, T0);
		expect(token).toMatch(/^kpi_[a-z2-7]{24}\.[a-z2-7]{24}$/);
		const secret = token.split('.')[1];
		const stored = await store.db.selectFrom('api_tokens').selectAll().execute();
		expect(stored.map((t) => [t.name, t.secret_hash.includes(secret), t.last_used_at])).toEqual([
			['Trung tâm IOC', false, null]
		]);
		const valid = await validateApiToken(store.db, token, T0 + HOUR);
		expect(valid).toEqual({ userId: await userId('ioc.reader'), tokenId: stored[0].id });
		expect(
			(await store.db.selectFrom('api_tokens').select('last_used_at').executeTakeFirstOrThrow())
				.last_used_at
		).toBe('2026-11-23T09:00:00');
		// The last character changed to another one: 'a' only when it was not 'a' already.
		const forged = token.slice(0, -1) + (token.endsWith('a') ? 'b' : 'a');
		expect(await validateApiToken(store.db, forged, T0)).toBeNull();
		await revokeApiToken(store.db, stored[0].id);
		expect(await validateApiToken(store.db, token, T0 + 2 * HOUR)).toBeNull();
	});

	it('refuses a token for an unknown or disabled user', async () => {
		await expect(createApiToken(store.db, 'nobody', 'x')).rejects.toThrow('unknown user nobody');
		await expect(createApiToken(store.db, 'canloc.head', 'x')).rejects.toThrow(
			'the user canloc.head is disabled'
		);
	});
});

describe('usernames', () => {
	it('are case-insensitive: ADMIN is refused beside admin, and signs in as admin', async () => {
		await addUser(store.db, {
			username: 'Thu.Trang',
			role: 'leader',
			unitCode: '42',
			password: PASSWORD
		});
		await expect(
			addUser(store.db, {
				username: 'THU.TRANG',
				role: 'leader',
				unitCode: '42',
				password: PASSWORD
			})
		).rejects.toMatchObject({ code: 'taken' });
		expect((await listUsers(store.db)).filter((u) => u.username.startsWith('thu'))).toMatchObject([
			{ username: 'thu.trang' }
		]);
		const result = await logIn(store.db, { username: ' THU.trang ', password: PASSWORD, ip: null });
		expect(result.ok && result.user.username).toBe('thu.trang');
	});
});

describe('API tokens follow their account', () => {
	it('are revoked by an administrator’s password reset, the recovery after a compromise', async () => {
		await addUser(store.db, {
			username: 'ioc.two',
			role: 'leader',
			unitCode: '42',
			password: PASSWORD
		});
		const token = await createApiToken(store.db, 'ioc.two', 'IOC', CLI_ACTOR, T0);
		expect(await validateApiToken(store.db, token, T0)).not.toBeNull();
		await resetPassword(store.db, 'ioc.two', 'đặt-lại-bởi-quản-trị-2026', { username: 'admin' });
		expect(await validateApiToken(store.db, token, T0 + HOUR)).toBeNull();
	});

	it('stay revoked when a disabled account is enabled again', async () => {
		await addUser(store.db, {
			username: 'ioc.three',
			role: 'leader',
			unitCode: '42',
			password: PASSWORD
		});
		const token = await createApiToken(store.db, 'ioc.three', 'IOC', CLI_ACTOR, T0);
		await disableUser(store.db, 'ioc.three');
		await updateUser(store.db, 'ioc.three', { disabled: false });
		expect(await validateApiToken(store.db, token, T0 + HOUR)).toBeNull();
	});

	it('survive the user’s own password change, which ends the sessions only', async () => {
		await addUser(store.db, {
			username: 'ioc.four',
			role: 'leader',
			unitCode: '42',
			password: PASSWORD
		});
		const token = await createApiToken(store.db, 'ioc.four', 'IOC', CLI_ACTOR, T0);
		const user = (await sessionUser(store.db, await userId('ioc.four')))!;
		await changePassword(store.db, user, PASSWORD, 'mật-khẩu-mới-dài-2026', null);
		expect(await validateApiToken(store.db, token, T0 + HOUR)).not.toBeNull();
	});
});
