/**
 * What the monthly report of a unit says (issue 13), gathered from the engine and the dashboard's
 * modules — never computed a second time: the XLSX, PDF and CSV writers only lay it out.
 *
 * - every KPI of the month with its counts, target and status, and its change in points against
 *   the month before and against the same month a year earlier (null, not 0, when either side
 *   has no denominator, or the unit did not exist then: kpi/figures.ts `pointsChange`);
 * - the results by target level against the level targets;
 * - the monthly trend of the headline KPI with its target (the trends page's: dashboard/trends.ts),
 *   over the 12 months ending with the report's month, or the months of a campaign's window up to
 *   the data's last day;
 * - the child units ranked on the headline KPI, with their status (the compare page's ranking);
 * - the ten procedures with the most online dossiers missing against the target;
 * - late dossiers by child unit: open past due at the month's end, and completed late in it;
 * - form 06 of Circular 01/2020/TT-VPCP (kpi/form06.ts);
 * - the service index of Decision 766 (kpi/service-index.ts): the unit's score by group and the
 *   children ranked within their levels, with the rank change (issue 16).
 *
 * The caller has checked the unit is in the principal's scope (auth/scope.ts `visibleUnit`).
 */
import type { Kysely } from 'kysely';
import { addYears } from '../../domain/dates';
import type { KpiFigure } from '../../domain/figures';
import { HEADLINE_KPI, type KpiId } from '../../domain/kpi-ids';
import { parseMonth, periodProblem, previousRange, type DateRange } from '../../domain/periods';
import { TARGET_LEVELS, type TargetLevel } from '../../domain/types';
import { versionOf, type DataVersion } from '../db/cache';
import type { Database } from '../db/schema';
import { compareChildren, type ChildComparison } from '../dashboard/compare';
import { latestDay } from '../dashboard/context';
import { lateView, type UnitLateness } from '../dashboard/late';
import { proceduresView, type ProcedureRow } from '../dashboard/procedures';
import { periodTrendWindow, unitTrend, type UnitTrend } from '../dashboard/trends';
import { KPI_DEFINITIONS, type Text } from '../kpi/definitions';
import { kpiFigure, pointsChange } from '../kpi/figures';
import { form06, type Form06 } from '../kpi/form06';
import { kpiReport, unitKpis, type KpiValue } from '../kpi/report';
import { serviceIndex, type ServiceIndexReport } from '../kpi/service-index';
import type { UnitVersionRef } from '../units/versions';

export interface ReportKpi {
	id: KpiId;
	name: Text;
	formula: Text;
	/** The month's figure; its `change` is against the month before. */
	figure: KpiFigure;
	/** The printed figure minus the same month's a year earlier, in points; null when empty. */
	changeYear: number | null;
}

/**
 * What a report covers: a calendar month, or a campaign's window (its start to its end day), the
 * period a campaign's targets are set for.
 */
export type ReportWindow =
	| { kind: 'month'; /** `YYYY-MM`. */ month: string }
	| { kind: 'campaign'; id: number; name: string; period: DateRange };

export interface MonthlyReport {
	unit: UnitVersionRef;
	window: ReportWindow;
	period: DateRange;
	/** The period compared with: the month before, or the same number of days before the window. */
	previous: DateRange;
	yearEarlier: DateRange;
	kpis: ReportKpi[];
	/** Per target level present in the subtree, each KPI with a value against that level's target. */
	levels: { level: TargetLevel; kpis: { id: KpiId; figure: KpiFigure }[] }[];
	/** The headline KPI month by month with its target (and a year earlier). */
	trend: UnitTrend;
	/** The children ranked on the headline KPI (1 = highest), those without a value last. */
	children: ChildComparison[];
	/** The distinct targets of the headline KPI among the children (one per target level). */
	childTargets: { level: TargetLevel; target: number }[];
	/** The ten procedures with the most online dossiers missing against the target. */
	procedures: ProcedureRow[];
	late: {
		/** The day open dossiers are counted at the end of: the month's last day, or the data's. */
		asOf: string;
		open: UnitLateness[];
		completed: UnitLateness[];
		/** Each unit of either list with both counts: the open list's order, then the others. */
		units: { unit: UnitLateness; open: number; completed: number }[];
	};
	form06: Form06;
	/** The unit's service index and its children's ranking, for the same period. */
	serviceIndex: ServiceIndexReport;
}

export class ReportMonthError extends Error {}

/** The month's period from `YYYY-MM`, or a ReportMonthError naming the text. */
export function reportPeriod(month: string): DateRange {
	const period = parseMonth(month);
	if (!period) throw new ReportMonthError(`not a month (YYYY-MM): ${month.slice(0, 20)}`);
	// The same bounds as every period (domain/periods.ts): 2000-01 to 2100-12.
	if (periodProblem(period.from, period.to)) {
		throw new ReportMonthError(`the month ${month} is outside 2000-01 to 2100-12`);
	}
	return period;
}

/** The period of a window, bounded as every period is. */
export function windowPeriod(window: ReportWindow): DateRange {
	if (window.kind === 'month') return reportPeriod(window.month);
	const { from, to } = window.period;
	if (periodProblem(from, to)) {
		throw new ReportMonthError(`the campaign's window ${from} – ${to} is outside 2000 to 2100`);
	}
	return window.period;
}

/**
 * The months of the report's trend: of a month, the 12 months ending with it (undefined: the
 * trends page's window); of a campaign, its window's months up to the data's last day.
 */
function trendMonths(
	window: ReportWindow,
	period: DateRange,
	lastDataDay: string | null
): DateRange | undefined {
	if (window.kind === 'month') return undefined;
	const last = lastDataDay === null || lastDataDay > period.to ? period.to : lastDataDay;
	return periodTrendWindow({ from: period.from, to: last < period.from ? period.from : last });
}

const existedIn = (unit: UnitVersionRef, period: DateRange) =>
	(unit.valid_from === null || unit.valid_from <= period.to) &&
	(unit.valid_to === null || unit.valid_to >= period.from);

/** The report of a unit for a calendar month (`YYYY-MM`). */
export const monthlyReport = (
	db: Kysely<Database>,
	unit: UnitVersionRef,
	month: string,
	dataVersion?: DataVersion
): Promise<MonthlyReport> => windowReport(db, unit, { kind: 'month', month }, dataVersion);

/** The report of a unit for a month or a campaign's window. */
export async function windowReport(
	db: Kysely<Database>,
	unit: UnitVersionRef,
	window: ReportWindow,
	dataVersion?: DataVersion
): Promise<MonthlyReport> {
	const period = windowPeriod(window);
	const previous = previousRange(period);
	const yearEarlier = { from: addYears(period.from, -1), to: addYears(period.to, -1) };
	const version = await versionOf(db, dataVersion);
	const then = (range: DateRange) =>
		existedIn(unit, range) ? unitKpis(db, unit, range, version) : Promise.resolve(null);
	const lastDataDay = await latestDay(db, undefined, version);
	const lateOf = (list: 'open' | 'completed') =>
		lateView(
			db,
			unit,
			period,
			lastDataDay,
			{ list, received: 'any', unit: null, procedure: null, by: 'count', page: 1 },
			version
		);
	const [report, before, yearBefore, trend, compared, procedures, open, completed, table, index] =
		await Promise.all([
			kpiReport(db, unit.code, period, version),
			then(previous),
			then(yearEarlier),
			unitTrend(
				db,
				{ unit, period, dataVersion: version },
				HEADLINE_KPI,
				trendMonths(window, period, lastDataDay)
			),
			compareChildren(
				db,
				{ unit, period, comparison: { period: previous }, dataVersion: version },
				{ kpi: HEADLINE_KPI, sort: HEADLINE_KPI, dir: 'desc', show: 'all' }
			),
			proceduresView(
				db,
				unit,
				period,
				{ field: null, sort: 'extra', dir: 'desc', page: 1 },
				version
			),
			lateOf('open'),
			lateOf('completed'),
			form06(db, unit.id, period),
			serviceIndex(db, unit.code, period, version)
		]);
	const figureOf = (id: KpiId, before: Record<KpiId, KpiValue> | null) =>
		kpiFigure(report.kpis[id], before ? before[id] : null);
	const kpis = KPI_DEFINITIONS.map((d): ReportKpi => ({
		id: d.id,
		name: d.name,
		formula: d.formula,
		figure: figureOf(d.id, before),
		changeYear: pointsChange(report.kpis[d.id], yearBefore ? yearBefore[d.id] : null)
	}));
	const levels = TARGET_LEVELS.flatMap((level) => {
		const values = report.by_level[level];
		const present = KPI_DEFINITIONS.filter((d) => values[d.id] !== undefined);
		if (present.length === 0) return [];
		return [{ level, kpis: present.map((d) => ({ id: d.id, figure: kpiFigure(values[d.id]!) })) }];
	});
	return {
		unit,
		window,
		period,
		previous,
		yearEarlier,
		kpis,
		levels,
		trend,
		children: [...compared.children].sort(
			(a, b) =>
				(a.rank ?? Infinity) - (b.rank ?? Infinity) || a.unit.name.localeCompare(b.unit.name, 'vi')
		),
		childTargets: compared.targets,
		procedures: procedures.whereToAct,
		late: {
			asOf: open.asOf,
			open: open.ranking,
			completed: completed.ranking,
			units: lateUnits(open.ranking, completed.ranking)
		},
		form06: table,
		serviceIndex: index
	};
}

function lateUnits(open: UnitLateness[], completed: UnitLateness[]) {
	const openById = new Map(open.map((u) => [u.id, u.late]));
	const completedById = new Map(completed.map((u) => [u.id, u.late]));
	return [...open, ...completed.filter((u) => !openById.has(u.id))].map((unit) => ({
		unit,
		open: openById.get(unit.id) ?? 0,
		completed: completedById.get(unit.id) ?? 0
	}));
}
