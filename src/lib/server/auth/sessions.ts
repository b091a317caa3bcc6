/**
 * Sessions the way the Lucia session guide builds them: a token is `<id>.<secret>`, both random;
 * only the SHA-256 of the secret is stored and it is compared in constant time, so a leaked
 * database holds no usable token. A session ends after 8 hours without use or 30 days in all, and
 * every session of a user ends when the password changes or the user is disabled.
 */
import { sha256 } from '@oslojs/crypto/sha2';
import { constantTimeEqual } from '@oslojs/crypto/subtle';
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';
import type { Kysely } from 'kysely';
import { vietnamInstant, vietnamTimestamp } from '../../domain/dates';
import type { Database } from '../db/schema';
import { serialWrite } from '../db/writes';

export const INACTIVITY_TIMEOUT_MS = 8 * 60 * 60 * 1000;
export const ABSOLUTE_LIFETIME_MS = 30 * 24 * 60 * 60 * 1000;
/** A session's last use is written at most this often, not on every request. */
const TOUCH_INTERVAL_MS = 60 * 1000;

/** 120 bits of randomness in 24 base32 characters (the guide's recommendation). */
export function randomId(): string {
	const bytes = new Uint8Array(15);
	crypto.getRandomValues(bytes);
	return encodeBase32LowerCaseNoPadding(bytes);
}

export function hashSecret(secret: string): string {
	return encodeHexLowerCase(sha256(new TextEncoder().encode(secret)));
}

export function secretMatches(secret: string, storedHash: string): boolean {
	const given = new TextEncoder().encode(hashSecret(secret));
	const stored = new TextEncoder().encode(storedHash);
	return given.length === stored.length && constantTimeEqual(given, stored);
}

export async function createSession(
	db: Kysely<Database>,
	userId: string,
	now = Date.now()
): Promise<string> {
	const id = randomId();
	const secret = randomId();
	await serialWrite(db, () =>
		db
			.insertInto('sessions')
			.values({
				id,
				user_id: userId,
				secret_hash: hashSecret(secret),
				created_at: vietnamTimestamp(now),
				last_used_at: vietnamTimestamp(now)
			})
			.execute()
	);
	return `${id}.${secret}`;
}

export interface ValidSession {
	sessionId: string;
	userId: string;
}

/** The session a token opens, renewed on use; null for a wrong, expired or revoked token. */
export async function validateSessionToken(
	db: Kysely<Database>,
	token: string,
	now = Date.now()
): Promise<ValidSession | null> {
	const [id, secret] = token.split('.');
	if (!id || !secret) return null;
	const session = await db
		.selectFrom('sessions')
		.innerJoin('users', 'users.id', 'sessions.user_id')
		.select([
			'sessions.id',
			'sessions.user_id',
			'sessions.secret_hash',
			'sessions.created_at',
			'sessions.last_used_at',
			'users.disabled'
		])
		.where('sessions.id', '=', id)
		.executeTakeFirst();
	if (!session || !secretMatches(secret, session.secret_hash)) return null;
	const expired =
		session.disabled ||
		now - vietnamInstant(session.last_used_at) >= INACTIVITY_TIMEOUT_MS ||
		now - vietnamInstant(session.created_at) >= ABSOLUTE_LIFETIME_MS;
	if (expired) {
		await invalidateSession(db, id);
		return null;
	}
	if (!usedWithin(session.last_used_at, now)) {
		await touch(db, 'sessions', id, now);
	}
	return { sessionId: id, userId: session.user_id };
}

/**
 * Records the use of a session or token, once a minute at most: queued, so that of twenty requests
 * arriving together on an idle session the first renews it and the others find it renewed.
 */
export async function touch(
	db: Kysely<Database>,
	table: 'sessions' | 'api_tokens',
	id: string,
	now: number
): Promise<void> {
	const stale = vietnamTimestamp(now - TOUCH_INTERVAL_MS);
	await serialWrite(db, () =>
		db
			.updateTable(table)
			.set({ last_used_at: vietnamTimestamp(now) })
			.where('id', '=', id)
			.where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<=', stale)]))
			.execute()
	);
}

/** Whether a session or token was used less than a minute ago (no need to record this use). */
export function usedWithin(lastUsedAt: string | null, now: number): boolean {
	return lastUsedAt !== null && now - vietnamInstant(lastUsedAt) < TOUCH_INTERVAL_MS;
}

export async function invalidateSession(db: Kysely<Database>, sessionId: string): Promise<void> {
	await serialWrite(db, () => db.deleteFrom('sessions').where('id', '=', sessionId).execute());
}

export async function invalidateUserSessions(db: Kysely<Database>, userId: string): Promise<void> {
	await serialWrite(db, () => db.deleteFrom('sessions').where('user_id', '=', userId).execute());
}
