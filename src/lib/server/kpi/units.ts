/** Which unit version a code names in a period, and its children then (units are versions). */
import { sql, type Kysely } from 'kysely';
import { formatDate } from '../../domain/format';
import type { TargetLevel, UnitLevel } from '../../domain/types';
import { targetLevelSql } from './definitions';
import type { Period } from './period';

import type { Database } from '../db/schema';
export interface UnitVersionRef {
	id: number;
	code: string;
	name: string;
	level: UnitLevel;
	valid_from: string | null;
	valid_to: string | null;
}

/** A question the engine cannot answer, in words for the person who asked it. */
export class KpiQueryError extends Error {}

const overlaps = (alias: string, period: Period) =>
	sql`coalesce(${sql.raw(alias)}.valid_from, DATE '0001-01-01') <= CAST(${period.to} AS DATE)
		AND coalesce(${sql.raw(alias)}.valid_to, DATE '9999-12-31') >= CAST(${period.from} AS DATE)`;

const validity = (u: UnitVersionRef) =>
	u.valid_from && u.valid_to
		? `from ${formatDate(u.valid_from)} to ${formatDate(u.valid_to)}`
		: u.valid_from
			? `from ${formatDate(u.valid_from)}`
			: u.valid_to
				? `until ${formatDate(u.valid_to)}`
				: 'always';

export async function resolveUnit(
	db: Kysely<Database>,
	code: string,
	period: Period
): Promise<UnitVersionRef> {
	const { rows } = await sql<UnitVersionRef & { in_period: boolean }>`SELECT id, code, name, level,
		valid_from, valid_to, ${overlaps('u', period)} AS in_period
		FROM unit_versions u WHERE code = ${code} ORDER BY valid_from NULLS FIRST`.execute(db);
	if (rows.length === 0) throw new KpiQueryError(`unknown unit ${code}`);
	const inPeriod = rows.filter((r) => r.in_period);
	const describe = (list: UnitVersionRef[]) =>
		list.map((u) => `${u.name} (${validity(u)})`).join('; ');
	if (inPeriod.length === 0) {
		throw new KpiQueryError(
			`unit ${code} is not valid between ${formatDate(period.from)} and ${formatDate(period.to)}: ${describe(rows)}`
		);
	}
	if (inPeriod.length > 1) {
		throw new KpiQueryError(
			`code ${code} names more than one unit in this period: ${describe(inPeriod)}; choose a period within one of them`
		);
	}
	const { in_period: _, ...unit } = inPeriod[0];
	return unit;
}

/** The direct children valid on any day of the period, ordered by level then name. */
export async function childrenOf(
	db: Kysely<Database>,
	unit: UnitVersionRef,
	period: Period
): Promise<UnitVersionRef[]> {
	const { rows } = await sql<UnitVersionRef>`SELECT id, code, name, level, valid_from, valid_to
		FROM unit_versions u WHERE parent_id = ${unit.id} AND ${overlaps('u', period)}`.execute(db);
	const order: Record<UnitLevel, number> = { province: 0, department: 1, district: 2, commune: 3 };
	return rows.sort((a, b) => order[a.level] - order[b.level] || a.name.localeCompare(b.name, 'vi'));
}

/** The target levels of the units in the subtree during the period (a department is province). */
export async function subtreeLevels(
	db: Kysely<Database>,
	unitVersionId: number,
	period: Period
): Promise<Set<TargetLevel>> {
	const { rows } = await sql<{ level: TargetLevel }>`SELECT DISTINCT
			${sql.raw(targetLevelSql('u'))} AS level
		FROM unit_closure c JOIN unit_versions u ON u.id = c.descendant_id
		WHERE c.ancestor_id = ${unitVersionId} AND ${overlaps('u', period)}`.execute(db);
	return new Set(rows.map((r) => r.level));
}

export { overlaps };
