/**
 * What a principal may see: the one place that decides (issue 5). Every page, endpoint, export
 * and command asks `canSee` / `visibleUnit` before it reads a unit's data.
 *
 * A scope is a set of unit versions:
 *  - every version of the principal's unit code, and their subtrees (the closure table);
 *  - its lineage across a reorganisation (unit_lineage): the units formed from a unit of that
 *    subtree (so a district head whose district was dissolved on 1 July 2025 keeps seeing the
 *    communes its communes became), and the units a unit of that subtree was formed from (so a
 *    new commune's chairman sees the history of its territory), with their subtrees.
 * Lineage is followed one step, from the subtree itself: the successors' other predecessors are
 * not added. An admin sees everything.
 */
import { sql, type Kysely } from 'kysely';
import type { DateRange } from '../../domain/periods';
import { MANAGING_ROLES, type Principal } from '../../domain/types';
import { remember, versionOf, type DataVersion } from '../db/cache';
import { lineageSteps } from '../units/lineage';
import { KpiQueryError, resolveUnit, type UnitVersionRef } from '../units/versions';
import type { Database } from '../db/schema';

/**
 * The CLI's principal. Commands reach the data either with the file itself or through the
 * server's control socket, which only the account that owns the database file can open (mode
 * 0600): whoever runs them can already read every byte, so they act as an administrator.
 */
export const OPERATOR: Principal = { username: 'cli', role: 'admin', unitCode: '' };

export type Scope = { all: true } | { all: false; versions: ReadonlySet<number> };

/** The unit is outside the principal's scope, or does not exist: both are answered 404. */
export class OutOfScope extends Error {
	constructor() {
		super('not found');
	}
}

export async function scopeOf(
	db: Kysely<Database>,
	principal: Principal,
	version?: DataVersion
): Promise<Scope> {
	if (principal.role === 'admin') return { all: true };
	return remember(db, `scope|${await versionOf(db, version)}|${principal.unitCode}`, async () => ({
		all: false as const,
		versions: new Set(await scopeVersions(db, principal.unitCode))
	}));
}

async function scopeVersions(db: Kysely<Database>, unitCode: string): Promise<number[]> {
	const { rows } = await sql<{ id: number }>`
		WITH base AS (
			SELECT DISTINCT c.descendant_id AS id
			FROM unit_versions own JOIN unit_closure c ON c.ancestor_id = own.id
			WHERE own.code = ${unitCode}
		),
		steps AS (${lineageSteps}),
		linked AS (
			SELECT new_id AS id FROM steps WHERE old_id IN (SELECT id FROM base)
			UNION SELECT old_id FROM steps WHERE new_id IN (SELECT id FROM base)
		)
		SELECT id FROM base
		UNION SELECT c.descendant_id FROM unit_closure c JOIN linked ON c.ancestor_id = linked.id
		ORDER BY id`.execute(db);
	return rows.map((r) => r.id);
}

/** The one check: may this principal see this unit version? */
export async function canSee(
	db: Kysely<Database>,
	principal: Principal,
	unitVersionId: number,
	version?: DataVersion
): Promise<boolean> {
	return inScope(await scopeOf(db, principal, version), unitVersionId);
}

/** The same check on a scope already looked up (a list of units checked one by one). */
export const inScope = (scope: Scope, unitVersionId: number): boolean =>
	scope.all || scope.versions.has(unitVersionId);

/**
 * The version a code names in the period, if the principal may see it; otherwise OutOfScope, so
 * that an unknown code and a code outside the scope get the same answer. A question about a
 * visible code that cannot be answered (not valid in the period) keeps its KpiQueryError, unless
 * its message would name a version the principal may not see.
 */
export async function visibleUnit(
	db: Kysely<Database>,
	principal: Principal,
	code: string,
	period: DateRange,
	version?: DataVersion
): Promise<UnitVersionRef> {
	const scope = await scopeOf(db, principal, version);
	let everyVersionVisible = true;
	if (!scope.all) {
		const { rows } = await sql<{ id: number }>`SELECT id FROM unit_versions
			WHERE code = ${code}`.execute(db);
		const visible = rows.filter((r) => scope.versions.has(r.id));
		if (visible.length === 0) throw new OutOfScope();
		everyVersionVisible = visible.length === rows.length;
	}
	let unit: UnitVersionRef;
	try {
		unit = await resolveUnit(db, code, period);
	} catch (error) {
		if (error instanceof KpiQueryError && !everyVersionVisible) throw new OutOfScope();
		throw error;
	}
	if (!scope.all && !scope.versions.has(unit.id)) throw new OutOfScope();
	return unit;
}

/** The versions of a code the principal may see; OutOfScope when none (or no such code). */
export async function visibleVersionsOf(
	db: Kysely<Database>,
	principal: Principal,
	code: string
): Promise<number[]> {
	const scope = await scopeOf(db, principal);
	const versions = await db
		.selectFrom('unit_versions')
		.select('id')
		.where('code', '=', code)
		.execute();
	const visible = versions.map((v) => v.id).filter((id) => inScope(scope, id));
	if (visible.length === 0) throw new OutOfScope();
	return visible;
}

/**
 * Whether the principal manages every unit `codes` name, every version of each (a campaign set on
 * them: the import that saves it may change nothing outside the scope, import/reach.ts).
 */
export async function managesEvery(
	db: Kysely<Database>,
	principal: Principal,
	codes: readonly string[]
): Promise<boolean> {
	if (!MANAGING_ROLES.includes(principal.role)) return false;
	const unique = [...new Set(codes)];
	if (unique.length === 0) return true;
	const versions = await db
		.selectFrom('unit_versions')
		.select(['id', 'code'])
		.where('code', 'in', unique)
		.execute();
	const known = new Set(versions.map((v) => v.code));
	if (!unique.every((c) => known.has(c))) return false;
	const scope = await scopeOf(db, principal);
	return scope.all || versions.every((v) => scope.versions.has(v.id));
}

/**
 * The reform team or an admin, managing a unit of their scope (publishing its reports, setting
 * its report layout); anyone else is answered as for a unit outside the scope (OutOfScope, 404).
 */
export async function assertManages(
	db: Kysely<Database>,
	principal: Principal,
	code: string
): Promise<void> {
	if (!MANAGING_ROLES.includes(principal.role)) throw new OutOfScope();
	await visibleVersionsOf(db, principal, code);
}
