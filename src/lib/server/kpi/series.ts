/**
 * Time series of every dossier KPI, by day, week, month, quarter or year, for a unit's subtree and
 * for each of its children valid in the period.
 */
import type { DateRange } from '../../domain/periods';
import type { Kysely } from 'kysely';
import type { DossierKpiId } from '../../domain/kpi-ids';
import type { UnitRef } from '../../domain/types';
import { DOSSIER_DEFINITIONS } from './definitions';
import { bucketBreakdown, type MeasureTotals } from './measures';
import { ratio } from './report';
import { childrenOf, resolveUnit } from '../units/versions';
import type { Database } from '../db/schema';
import { remember, type DataVersion } from '../db/cache';

export type Grain = 'day' | 'week' | 'month' | 'quarter' | 'year';

export interface SeriesPoint {
	/** The first day of the bucket (a week starts on Monday); the first bucket may start before `from`. */
	bucket: string;
	kpis: Record<DossierKpiId, { numerator: number; denominator: number; value: number | null }>;
}

export interface KpiSeries {
	unit: UnitRef;
	grain: Grain;
	from: string;
	to: string;
	points: SeriesPoint[];
	children: { unit: UnitRef; points: SeriesPoint[] }[];
}

function point(bucket: string, totals: MeasureTotals): SeriesPoint {
	const kpis = {} as SeriesPoint['kpis'];
	for (const d of DOSSIER_DEFINITIONS) {
		const numerator = totals[d.numerator];
		const denominator = totals[d.denominator];
		kpis[d.id] = { numerator, denominator, value: ratio(numerator, denominator) };
	}
	return { bucket, kpis };
}

export async function kpiSeries(
	db: Kysely<Database>,
	unitCode: string,
	period: DateRange,
	grain: Grain,
	/**
	 * `withChildren: false`: only the unit's own line (a campaign forecast, a sparkline);
	 * `version`: the request's data version, under which the sums are remembered.
	 */
	{ withChildren = true, version }: { withChildren?: boolean; version?: DataVersion } = {}
): Promise<KpiSeries> {
	if (version === undefined) return computeSeries(db, unitCode, period, grain, withChildren);
	const key = `series|${version}|${unitCode}|${period.from}|${period.to}|${grain}|${withChildren}`;
	return remember(db, key, () => computeSeries(db, unitCode, period, grain, withChildren, version));
}

async function computeSeries(
	db: Kysely<Database>,
	unitCode: string,
	period: DateRange,
	grain: Grain,
	withChildren: boolean,
	version?: DataVersion
): Promise<KpiSeries> {
	const unit = await resolveUnit(db, unitCode, period);
	const children = withChildren ? await childrenOf(db, unit, period) : [];
	const { own, byChild } = await bucketBreakdown(
		db,
		unit.id,
		children.map((c) => c.id),
		period,
		grain,
		version
	);
	return {
		unit: { code: unit.code, name: unit.name, level: unit.level },
		grain,
		from: period.from,
		to: period.to,
		points: [...own].map(([bucket, totals]) => point(bucket, totals)),
		children: children.map((child) => ({
			unit: { code: child.code, name: child.name, level: child.level },
			points: [...(byChild.get(child.id) ?? [])].map(([bucket, totals]) => point(bucket, totals))
		}))
	};
}
