/**
 * The order of unit levels (province, its departments, districts, communes: UNIT_LEVELS) and the
 * target level of a unit (a department counts as province, DOMAIN.md: Units), in TypeScript and
 * in SQL.
 */
import { sql, type Expression, type RawBuilder } from 'kysely';
import { UNIT_LEVELS, type TargetLevel, type UnitLevel } from '../../domain/types';

/** Units in the order every list shows them: by level from the province down, then by name. */
export const byLevelThenName = (
	a: { level: UnitLevel; name: string },
	b: { level: UnitLevel; name: string }
): number =>
	UNIT_LEVELS.indexOf(a.level) - UNIT_LEVELS.indexOf(b.level) || a.name.localeCompare(b.name, 'vi');

/** The target level of a unit level in SQL (domain/types.ts `targetLevelOf`). */
export const targetLevel = (level: Expression<UnitLevel>): RawBuilder<TargetLevel> =>
	sql<TargetLevel>`CASE ${level} WHEN 'department' THEN 'province' ELSE ${level} END`;

/** The target level of the unit version under `alias` (a table alias of ours). */
export const targetLevelOfUnit = (alias: string): RawBuilder<TargetLevel> =>
	targetLevel(sql.ref<UnitLevel>(`${alias}.level`));
