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
	>`SELECT up.descendant_id AS unit_id,
			t.kpi, t.level, t.target, c.name AS campaign, c.starts_on, c.ends_on
		FROM targets t
		JOIN campaigns c ON c.id = t.campaign_id
		JOIN unit_versions owner ON owner.code = t.unit_code
		JOIN unit_closure up ON up.ancestor_id = owner.id
		WHERE up.descendant_id IN (${sql.join(unitVersionIds)})
			AND c.starts_on <= CAST(${period.to} AS DATE) AND c.ends_on >= CAST(${period.from} AS DATE)
		QUALIFY row_number() OVER (PARTITION BY up.descendant_id, t.kpi, t.level
			ORDER BY up.depth, c.starts_on DESC, c.id DESC) = 1`.execute(db);
	for (const { unit_id, ...target } of rows) result.get(unit_id)!.push(target);
	return result;
}

export function targetFor(targets: AppliedTarget[], kpi: KpiId, level: TargetLevel): number | null {
	return targets.find((t) => t.kpi === kpi && t.level === level)?.target ?? null;
}
