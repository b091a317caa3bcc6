/**
 * API tokens for programs (a provincial operations centre pulling KPIs): `kpi_<id>.<secret>`,
 * shown once; like sessions, only the SHA-256 of the secret is kept, so the database cannot give
 * a token away. Revocable; the last use is recorded.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { serialWrite } from '../db/writes';
import { vietnamTimestamp } from '../../domain/dates';
import { hashSecret, randomId, secretMatches, touch, usedWithin } from './sessions';
import { AccountError, audit, CLI_ACTOR, normalUsername, type Actor } from './users';

const PREFIX = 'kpi_';

export async function createApiToken(
	db: Kysely<Database>,
	username: string,
	name: string,
	actor: Actor = CLI_ACTOR,
	now = Date.now()
): Promise<string> {
	const label = name.trim();
	if (!label) throw new AccountError('a token needs a name saying what it is for', 'token_name');
	const user = await db
		.selectFrom('users')
		.select(['id', 'disabled'])
		.where('username', '=', normalUsername(username))
		.executeTakeFirst();
	if (!user) throw new AccountError(`unknown user ${username}`, 'unknown_user');
	if (user.disabled) throw new AccountError(`the user ${username} is disabled`, 'disabled');
	const id = randomId();
	const secret = randomId();
	await serialWrite(db, () =>
		db
			.insertInto('api_tokens')
			.values({
				id,
				user_id: user.id,
				name: label,
				secret_hash: hashSecret(secret),
				created_at: vietnamTimestamp(now),
				last_used_at: null,
				revoked_at: null
			})
			.execute()
	);
	await audit(
		db,
		{ action: 'token.create', actor, detail: { token: id, name: label, for: username } },
		now
	);
	return `${PREFIX}${id}.${secret}`;
}

/** The user a bearer token stands for, or null for a wrong, revoked or disabled one. */
export async function validateApiToken(
	db: Kysely<Database>,
	token: string,
	now = Date.now()
): Promise<{ userId: string; tokenId: string } | null> {
	if (!token.startsWith(PREFIX)) return null;
	const [id, secret] = token.slice(PREFIX.length).split('.');
	if (!id || !secret) return null;
	const row = await db
		.selectFrom('api_tokens')
		.innerJoin('users', 'users.id', 'api_tokens.user_id')
		.select([
			'api_tokens.user_id',
			'api_tokens.secret_hash',
			'api_tokens.revoked_at',
			'api_tokens.last_used_at',
			'users.disabled'
		])
		.where('api_tokens.id', '=', id)
		.executeTakeFirst();
	if (!row || row.revoked_at !== null || row.disabled || !secretMatches(secret, row.secret_hash)) {
		return null;
	}
	if (!usedWithin(row.last_used_at, now)) await touch(db, 'api_tokens', id, now);
	return { userId: row.user_id, tokenId: id };
}

/** Revokes a token; false when there is no such unrevoked token. */
export function revokeApiToken(
	db: Kysely<Database>,
	tokenId: string,
	actor: Actor = CLI_ACTOR,
	now = Date.now()
): Promise<boolean> {
	// One queued step: of two requests revoking one token, the second finds it revoked.
	return serialWrite(db, () => revoke(db, tokenId, actor, now));
}

async function revoke(
	db: Kysely<Database>,
	tokenId: string,
	actor: Actor,
	now: number
): Promise<boolean> {
	const token = await db
		.selectFrom('api_tokens')
		.innerJoin('users', 'users.id', 'api_tokens.user_id')
		.select(['api_tokens.name', 'users.username'])
		.where('api_tokens.id', '=', tokenId)
		.where('api_tokens.revoked_at', 'is', null)
		.executeTakeFirst();
	if (!token) return false;
	await db
		.updateTable('api_tokens')
		.set({ revoked_at: vietnamTimestamp(now) })
		.where('id', '=', tokenId)
		.execute();
	await audit(
		db,
		{
			action: 'token.revoke',
			actor,
			detail: { token: tokenId, name: token.name, for: token.username }
		},
		now
	);
	return true;
}

export interface TokenSummary {
	id: string;
	name: string;
	username: string;
	unit_code: string;
	created_at: string;
	last_used_at: string | null;
	revoked_at: string | null;
}

/** Every token with its owner, newest first (never a secret or its hash). */
export async function listApiTokens(db: Kysely<Database>): Promise<TokenSummary[]> {
	return db
		.selectFrom('api_tokens')
		.innerJoin('users', 'users.id', 'api_tokens.user_id')
		.select([
			'api_tokens.id',
			'api_tokens.name',
			'users.username',
			'users.unit_code',
			'api_tokens.created_at',
			'api_tokens.last_used_at',
			'api_tokens.revoked_at'
		])
		.orderBy('api_tokens.created_at', 'desc')
		.execute();
}
