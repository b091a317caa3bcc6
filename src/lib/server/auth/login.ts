/**
 * Signing in and out. A wrong username and a wrong password get the same answer, after the same
 * work (a password hash is verified either way), so neither the message nor the time tells
 * whether an account exists. Every password check is counted before it is made (throttle.ts).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { hashPassword, verifyPassword } from './passwords';
import { createSession, invalidateSession } from './sessions';
import { chargeAttempt, settleSuccess, throttleKeys } from './throttle';
import { audit, normalUsername, sessionUser, type SessionUser } from './users';

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
	const username = normalUsername(input.username);
	const keys = throttleKeys(username, input.ip);
	const actor = { username, ip: input.ip };
	const wait = await chargeAttempt(db, keys, now);
	if (wait > 0) {
		await audit(db, { action: 'login.throttled', actor }, now);
		return { ok: false, reason: 'throttled', retryAfterSeconds: Math.ceil(wait / 1000) };
	}
	const row = await db
		.selectFrom('users')
		.select(['id', 'password_hash', 'disabled'])
		.where('username', '=', username)
		.executeTakeFirst();
	dummyHash ??= hashPassword('a password no account has, for timing');
	const matches = await verifyPassword(row?.password_hash ?? (await dummyHash), input.password);
	const user = row && matches && !row.disabled ? await sessionUser(db, row.id) : null;
	if (!user) {
		await audit(db, { action: 'login.failure', actor: { ...actor, userId: row?.id ?? null } }, now);
		return { ok: false, reason: 'invalid' };
	}
	await settleSuccess(db, keys);
	const token = await createSession(db, user.id, now);
	await audit(db, { action: 'login.success', actor: { ...actor, userId: user.id } }, now);
	return { ok: true, token, user };
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
