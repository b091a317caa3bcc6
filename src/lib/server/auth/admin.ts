/**
 * Who may manage which account, for the administration pages (issue 5). An admin manages every
 * account. A reform team manages the accounts of units within its scope (auth/scope.ts) and never
 * an admin's; it cannot make anyone an admin nor move an account out of its scope. An account it
 * may not manage is answered exactly like one that does not exist, so the pages never tell it
 * which usernames exist elsewhere. API tokens and the audit log follow their accounts.
 *
 * The changes themselves are users.ts and tokens.ts: this module only decides, then calls them
 * with the actor, so the audit log records who made each change.
 */
import type { Kysely } from 'kysely';
import { MANAGING_ROLES, ROLES, type Principal, type Role } from '../../domain/types';
import type { Database } from '../db/schema';
import { vietnamToday } from '../../domain/dates';
import { successorsOf } from '../units/lineage';
import { scopeOf, type Scope } from './scope';
import { createApiToken, listApiTokens, revokeApiToken, type TokenSummary } from './tokens';
import {
	AccountError,
	addUser,
	normalUsername,
	resetPassword,
	updateUser,
	type AccountProblem,
	type Actor,
	type SessionUser,
	type UserSummary
} from './users';

/** Refusals of the administration pages beyond the account rules of users.ts. */
export type AdminProblem =
	| AccountProblem
	/** Your own account is changed on the account page, where the current password is asked. */
	| 'self'
	| 'unknown_token';

export class AdminError extends Error {
	constructor(
		message: string,
		readonly code: AdminProblem
	) {
		super(message);
	}
}

/** The code a page can show for a refused request, or null for an error that is a bug. */
export function adminProblem(error: unknown): AdminProblem | null {
	return error instanceof AccountError || error instanceof AdminError ? error.code : null;
}

export interface ManagedUser {
	username: string;
	role: Role;
	unitCode: string;
	/** The name of the unit's latest version the manager may see; null if the code has none. */
	unitName: string | null;
	disabled: boolean;
	createdAt: string;
	/** The account's unit no longer exists today: its last day, and what it became (those in scope). */
	unitEnded: EndedUnit | null;
}

export interface EndedUnit {
	lastDay: string;
	became: { code: string; name: string }[];
}

export interface UnitChoice {
	code: string;
	name: string;
	/** No version the manager may see is valid today: the picker says so beside the name. */
	ended: boolean;
}

interface UnitVersionName {
	id: number;
	code: string;
	name: string;
	valid_from: string | null;
	valid_to: string | null;
}

interface Account extends UserSummary {
	id: string;
}

/** The scope of a manager; anyone else reaching here is a routing bug, not a refusal. */
export async function managerScope(db: Kysely<Database>, principal: Principal): Promise<Scope> {
	if (!MANAGING_ROLES.includes(principal.role)) {
		throw new Error(`the role ${principal.role} does not manage accounts`);
	}
	return scopeOf(db, principal);
}

async function versionsByCode(
	db: Kysely<Database>,
	codes?: readonly string[]
): Promise<Map<string, UnitVersionName[]>> {
	if (codes?.length === 0) return new Map();
	let query = db
		.selectFrom('unit_versions')
		.select(['id', 'code', 'name', 'valid_from', 'valid_to']);
	if (codes) query = query.where('code', 'in', codes);
	const byCode = new Map<string, UnitVersionName[]>();
	for (const version of await query.execute()) {
		byCode.set(version.code, [...(byCode.get(version.code) ?? []), version]);
	}
	return byCode;
}

/** A code is in scope when at least one of its versions is (codes are reused across reforms). */
function visibleVersions(scope: Scope, versions: readonly UnitVersionName[]): UnitVersionName[] {
	return scope.all ? [...versions] : versions.filter((v) => scope.versions.has(v.id));
}

function latestName(versions: readonly UnitVersionName[]): string | null {
	const latest = versions.reduce<UnitVersionName | null>(
		(best, v) => (best === null || (v.valid_from ?? '') > (best.valid_from ?? '') ? v : best),
		null
	);
	return latest?.name ?? null;
}

/**
 * The latest name of each code that the principal may see, to show units by name where they are
 * stored by code (the account page, the audit log's details); a code out of scope has none.
 */
export async function visibleUnitNames(
	db: Kysely<Database>,
	principal: Principal,
	codes: readonly string[]
): Promise<Map<string, string>> {
	const scope = await scopeOf(db, principal);
	const names = new Map<string, string>();
	for (const [code, versions] of await versionsByCode(db, [...new Set(codes)])) {
		const name = latestName(visibleVersions(scope, versions));
		if (name !== null) names.set(code, name);
	}
	return names;
}

function mayManage(
	principal: Principal,
	scope: Scope,
	account: { role: Role },
	versions: readonly UnitVersionName[]
): boolean {
	if (principal.role === 'admin') return true;
	return account.role !== 'admin' && visibleVersions(scope, versions).length > 0;
}

export async function manageableAccounts(
	db: Kysely<Database>,
	principal: Principal,
	username?: string,
	today = vietnamToday()
): Promise<{ account: Account; unitName: string | null; unitEnded: EndedUnit | null }[]> {
	const scope = await managerScope(db, principal);
	let query = db
		.selectFrom('users')
		.select(['id', 'username', 'role', 'unit_code', 'disabled', 'created_at'])
		.orderBy('username');
	if (username !== undefined) query = query.where('username', '=', normalUsername(username));
	const accounts = await query.execute();
	const versions = await versionsByCode(db, [...new Set(accounts.map((a) => a.unit_code))]);
	const managed = accounts.flatMap((account) => {
		const own = versions.get(account.unit_code) ?? [];
		return mayManage(principal, scope, account, own)
			? [{ account, unitName: latestName(visibleVersions(scope, own)), own }]
			: [];
	});
	return Promise.all(
		managed.map(async ({ account, unitName, own }) => ({
			account,
			unitName,
			unitEnded: await endedUnit(db, scope, visibleVersions(scope, own), today)
		}))
	);
}

/** The version is valid on `day` (bounds inclusive, NULL open: units/validity.ts in SQL). */
const validOn = (day: string) => (v: UnitVersionName) =>
	(v.valid_from === null || v.valid_from <= day) && (v.valid_to === null || v.valid_to >= day);

/**
 * A unit code none of whose versions is valid today has ended (issue 14: an account bound to it
 * sees only history): its latest version's last day, and the units that version became, named
 * only when in the manager's scope.
 */
async function endedUnit(
	db: Kysely<Database>,
	scope: Scope,
	versions: readonly UnitVersionName[],
	today: string
): Promise<EndedUnit | null> {
	if (versions.length === 0) return null;
	const valid = (v: UnitVersionName) =>
		(v.valid_from === null || v.valid_from <= today) &&
		(v.valid_to === null || v.valid_to >= today);
	if (versions.some(valid)) return null;
	const latest = versions.reduce((best, v) =>
		(v.valid_to ?? '9999-12-31') > (best.valid_to ?? '9999-12-31') ? v : best
	);
	// Only a version that is over, not one yet to begin.
	if (latest.valid_to === null || latest.valid_to >= today) return null;
	const became = (await successorsOf(db, latest.id))
		.filter((u) => scope.all || scope.versions.has(u.id))
		.map((u) => ({ code: u.code, name: u.name }));
	return { lastDay: latest.valid_to, became };
}

const toManagedUser = ({
	account,
	unitName,
	unitEnded
}: {
	account: Account;
	unitName: string | null;
	unitEnded: EndedUnit | null;
}): ManagedUser => ({
	username: account.username,
	role: account.role,
	unitCode: account.unit_code,
	unitName,
	disabled: account.disabled,
	createdAt: account.created_at,
	unitEnded
});

/** The accounts the principal may manage, by username. */
export async function manageableUsers(
	db: Kysely<Database>,
	principal: Principal
): Promise<ManagedUser[]> {
	return (await manageableAccounts(db, principal)).map(toManagedUser);
}

/** The account if the principal may manage it; otherwise the same refusal as an unknown user. */
export async function assertCanManage(
	db: Kysely<Database>,
	principal: Principal,
	username: string
): Promise<ManagedUser> {
	const [found] = await manageableAccounts(db, principal, username);
	if (!found) throw new AccountError(`unknown user ${username}`, 'unknown_user');
	return toManagedUser(found);
}

/**
 * A role and unit the principal may give. A unit outside the scope is refused like an unknown
 * one, so a reform team cannot probe which codes exist elsewhere.
 */
export async function assertCanAssign(
	db: Kysely<Database>,
	principal: Principal,
	assignment: { role?: string; unitCode?: string }
): Promise<void> {
	const scope = await managerScope(db, principal);
	if (scope.all) return;
	if (assignment.role === 'admin') {
		throw new AccountError('only an admin can make an account admin', 'role');
	}
	if (assignment.unitCode !== undefined) {
		const versions = (await versionsByCode(db, [assignment.unitCode])).get(assignment.unitCode);
		if (visibleVersions(scope, versions ?? []).length === 0) {
			throw new AccountError(`unknown unit ${assignment.unitCode}`, 'unit');
		}
	}
}

/** The roles the principal may give, for the pages' role pickers (assertCanAssign decides). */
export function grantableRoles(principal: Principal): Role[] {
	return ROLES.filter((role) => principal.role === 'admin' || role !== 'admin');
}

/** The signed-in user as the audit log names who made a change. */
export function actorOf(user: SessionUser, ip: string | null): Actor {
	return { username: user.username, userId: user.id, ip };
}

/** The units the principal may bind an account to, by code, for the pages' unit pickers. */
export async function assignableUnits(
	db: Kysely<Database>,
	principal: Principal,
	today = vietnamToday()
): Promise<UnitChoice[]> {
	const scope = await managerScope(db, principal);
	const choices: UnitChoice[] = [];
	for (const [code, versions] of await versionsByCode(db)) {
		const visible = visibleVersions(scope, versions);
		const name = latestName(visible);
		if (name !== null) choices.push({ code, name, ended: !visible.some(validOn(today)) });
	}
	return choices.sort((a, b) => a.code.localeCompare(b.code));
}

function refuseSelf(principal: Principal, username: string): void {
	if (normalUsername(username) === principal.username) {
		throw new AdminError('change your own account on the account page', 'self');
	}
}

export async function createManagedUser(
	db: Kysely<Database>,
	principal: Principal,
	input: { username: string; role: string; unitCode: string; password: string },
	actor: Actor
): Promise<ManagedUser> {
	await assertCanAssign(db, principal, input);
	const created = await addUser(db, input, actor);
	return assertCanManage(db, principal, created.username);
}

/** Role, unit or the disabled flag of another account the principal manages. */
export async function updateManagedUser(
	db: Kysely<Database>,
	principal: Principal,
	username: string,
	change: { role?: string; unitCode?: string; disabled?: boolean },
	actor: Actor
): Promise<void> {
	await assertCanManage(db, principal, username);
	refuseSelf(principal, username);
	await assertCanAssign(db, principal, change);
	await updateUser(db, username, change, actor);
}

export async function resetManagedPassword(
	db: Kysely<Database>,
	principal: Principal,
	username: string,
	password: string,
	actor: Actor
): Promise<void> {
	await assertCanManage(db, principal, username);
	refuseSelf(principal, username);
	await resetPassword(db, username, password, actor);
}

/** The tokens of the accounts the principal manages, newest first. */
export async function manageableTokens(
	db: Kysely<Database>,
	principal: Principal
): Promise<TokenSummary[]> {
	const usernames = new Set(
		(await manageableAccounts(db, principal)).map((a) => a.account.username)
	);
	return (await listApiTokens(db)).filter((token) => usernames.has(token.username));
}

/** A token for an account the principal manages (its own included); returned once, never stored. */
export async function createManagedToken(
	db: Kysely<Database>,
	principal: Principal,
	username: string,
	name: string,
	actor: Actor
): Promise<string> {
	await assertCanManage(db, principal, username);
	return createApiToken(db, username, name, actor);
}

/** Revokes a live token of a managed account; any other id is refused as unknown. */
export async function revokeManagedToken(
	db: Kysely<Database>,
	principal: Principal,
	tokenId: string,
	actor: Actor
): Promise<void> {
	const visible = (await manageableTokens(db, principal)).some(
		(token) => token.id === tokenId && token.revoked_at === null
	);
	if (!visible || !(await revokeApiToken(db, tokenId, actor))) {
		throw new AdminError(`no live token ${tokenId}`, 'unknown_token');
	}
}
