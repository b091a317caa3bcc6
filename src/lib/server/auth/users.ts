/** Accounts: created, disabled and listed here (CLI `user …` now, the users page later). */
import type { Kysely } from 'kysely';
import { ROLES, type Role } from '../../domain/types';
import type { Database } from '../db/schema';
import { hashPassword, passwordProblem } from './passwords';
import { invalidateUserSessions, localTimestamp, randomId } from './sessions';

/** A request the accounts cannot carry out, in words for the person who made it. */
export class AccountError extends Error {}

export interface UserSummary {
	username: string;
	role: Role;
	unit_code: string;
	disabled: boolean;
	created_at: string;
}

export async function audit(
	db: Kysely<Database>,
	entry: {
		action: string;
		userId?: string | null;
		username?: string | null;
		detail?: unknown;
		ip?: string | null;
	},
	now = Date.now()
): Promise<void> {
	await db
		.insertInto('audit_log')
		.values({
			logged_at: localTimestamp(now),
			user_id: entry.userId ?? null,
			username: entry.username ?? null,
			action: entry.action,
			detail: entry.detail === undefined ? null : JSON.stringify(entry.detail),
			ip: entry.ip ?? null
		})
		.execute();
}

export async function addUser(
	db: Kysely<Database>,
	input: { username: string; role: string; unitCode: string; password: string },
	actor = 'cli'
): Promise<UserSummary> {
	const username = input.username.trim();
	if (!/^[A-Za-z0-9._-]{3,64}$/.test(username)) {
		throw new AccountError('a username has 3 to 64 letters, digits, dots, dashes or underscores');
	}
	if (!(ROLES as readonly string[]).includes(input.role)) {
		throw new AccountError(`unknown role '${input.role}'; expected ${ROLES.join(', ')}`);
	}
	const problem = passwordProblem(input.password);
	if (problem) throw new AccountError(problem);
	const unit = await db
		.selectFrom('unit_versions')
		.select('code')
		.where('code', '=', input.unitCode)
		.executeTakeFirst();
	if (!unit) throw new AccountError(`unknown unit ${input.unitCode}`);
	const existing = await db
		.selectFrom('users')
		.select('id')
		.where('username', '=', username)
		.executeTakeFirst();
	if (existing) throw new AccountError(`the user ${username} already exists`);
	const now = localTimestamp(Date.now());
	const user = {
		id: randomId(),
		username,
		password_hash: await hashPassword(input.password),
		role: input.role as Role,
		unit_code: input.unitCode,
		locale: 'vi' as const,
		disabled: false,
		created_at: now,
		password_changed_at: now
	};
	await db.insertInto('users').values(user).execute();
	await audit(db, {
		action: 'user.create',
		username: actor,
		detail: { username, role: user.role, unit_code: user.unit_code }
	});
	return { username, role: user.role, unit_code: user.unit_code, disabled: false, created_at: now };
}

export async function disableUser(
	db: Kysely<Database>,
	username: string,
	actor = 'cli'
): Promise<void> {
	const user = await db
		.selectFrom('users')
		.select('id')
		.where('username', '=', username)
		.executeTakeFirst();
	if (!user) throw new AccountError(`unknown user ${username}`);
	await db.updateTable('users').set({ disabled: true }).where('id', '=', user.id).execute();
	await invalidateUserSessions(db, user.id);
	await audit(db, { action: 'user.disable', username: actor, detail: { username } });
}

export async function listUsers(db: Kysely<Database>): Promise<UserSummary[]> {
	return db
		.selectFrom('users')
		.select(['username', 'role', 'unit_code', 'disabled', 'created_at'])
		.orderBy('username')
		.execute();
}
