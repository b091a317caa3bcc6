/**
 * Signing in and out. A wrong username and a wrong password get the same answer, after the same
 * work (a password hash is verified either way), so neither the message nor the time tells
 * whether an account exists. Every password check is counted before it is made (throttle.ts).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { hashPassword, MAX_PASSWORD_LENGTH, verifyPassword } from './passwords';
import { createSession, invalidateSession } from './sessions';
import { chargeAttempt, releaseAttempt, settleSuccess, throttleKeys } from './throttle';
import { audit, MAX_USERNAME_LENGTH, normalUsername, sessionUser, type SessionUser } from './users';

export type LoginResult =
	| { ok: true; token: string; user: SessionUser }
	| { ok: false; reason: 'invalid' }
	| { ok: false; reason: 'throttled'; retryAfterSeconds: number };

let dummyHash: Promise<string> | undefined;

export async function logIn(
	db: Kysely<Database>,
	input: { username: string; password: string; ip: string | null },
	now = Date.now()
): Promise<LoginResult> {
	// No account has a longer name or password (users.ts, passwords.ts): a longer one is a wrong
	// one, counted under its first characters, so that a megabyte of username is neither stored in
	// the audit log and the counters nor hashed.
	const oversized =
		input.username.length > MAX_USERNAME_LENGTH || input.password.length > MAX_PASSWORD_LENGTH;
	const username = normalUsername(input.username.slice(0, MAX_USERNAME_LENGTH + 1));
	const keys = throttleKeys(username, input.ip);
	const actor = { username, ip: input.ip };
	const wait = await chargeAttempt(db, keys, now);
	if (wait > 0) {
		await audit(db, { action: 'login.throttled', actor }, now);
		return { ok: false, reason: 'throttled', retryAfterSeconds: Math.ceil(wait / 1000) };
	}
	try {
		const row = oversized
			? undefined
			: await db
					.selectFrom('users')
					.select(['id', 'password_hash', 'disabled'])
					.where('username', '=', username)
					.executeTakeFirst();
		dummyHash ??= hashPassword('a password no account has, for timing');
		const password = oversized ? '' : input.password;
		const matches = await verifyPassword(row?.password_hash ?? (await dummyHash), password);
		const user = row && matches && !row.disabled ? await sessionUser(db, row.id) : null;
		if (!user) {
			const userId = row?.id ?? null;
			await audit(db, { action: 'login.failure', actor: { ...actor, userId } }, now);
			return { ok: false, reason: 'invalid' };
		}
		await settleSuccess(db, keys);
		const token = await createSession(db, user.id, now);
		await audit(db, { action: 'login.success', actor: { ...actor, userId: user.id } }, now);
		return { ok: true, token, user };
	} finally {
		releaseAttempt(keys);
	}
}

export async function logOut(
	db: Kysely<Database>,
	sessionId: string,
	user: SessionUser,
	ip: string | null
): Promise<void> {
	await invalidateSession(db, sessionId);
	await audit(db, { action: 'logout', actor: { username: user.username, userId: user.id, ip } });
}
