/** Sums of the measures over a unit's subtree in a period, whole or grouped, from the aggregates. */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import { MEASURES, type MeasureId } from './definitions';
import { periodRows, type Period } from './period';

export type MeasureTotals = Record<MeasureId, number>;

const sums = sql.raw(
	MEASURES.map((m) => `CAST(coalesce(sum(r."${m.id}"), 0) AS BIGINT) AS "${m.id}"`).join(', ')
);

export const emptyTotals = (): MeasureTotals =>
	Object.fromEntries(MEASURES.map((m) => [m.id, 0])) as MeasureTotals;

/** The target level of the unit where each dossier was received (a department counts as province). */
const TARGET_LEVEL = sql`CASE u.level WHEN 'department' THEN 'province' ELSE u.level END`;

type Grouping =
	| { by: 'none' }
	| { by: 'level' }
	| { by: 'child'; childIds: number[] }
	| { by: 'bucket'; grain: 'day' | 'week' | 'month' | 'quarter' | 'year'; childIds?: number[] };

/**
 * Measure totals of the subtree of `unitVersionId` (closure table) in the period, grouped as asked:
 * `key` is null, the target level, the child's id, or the bucket's first day.
 */
export async function measureTotals(
	db: Kysely<unknown>,
	unitVersionId: number,
	period: Period,
	grouping: Grouping
): Promise<(MeasureTotals & { key: string | number | null; child: number | null })[]> {
	const daily = grouping.by === 'bucket' && (grouping.grain === 'day' || grouping.grain === 'week');
	let key: RawBuilder<unknown> = sql`NULL`;
	let ancestor: RawBuilder<unknown> = sql`c.ancestor_id = ${unitVersionId}`;
	let join: RawBuilder<unknown> = sql``;
	let child: RawBuilder<unknown> = sql`NULL`;
	if (grouping.by === 'level') {
		key = TARGET_LEVEL;
		join = sql`JOIN unit_versions u ON u.id = r.unit_version_id`;
	} else if (grouping.by === 'child') {
		if (grouping.childIds.length === 0) return [];
		key = sql`c.ancestor_id`;
		ancestor = sql`c.ancestor_id IN (${sql.join(grouping.childIds)})`;
	} else if (grouping.by === 'bucket') {
		key = sql`strftime(date_trunc(${grouping.grain}, r.day), '%Y-%m-%d')`;
		if (grouping.childIds) {
			if (grouping.childIds.length === 0) return [];
			child = sql`c.ancestor_id`;
			ancestor = sql`c.ancestor_id IN (${sql.join(grouping.childIds)})`;
		}
	}
	const { rows } = await sql<MeasureTotals & { key: string | number | null; child: number | null }>`
		SELECT ${key} AS key, ${child} AS child, ${sums}
		FROM (${periodRows(period, daily)}) r
		JOIN unit_closure c ON c.descendant_id = r.unit_version_id
		${join}
		WHERE ${ancestor}
		GROUP BY ALL ORDER BY child, key`.execute(db);
	return rows;
}
