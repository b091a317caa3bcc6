/** Sums of the measures over a unit's subtree in a period, whole or grouped, from the aggregates. */
import type { DateRange } from '../../domain/periods';
import { sql, type Kysely } from 'kysely';
import { remember, type DataVersion } from '../db/cache';
import { targetLevelOfUnit } from '../units/levels';
import { MEASURES, type MeasureId } from './definitions';
import { periodRows, subtreeRows } from './period';
import type { Database } from '../db/schema';

export type MeasureTotals = Record<MeasureId, number>;

const sums = sql.join(
	MEASURES.map(
		(m) => sql`CAST(coalesce(sum(${sql.ref(`r.${m.id}`)}), 0) AS BIGINT) AS ${sql.id(m.id)}`
	)
);

export const emptyTotals = (): MeasureTotals =>
	Object.fromEntries(MEASURES.map((m) => [m.id, 0])) as MeasureTotals;

/** The target level of the unit where each dossier was received (a department counts as province). */
const TARGET_LEVEL = targetLevelOfUnit('u');

/**
 * The sums change only with the data: with the request's data version they are remembered
 * (db/cache.ts), so twenty users opening the same pages ask DuckDB once (issue 12, `bench:load`).
 * The answers are shared: callers read them and never change them.
 */
const rememberedIn = <T>(
	db: Kysely<Database>,
	version: DataVersion | undefined,
	key: string,
	compute: () => Promise<T>
): Promise<T> => (version === undefined ? compute() : remember(db, `${key}|${version}`, compute));

/** The measure totals of one unit version's subtree in the period. */
export async function subtreeTotals(
	db: Kysely<Database>,
	unitVersionId: number,
	period: DateRange,
	version?: DataVersion
): Promise<MeasureTotals> {
	return rememberedIn(
		db,
		version,
		`totals|${unitVersionId}|${period.from}|${period.to}`,
		async () => {
			const { rows } = await sql<MeasureTotals>`SELECT ${sums}
			FROM (${subtreeRows(period, [unitVersionId])}) r`.execute(db);
			return rows[0] ?? emptyTotals();
		}
	);
}

/**
 * The overview's three questions in one scan of the period's rows: the counts per (target level,
 * child) — a few hundred rows at most — summed here into the subtree's totals, the totals by
 * target level and those of each child's subtree.
 */
export async function subtreeBreakdown(
	db: Kysely<Database>,
	unitVersionId: number,
	childIds: number[],
	period: DateRange,
	version?: DataVersion
): Promise<Breakdown> {
	const key = `breakdown|${unitVersionId}|${childIds.join()}|${period.from}|${period.to}`;
	return rememberedIn(db, version, key, () => breakdownOf(db, unitVersionId, childIds, period));
}

interface Breakdown {
	total: MeasureTotals;
	byLevel: Map<string, MeasureTotals>;
	byChild: Map<number, MeasureTotals>;
}

async function breakdownOf(
	db: Kysely<Database>,
	unitVersionId: number,
	childIds: number[],
	period: DateRange
): Promise<Breakdown> {
	const children =
		childIds.length > 0
			? sql`LEFT JOIN unit_closure ch ON ch.descendant_id = r.unit_version_id
				AND ch.ancestor_id IN (${sql.join(childIds)})`
			: sql`LEFT JOIN (SELECT NULL::INTEGER AS ancestor_id) ch ON false`;
	const { rows } = await sql<MeasureTotals & { level: string; child: number | null }>`
		SELECT ${TARGET_LEVEL} AS level, ch.ancestor_id AS child, ${sums}
		FROM (${periodRows(period)}) r
		JOIN unit_closure c ON c.descendant_id = r.unit_version_id AND c.ancestor_id = ${unitVersionId}
		JOIN unit_versions u ON u.id = r.unit_version_id
		${children}
		GROUP BY ALL`.execute(db);
	const total = emptyTotals();
	const byLevel = new Map<string, MeasureTotals>();
	const byChild = new Map<number, MeasureTotals>();
	const addTo = <K>(map: Map<K, MeasureTotals>, key: K) => {
		let totals = map.get(key);
		if (!totals) map.set(key, (totals = emptyTotals()));
		return totals;
	};
	for (const row of rows) {
		const targets = [total, addTo(byLevel, row.level)];
		if (row.child !== null) targets.push(addTo(byChild, row.child));
		for (const m of MEASURES) for (const t of targets) t[m.id] += row[m.id];
	}
	return { total, byLevel, byChild };
}

/**
 * A series: per bucket, the counts of the unit's subtree and of each child's, read from the
 * subtree rollup for whole months (no grouping of unit rows) and the daily counts for the rest.
 */
export async function bucketBreakdown(
	db: Kysely<Database>,
	unitVersionId: number,
	childIds: number[],
	period: DateRange,
	grain: 'day' | 'week' | 'month' | 'quarter' | 'year',
	version?: DataVersion
): Promise<Buckets> {
	const key = `buckets|${grain}|${unitVersionId}|${childIds.join()}|${period.from}|${period.to}`;
	return rememberedIn(db, version, key, () =>
		bucketsOf(db, unitVersionId, childIds, period, grain)
	);
}

interface Buckets {
	own: Map<string, MeasureTotals>;
	byChild: Map<number, Map<string, MeasureTotals>>;
}

async function bucketsOf(
	db: Kysely<Database>,
	unitVersionId: number,
	childIds: number[],
	period: DateRange,
	grain: 'day' | 'week' | 'month' | 'quarter' | 'year'
): Promise<Buckets> {
	const daily = grain === 'day' || grain === 'week';
	const { rows } = await sql<MeasureTotals & { bucket: string; owner: number }>`
		SELECT CAST(date_trunc(${grain}, r.day) AS DATE) AS bucket, r.owner, ${sums}
		FROM (${subtreeRows(period, [unitVersionId, ...childIds], daily)}) r
		GROUP BY ALL ORDER BY bucket`.execute(db);
	const own = new Map<string, MeasureTotals>();
	const byChild = new Map<number, Map<string, MeasureTotals>>();
	for (const { bucket, owner, ...totals } of rows) {
		if (owner === unitVersionId) own.set(bucket, totals as MeasureTotals);
		else {
			let series = byChild.get(owner);
			if (!series) byChild.set(owner, (series = new Map()));
			series.set(bucket, totals as MeasureTotals);
		}
	}
	return { own, byChild };
}
