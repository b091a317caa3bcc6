/** Which unit version a code names in a period, and its children then (units are versions). */
import { sql, type Kysely } from 'kysely';
import { formatDate } from '../../domain/format';
import type { DateRange } from '../../domain/periods';
import type { TargetLevel, UnitLevel } from '../../domain/types';
import type { Database } from '../db/schema';
import { byLevelThenName, targetLevelOfUnit } from './levels';
import { describeValidity, overlaps } from './validity';

export interface UnitVersionRef {
	id: number;
	code: string;
	name: string;
	level: UnitLevel;
	valid_from: string | null;
	valid_to: string | null;
}

/**
 * A question the engine cannot answer, in words for the person who asked it. Declared here, where
 * the first such refusal is (a code that names no version in the period), so that the scope check
 * (auth/) can tell it apart without depending on the engine; the engine's own refusals extend it
 * (kpi/period.ts `PeriodError`).
 */
export class KpiQueryError extends Error {}

/**
 * A code that names no unit at all. Pages and the API answer it 404, as a unit outside the scope
 * (CONTRACT: the same answer, so the two cannot be told apart); the CLI prints the message.
 */
export class UnknownUnit extends KpiQueryError {}

export async function resolveUnit(
	db: Kysely<Database>,
	code: string,
	period: DateRange
): Promise<UnitVersionRef> {
	const { rows } = await sql<UnitVersionRef & { in_period: boolean }>`SELECT id, code, name, level,
		valid_from, valid_to, ${overlaps('u', period)} AS in_period
		FROM unit_versions u WHERE code = ${code} ORDER BY valid_from NULLS FIRST`.execute(db);
	if (rows.length === 0) throw new UnknownUnit(`unknown unit ${code.slice(0, 40)}`);
	const inPeriod = rows.filter((r) => r.in_period);
	const describe = (list: UnitVersionRef[]) =>
		list.map((u) => `${u.name} (${describeValidity(u)})`).join('; ');
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
	period: DateRange
): Promise<UnitVersionRef[]> {
	const { rows } = await sql<UnitVersionRef>`SELECT id, code, name, level, valid_from, valid_to
		FROM unit_versions u WHERE parent_id = ${unit.id} AND ${overlaps('u', period)}`.execute(db);
	return rows.sort(byLevelThenName);
}

/** The target levels of the units in the subtree during the period (a department is province). */
export async function subtreeLevels(
	db: Kysely<Database>,
	unitVersionId: number,
	period: DateRange
): Promise<Set<TargetLevel>> {
	const { rows } = await sql<{ level: TargetLevel }>`SELECT DISTINCT
			${targetLevelOfUnit('u')} AS level
		FROM unit_closure c JOIN unit_versions u ON u.id = c.descendant_id
		WHERE c.ancestor_id = ${unitVersionId} AND ${overlaps('u', period)}`.execute(db);
	return new Set(rows.map((r) => r.level));
}
