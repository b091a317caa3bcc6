/**
 * Catalogue KPIs count procedures (DOMAIN.md): for a unit, the active procedures owned by a unit of
 * its subtree, plus those owned by one of its ancestors or by no one whose level is a target level
 * present in the subtree as it stands in the period (a department counts as province level).
 */
import type { DateRange } from '../../domain/periods';
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { CatalogueKpiId } from '../../domain/kpi-ids';
import type { TargetLevel } from '../../domain/types';
import { targetLevelOfUnit } from '../units/levels';
import { CATALOGUE_DEFINITIONS, condition } from './definitions';
import { overlaps } from '../units/validity';
import type { Database } from '../db/schema';

export type CatalogueCounts = Record<CatalogueKpiId, { numerator: number; denominator: number }>;

/**
 * The CTEs `subtree`, `ancestors` and `counted`: `counted` holds, per `unit_id` of
 * `unitVersionIds`, the active procedures (every column of `procedures`) its catalogue KPIs count.
 * The one statement of that rule: the catalogue KPIs and the service index's procedure ratios
 * (index-ratios.ts) both read it. To follow `WITH`.
 */
export function countedProcedures(
	unitVersionIds: number[],
	period: DateRange
): RawBuilder<unknown> {
	const ids = sql.join(unitVersionIds);
	return sql`subtree AS (
			SELECT DISTINCT c.ancestor_id AS unit_id, u.code,
				${targetLevelOfUnit('u')} AS level
			FROM unit_closure c JOIN unit_versions u ON u.id = c.descendant_id
			WHERE c.ancestor_id IN (${ids}) AND ${overlaps('u', period)}
		), ancestors AS (
			SELECT c.descendant_id AS unit_id, u.code
			FROM unit_closure c JOIN unit_versions u ON u.id = c.ancestor_id
			WHERE c.descendant_id IN (${ids}) AND c.depth > 0
		), counted AS (
			-- Owned in the subtree; or owned above, or by no one, at a level the subtree has.
			SELECT s.unit_id, p.* FROM procedures p JOIN subtree s ON s.code = p.unit_code
			WHERE p.active
			UNION
			SELECT l.unit_id, p.* FROM procedures p
			JOIN (SELECT DISTINCT unit_id, level FROM subtree) l ON l.level = p.level
			WHERE p.active AND (p.unit_code IS NULL
				OR EXISTS (SELECT 1 FROM ancestors a WHERE a.unit_id = l.unit_id AND a.code = p.unit_code))
		)`;
}

/** For each unit version, per procedure level present, each catalogue KPI's counts (one query). */
export async function catalogueCounts(
	db: Kysely<Database>,
	unitVersionIds: number[],
	period: DateRange
): Promise<Map<number, Map<TargetLevel, CatalogueCounts>>> {
	const result = new Map<number, Map<TargetLevel, CatalogueCounts>>(
		unitVersionIds.map((id) => [id, new Map()])
	);
	if (unitVersionIds.length === 0) return result;
	const columns = CATALOGUE_DEFINITIONS.flatMap((d) => [
		sql`count(*) FILTER (WHERE ${condition(d.numerator)}) AS ${sql.id(`${d.id}_n`)}`,
		sql`count(*) FILTER (WHERE ${condition(d.denominator)}) AS ${sql.id(`${d.id}_d`)}`
	]);
	const { rows } = await sql<Record<string, number> & { unit_id: number; level: TargetLevel }>`
		WITH ${countedProcedures(unitVersionIds, period)}
		SELECT unit_id, level, ${sql.join(columns)} FROM counted GROUP BY unit_id, level`.execute(db);
	for (const row of rows) {
		result
			.get(row.unit_id)!
			.set(
				row.level,
				Object.fromEntries(
					CATALOGUE_DEFINITIONS.map((d) => [
						d.id,
						{ numerator: row[`${d.id}_n`], denominator: row[`${d.id}_d`] }
					])
				) as CatalogueCounts
			);
	}
	return result;
}

/** The counts of all levels together. */
export function sumLevels(byLevel: Map<TargetLevel, CatalogueCounts>): CatalogueCounts {
	const total = Object.fromEntries(
		CATALOGUE_DEFINITIONS.map((d) => [d.id, { numerator: 0, denominator: 0 }])
	) as CatalogueCounts;
	for (const counts of byLevel.values()) {
		for (const d of CATALOGUE_DEFINITIONS) {
			total[d.id].numerator += counts[d.id].numerator;
			total[d.id].denominator += counts[d.id].denominator;
		}
	}
	return total;
}
