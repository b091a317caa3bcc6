/**
 * The trend of one dossier KPI of a unit (issue 6, /u/<code>/trends): month by month over the 12
 * months ending with the period's last month, against the same 12 months a year earlier (seed 003
 * reads a trend year against year), with the campaign target of each month at the unit's target
 * level and the campaigns to shade.
 *
 * A unit is one version: the province is one version throughout, so its line runs across 1 July
 * 2025; a unit that began or ended inside a window has months without figures, flagged as such
 * rather than shown as empty months of a unit that existed.
 *
 * URL: `kpi=<dossier KPI id>` (`TRENDS` in domain/url-params.ts); catalogue KPIs have no months.
 *
 * The monthly report draws the same trend (report/charts.ts): of a month, the page's 12 months; of
 * a campaign, the months of its window (`periodTrendWindow`).
 */
import type { Kysely } from 'kysely';
import { addYears } from '../../domain/dates';
import type { DossierKpiId } from '../../domain/kpi-ids';
import { monthFirstDay, monthIndex, monthLastDay, monthSpan } from '../../domain/months';
import type { DateRange } from '../../domain/periods';
import { targetLevelOf } from '../../domain/types';
import { remember, versionOf, type DataVersion } from '../db/cache';
import type { TargetStatus } from '../../domain/figures';
import { kpiFigure } from '../kpi/figures';
import { kpiSeries, type SeriesPoint } from '../kpi/series';
import { campaignTargets, targetFor, type AppliedTarget } from '../kpi/targets';
import type { UnitVersionRef } from '../units/versions';
import type { Database } from '../db/schema';

export interface MonthFigure {
	/** The first day of the month. */
	month: string;
	/** False when the unit did not exist on any day of the month (counted) in the window. */
	existed: boolean;
	numerator: number;
	denominator: number;
	/** Null when the denominator is 0 or the unit did not exist. */
	value: number | null;
}

export interface TrendMonth extends MonthFigure {
	/** The campaign target applying to the unit's level in this month, if any. */
	target: number | null;
	status: TargetStatus | null;
	/** The same month a year earlier. */
	yearEarlier: MonthFigure;
	/**
	 * The printed value minus the printed value a year earlier (0.021 = 2.1 percentage points,
	 * kpi/figures.ts); null when either is empty.
	 */
	change: number | null;
}

export interface CampaignWindow {
	name: string;
	starts_on: string;
	ends_on: string;
}

export interface UnitTrend {
	kpi: DossierKpiId;
	/** The 12 months ending with the period's last month, to the period's last day (or as asked). */
	window: DateRange;
	/** The same dates a year earlier. */
	yearEarlierWindow: DateRange;
	/** The part of each window the unit existed in; null when it did not exist at all then. */
	existed: DateRange | null;
	existedYearEarlier: DateRange | null;
	months: TrendMonth[];
	/** Campaigns setting a target for the unit's level in the window, oldest first. */
	campaigns: CampaignWindow[];
}

const MONTHS = 12;
/** The longest window a trend draws: two years of months still fit a printed page's width. */
export const MAX_TREND_MONTHS = 24;

interface Frame {
	unit: UnitVersionRef;
	period: DateRange;
	/** The request's data version (UnitContext); looked up here when not given. */
	dataVersion?: DataVersion;
}

/** The 12 months ending with `to`'s month (whole, the last one to `to`) and a year earlier. */
export function trendWindows(to: string): { window: DateRange; yearEarlierWindow: DateRange } {
	return windowsOf({ from: monthFirstDay(monthIndex(to) - (MONTHS - 1)), to });
}

/** `window` and the same dates a year earlier. */
const windowsOf = (window: DateRange) => ({
	window,
	yearEarlierWindow: { from: addYears(window.from, -1), to: addYears(window.to, -1) }
});

/**
 * The months of a period (a campaign's window), the first from the period's first day and the
 * last to its last; of a longer period its last MAX_TREND_MONTHS months.
 */
export function periodTrendWindow(period: DateRange): DateRange {
	const first = monthIndex(period.to) - (MAX_TREND_MONTHS - 1);
	return monthIndex(period.from) < first ? { from: monthFirstDay(first), to: period.to } : period;
}

/**
 * The trend over the 12 months ending with the period's last month, or over `asked` (its
 * months, the first and last clipped to it: `periodTrendWindow`).
 */
export async function unitTrend(
	db: Kysely<Database>,
	{ unit, period, dataVersion }: Frame,
	kpi: DossierKpiId,
	asked: DateRange = trendWindows(period.to).window
): Promise<UnitTrend> {
	const { window, yearEarlierWindow } = windowsOf(asked);
	const existed = clip(window, unit);
	const existedYearEarlier = clip(yearEarlierWindow, unit);
	const [current, earlier, targets] = await Promise.all([
		monthFigures(db, unit, window, existed, kpi, dataVersion),
		monthFigures(db, unit, yearEarlierWindow, existedYearEarlier, kpi, dataVersion),
		monthlyTargets(db, unit, window, existed, dataVersion)
	]);
	const level = targetLevelOf(unit.level);
	const months = current.map((figure, i): TrendMonth => {
		const target = targetFor(targets[i], kpi, level);
		const yearEarlier = earlier[i];
		const { status, change } = kpiFigure({ ...figure, target }, yearEarlier);
		return { ...figure, target, status, yearEarlier, change };
	});
	const campaigns = new Map<string, CampaignWindow>();
	for (const t of targets.flat()) {
		if (t.level !== level) continue;
		const key = `${t.campaign}|${t.starts_on}|${t.ends_on}`;
		campaigns.set(key, { name: t.campaign, starts_on: t.starts_on, ends_on: t.ends_on });
	}
	return {
		kpi,
		window,
		yearEarlierWindow,
		existed,
		existedYearEarlier,
		months,
		campaigns: [...campaigns.values()].sort((a, b) => a.starts_on.localeCompare(b.starts_on))
	};
}

/** The first days of the months `window` has a day in. */
function monthStarts(window: DateRange): string[] {
	return monthSpan(monthIndex(window.from), monthIndex(window.to), MAX_TREND_MONTHS).map(
		monthFirstDay
	);
}

/** The part of a window the unit version was valid in. */
function clip(window: DateRange, unit: UnitVersionRef): DateRange | null {
	const from =
		unit.valid_from !== null && unit.valid_from > window.from ? unit.valid_from : window.from;
	const to = unit.valid_to !== null && unit.valid_to < window.to ? unit.valid_to : window.to;
	return from <= to ? { from, to } : null;
}

/** Each month of a window a day of `part` falls in, clipped to it; null for the others. */
function monthParts(window: DateRange, part: DateRange | null): (DateRange | null)[] {
	return monthStarts(window).map((first) => {
		const index = monthIndex(first);
		const month = { from: monthFirstDay(index), to: monthLastDay(index) };
		if (!part || month.to < part.from || month.from > part.to) return null;
		return {
			from: month.from > part.from ? month.from : part.from,
			to: month.to < part.to ? month.to : part.to
		};
	});
}

async function monthFigures(
	db: Kysely<Database>,
	unit: UnitVersionRef,
	window: DateRange,
	existed: DateRange | null,
	kpi: DossierKpiId,
	version: DataVersion | undefined
): Promise<MonthFigure[]> {
	// Asked only over the days the version existed: over the whole window the code may name
	// another unit too (a commune code reused on 1 July 2025), which the engine refuses.
	const points = existed
		? (await kpiSeries(db, unit.code, existed, 'month', { version })).points
		: [];
	const byMonth = new Map<string, SeriesPoint>(points.map((p) => [p.bucket, p]));
	const starts = monthStarts(window);
	return monthParts(window, existed).map((part, i) => {
		const counts = byMonth.get(starts[i])?.kpis[kpi];
		return {
			month: starts[i],
			existed: part !== null,
			numerator: counts?.numerator ?? 0,
			denominator: counts?.denominator ?? 0,
			value: counts?.value ?? null
		};
	});
}

/** The targets applying to the unit in each month it existed (campaigns change month to month). */
async function monthlyTargets(
	db: Kysely<Database>,
	unit: UnitVersionRef,
	window: DateRange,
	existed: DateRange | null,
	dataVersion?: DataVersion
): Promise<AppliedTarget[][]> {
	const version = await versionOf(db, dataVersion);
	return Promise.all(
		monthParts(window, existed).map(async (part) => {
			if (!part) return [];
			const key = `trend-targets|${version}|${unit.id}|${part.from}|${part.to}`;
			const targets = await remember(db, key, () => campaignTargets(db, [unit.id], part));
			return targets.get(unit.id)!;
		})
	);
}
