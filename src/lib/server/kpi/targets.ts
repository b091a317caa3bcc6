/**
 * The target that applies to a unit in a period: one set by a campaign whose dates overlap the
 * period, on the unit itself or one of its ancestors, for the target level asked. When several
 * apply, the campaign set closest to the unit wins (a district's own campaign over the
 * province's: it is the more specific instruction), then the one that started last (the newer
 * instruction), then the one imported last.
 */
import type { DateRange } from '../../domain/periods';
import { sql, type Kysely } from 'kysely';
import type { KpiId } from '../../domain/kpi-ids';
import type { TargetLevel } from '../../domain/types';
import type { Database } from '../db/schema';

export interface AppliedTarget {
	kpi: KpiId;
	level: TargetLevel;
	target: number;
	campaign: string;
	starts_on: string;
	ends_on: string;
}

/** For each unit version, every target applying in the period, one per KPI and level (one query). */
export async function campaignTargets(
	db: Kysely<Database>,
	unitVersionIds: number[],
	period: DateRange
): Promise<Map<number, AppliedTarget[]>> {
	const result = new Map<number, AppliedTarget[]>(unitVersionIds.map((id) => [id, []]));
	if (unitVersionIds.length === 0) return result;
	const { rows } = await sql<
		AppliedTarget & { unit_id: number }
	>`SELECT unit_id, kpi, level, chosen.target AS target, chosen.campaign AS campaign,
			chosen.starts_on AS starts_on, chosen.ends_on AS ends_on
		FROM (SELECT up.descendant_id AS unit_id, t.kpi, t.level,
			-- The nearest owner's, then the latest campaign's, then the newest. An aggregate, not
			-- a window (row_number() OVER …): DuckDB 1.5.5's parallel window over a small filtered
			-- input fails now and then with an internal error that invalidates the whole database
			-- (duckdb/duckdb#25713); every page asks this.
			arg_min({'target': t.target, 'campaign': c.name, 'starts_on': c.starts_on, 'ends_on': c.ends_on},
				[CAST(up.depth AS BIGINT), -CAST(date_diff('day', DATE '1970-01-01', c.starts_on) AS BIGINT),
					-CAST(c.id AS BIGINT)]) AS chosen
			FROM targets t
			JOIN campaigns c ON c.id = t.campaign_id
			JOIN unit_versions owner ON owner.code = t.unit_code
			JOIN unit_closure up ON up.ancestor_id = owner.id
			WHERE up.descendant_id IN (${sql.join(unitVersionIds)})
				AND c.starts_on <= CAST(${period.to} AS DATE) AND c.ends_on >= CAST(${period.from} AS DATE)
			GROUP BY up.descendant_id, t.kpi, t.level)`.execute(db);
	for (const { unit_id, ...target } of rows) result.get(unit_id)!.push(target);
	return result;
}

export function targetFor(targets: AppliedTarget[], kpi: KpiId, level: TargetLevel): number | null {
	return targets.find((t) => t.kpi === kpi && t.level === level)?.target ?? null;
}
