/**
 * Accounts: created, changed, disabled and listed here, by the CLI (`user …`), the demo and the
 * users page alike; every change is written to the audit log with who made it.
 */
import type { Kysely } from 'kysely';
import { ROLES, type Principal, type Role } from '../../domain/types';
import type { Database } from '../db/schema';
import { serialWrite } from '../db/writes';
import { hashPassword, MAX_PASSWORD_LENGTH, passwordProblem, verifyPassword } from './passwords';
import { vietnamTimestamp } from '../../domain/dates';
import { invalidateUserSessions, randomId } from './sessions';
import { chargeAttempt, releaseAttempt, settleSuccess, throttleKeys } from './throttle';

/** Why an account request was refused; `code` lets a page say it in the user's language. */
export type AccountProblem =
	| 'username'
	| 'role'
	| 'password_short'
	| 'password_long'
	| 'password_control'
	| 'password_common'
	| 'unit'
	| 'taken'
	| 'unknown_user'
	| 'disabled'
	| 'wrong_password'
	| 'throttled'
	| 'token_name';

/** A request the accounts cannot carry out, in words for the person who made it. */
export class AccountError extends Error {
	constructor(
		message: string,
		readonly code: AccountProblem
	) {
		super(message);
	}
}

/** Who made a change, for the audit log: a signed-in user, the CLI operator, the demo. */
export interface Actor {
	username: string;
	userId?: string | null;
	ip?: string | null;
}

export const CLI_ACTOR: Actor = { username: 'cli' };

export interface UserSummary {
	username: string;
	role: Role;
	unit_code: string;
	disabled: boolean;
	created_at: string;
}

/** A signed-in user as the rest of the app sees it. */
export interface SessionUser extends Principal {
	id: string;
	locale: 'vi' | 'en';
}

export async function audit(
	db: Kysely<Database>,
	entry: { action: string; actor: Actor; detail?: unknown },
	now = Date.now()
): Promise<void> {
	await serialWrite(db, () =>
		db
			.insertInto('audit_log')
			.values({
				logged_at: vietnamTimestamp(now),
				user_id: entry.actor.userId ?? null,
				username: entry.actor.username,
				action: entry.action,
				detail: entry.detail === undefined ? null : JSON.stringify(entry.detail),
				ip: entry.actor.ip ?? null
			})
			.execute()
	);
}

/**
 * Usernames are case-insensitive (issue 10: `ADMIN` beside `admin` shared a throttle counter but
 * not an account): stored and looked up in lower case.
 */
export const normalUsername = (username: string) => username.trim().toLowerCase();

/** A username has 3 to 64 letters, digits, dots, dashes or underscores (addUser). */
export const MAX_USERNAME_LENGTH = 64;

function checkPassword(password: string): void {
	const problem = passwordProblem(password);
	if (problem) {
		throw new AccountError(
			problem,
			problem.includes('common')
				? 'password_common'
				: problem.includes('control')
					? 'password_control'
					: problem.includes('at most')
						? 'password_long'
						: 'password_short'
		);
	}
}

function checkRole(role: string): asserts role is Role {
	if (!(ROLES as readonly string[]).includes(role)) {
		throw new AccountError(`unknown role '${role}'; expected ${ROLES.join(', ')}`, 'role');
	}
}

async function checkUnit(db: Kysely<Database>, unitCode: string): Promise<void> {
	const unit = await db
		.selectFrom('unit_versions')
		.select('code')
		.where('code', '=', unitCode)
		.executeTakeFirst();
	if (!unit) throw new AccountError(`unknown unit ${unitCode}`, 'unit');
}

async function userNamed(db: Kysely<Database>, username: string) {
	const user = await db
		.selectFrom('users')
		.selectAll()
		.where('username', '=', normalUsername(username))
		.executeTakeFirst();
	if (!user) throw new AccountError(`unknown user ${username}`, 'unknown_user');
	return user;
}

export async function addUser(
	db: Kysely<Database>,
	input: { username: string; role: string; unitCode: string; password: string },
	actor: Actor = CLI_ACTOR
): Promise<UserSummary> {
	const username = normalUsername(input.username);
	if (username.length > MAX_USERNAME_LENGTH || !/^[a-z0-9._-]{3,}$/.test(username)) {
		throw new AccountError(
			'a username has 3 to 64 letters, digits, dots, dashes or underscores',
			'username'
		);
	}
	checkRole(input.role);
	checkPassword(input.password);
	await checkUnit(db, input.unitCode);
	const now = vietnamTimestamp(Date.now());
	const user = {
		id: randomId(),
		username,
		password_hash: await hashPassword(input.password),
		role: input.role,
		unit_code: input.unitCode,
		locale: 'vi' as const,
		disabled: false,
		created_at: now,
		password_changed_at: now
	};
	// Checked and written in one queued step: two requests adding one name cannot both pass.
	await serialWrite(db, async () => {
		const existing = await db
			.selectFrom('users')
			.select('id')
			.where('username', '=', username)
			.executeTakeFirst();
		if (existing) throw new AccountError(`the user ${username} already exists`, 'taken');
		await db.insertInto('users').values(user).execute();
		await audit(db, {
			action: 'user.create',
			actor,
			detail: { username, role: user.role, unit_code: user.unit_code }
		});
	});
	return { username, role: user.role, unit_code: user.unit_code, disabled: false, created_at: now };
}

export async function disableUser(
	db: Kysely<Database>,
	username: string,
	actor: Actor = CLI_ACTOR
): Promise<void> {
	await updateUser(db, username, { disabled: true }, actor);
}

/** Changes role, unit or the disabled flag; disabling ends every session at once. */
export async function updateUser(
	db: Kysely<Database>,
	username: string,
	change: { role?: string; unitCode?: string; disabled?: boolean },
	actor: Actor = CLI_ACTOR
): Promise<void> {
	const user = await userNamed(db, username);
	if (change.role !== undefined) checkRole(change.role);
	if (change.unitCode !== undefined) await checkUnit(db, change.unitCode);
	const set = {
		...(change.role !== undefined && { role: change.role as Role }),
		...(change.unitCode !== undefined && { unit_code: change.unitCode }),
		...(change.disabled !== undefined && { disabled: change.disabled })
	};
	const changed = Object.entries(set).filter(
		([column, value]) => user[column as keyof typeof set] !== value
	);
	if (changed.length === 0) return;
	await serialWrite(db, async () => {
		await db.updateTable('users').set(set).where('id', '=', user.id).execute();
		// A disabled account's sessions end, and its tokens are revoked for good: enabling it again
		// does not bring back a token that may have leaked with the account.
		if (change.disabled) {
			await invalidateUserSessions(db, user.id);
			await revokeUserTokens(db, user.id);
		}
	});
	const action =
		change.disabled === true && !user.disabled
			? 'user.disable'
			: change.disabled === false && user.disabled
				? 'user.enable'
				: 'user.update';
	await audit(db, { action, actor, detail: { username, ...Object.fromEntries(changed) } });
}

/**
 * An administrator sets a new password, the recovery after a compromise: every session of the
 * user ends and every API token of the account is revoked.
 */
export async function resetPassword(
	db: Kysely<Database>,
	username: string,
	password: string,
	actor: Actor = CLI_ACTOR
): Promise<void> {
	const user = await userNamed(db, username);
	checkPassword(password);
	await setPassword(db, user.id, password);
	await revokeUserTokens(db, user.id);
	await audit(db, { action: 'user.reset_password', actor, detail: { username } });
}

/**
 * The user changes their own password, proving the current one: every session ends. The API
 * tokens of the account stay (they belong to programs, which a routine change should not stop;
 * after a suspected compromise an administrator's reset revokes them). The current password is a
 * guess like a sign-in's, counted and throttled on the same counters.
 */
export async function changePassword(
	db: Kysely<Database>,
	user: SessionUser,
	current: string,
	next: string,
	ip: string | null
): Promise<void> {
	const keys = throttleKeys(user.username, ip);
	if ((await chargeAttempt(db, keys)) > 0) {
		throw new AccountError('too many wrong passwords; try again later', 'throttled');
	}
	try {
		const stored = await db
			.selectFrom('users')
			.select('password_hash')
			.where('id', '=', user.id)
			.executeTakeFirstOrThrow();
		const given = current.length > MAX_PASSWORD_LENGTH ? '' : current;
		if (!(await verifyPassword(stored.password_hash, given))) {
			await audit(db, {
				action: 'user.change_password_failure',
				actor: { username: user.username, userId: user.id, ip }
			});
			throw new AccountError('the current password is wrong', 'wrong_password');
		}
		await settleSuccess(db, keys);
	} finally {
		releaseAttempt(keys);
	}
	checkPassword(next);
	await setPassword(db, user.id, next);
	await audit(db, {
		action: 'user.change_password',
		actor: { username: user.username, userId: user.id, ip }
	});
}

async function setPassword(db: Kysely<Database>, userId: string, password: string): Promise<void> {
	const passwordHash = await hashPassword(password);
	await serialWrite(db, async () => {
		await db
			.updateTable('users')
			.set({ password_hash: passwordHash, password_changed_at: vietnamTimestamp(Date.now()) })
			.where('id', '=', userId)
			.execute();
		await invalidateUserSessions(db, userId);
	});
}

async function revokeUserTokens(db: Kysely<Database>, userId: string): Promise<void> {
	await serialWrite(db, () =>
		db
			.updateTable('api_tokens')
			.set({ revoked_at: vietnamTimestamp(Date.now()) })
			.where('user_id', '=', userId)
			.where('revoked_at', 'is', null)
			.execute()
	);
}

export async function setLocale(
	db: Kysely<Database>,
	userId: string,
	locale: 'vi' | 'en'
): Promise<void> {
	await serialWrite(db, () =>
		db.updateTable('users').set({ locale }).where('id', '=', userId).execute()
	);
}

export async function sessionUser(
	db: Kysely<Database>,
	userId: string
): Promise<SessionUser | null> {
	const row = await db
		.selectFrom('users')
		.select(['id', 'username', 'role', 'unit_code', 'locale', 'disabled'])
		.where('id', '=', userId)
		.executeTakeFirst();
	if (!row || row.disabled) return null;
	return {
		id: row.id,
		username: row.username,
		role: row.role,
		unitCode: row.unit_code,
		locale: row.locale
	};
}

export async function listUsers(db: Kysely<Database>): Promise<UserSummary[]> {
	return db
		.selectFrom('users')
		.select(['username', 'role', 'unit_code', 'disabled', 'created_at'])
		.orderBy('username')
		.execute();
}
