/**
 * The overview of a unit (issue 6, page 1): every KPI of the period with its target and status,
 * its value in the comparison period, a twelve-month sparkline, the campaign standing (days left,
 * forecast, need per day), and the breakdown by target level against the level targets. One
 * object the page only lays out; every figure comes from the KPI engine.
 */
import type { Kysely } from 'kysely';
import { monthFirstDay, monthIndex, monthSpan } from '../../domain/months';
import { DOSSIER_KPI_IDS, type DossierKpiId, type KpiId } from '../../domain/kpi-ids';
import { remember } from '../db/cache';
import { campaignStandings, type CampaignStanding } from '../kpi/campaign';
import { KPI_DEFINITIONS, type Text } from '../kpi/definitions';
import type { KpiFigure, TargetStatus } from '../../domain/figures';
import { kpiFigure, shortfallTenths } from '../kpi/figures';
import { kpiReport, unitKpis, type KpiReport, type KpiValue } from '../kpi/report';
import { kpiSeries } from '../kpi/series';
import { KpiQueryError } from '../units/versions';
import { HEADLINE_KPI, type OverviewState } from '../../domain/url-params';
import type { UnitContext } from './context';
import type { Database } from '../db/schema';

export interface KpiCard {
	id: KpiId;
	name: Text;
	formula: Text;
	/** The period's figure: value, counts, target, status, gap, change against `compared`. */
	current: KpiFigure;
	/** The same KPI in the comparison period; null when the unit did not exist then. */
	compared: KpiValue | null;
	/** Monthly values of the twelve months ending with the period (dossier KPIs only). */
	sparkline: (number | null)[];
}

export interface Overview {
	report: KpiReport;
	cards: KpiCard[];
	/** The first day of each sparkline month. */
	sparklineMonths: string[];
	/** Campaigns running on the last day of the period (or the chosen campaign). */
	campaigns: CampaignStanding[];
	/** The day campaign figures are "as of": the period's end, or the last day with data. */
	asOf: string;
	/** The status of each KPI at each target level present, against that level's target. */
	levelStatus: Record<string, Partial<Record<KpiId, TargetStatus | null>>>;
	/** Who pulls the unit down, for one KPI (issue 12: any KPI, not only online filing). */
	pullingDown: PullingDown;
}

export interface PullingDown {
	kpi: KpiId;
	/** Whether the user chose the KPI (`?kpi=`); else the one the unit misses most. */
	chosen: boolean;
	/** The children furthest below their target in that KPI, by the gap in whole dossiers. */
	units: { code: string; name: string; value: number | null; target: number; gap: number }[];
	/**
	 * The children with a target in that KPI in the period: without any, no child "met it"
	 * (issue 11: a period no campaign covers said every child had).
	 */
	childrenWithTarget: number;
}

const LOWEST_COUNT = 5;
const SPARKLINE_MONTHS = 12;

const DOSSIER_IDS = new Set<KpiId>(DOSSIER_KPI_IDS);

export async function unitOverview(
	db: Kysely<Database>,
	context: UnitContext,
	state: OverviewState = { kpi: null }
): Promise<Overview> {
	const { unit, period, comparison } = context;
	const existedThen =
		(unit.valid_from === null || unit.valid_from <= comparison.period.to) &&
		(unit.valid_to === null || unit.valid_to >= comparison.period.from);
	// Twelve whole months ending with the period's month, within the unit's validity (a reused
	// code names another unit outside it).
	const lastMonth = monthIndex(period.to);
	const months = monthSpan(lastMonth - (SPARKLINE_MONTHS - 1), lastMonth, SPARKLINE_MONTHS).map(
		monthFirstDay
	);
	const firstMonth = months[0];
	const sparkFrom = unit.valid_from && unit.valid_from > firstMonth ? unit.valid_from : firstMonth;
	const asOf =
		context.lastDataDay && context.lastDataDay < period.to ? context.lastDataDay : period.to;
	const [report, compared, series, campaigns] = await Promise.all([
		kpiReport(db, unit.code, period, context.dataVersion),
		existedThen
			? unitKpis(db, unit, comparison.period, context.dataVersion)
			: Promise.resolve(null),
		kpiSeries(db, unit.code, { from: sparkFrom, to: period.to }, 'month', {
			withChildren: false,
			version: context.dataVersion
		}),
		standings(db, unit.code, asOf, context)
	]);
	const byMonth = new Map(series.points.map((p) => [p.bucket.slice(0, 7), p]));
	const cards = KPI_DEFINITIONS.map((definition): KpiCard => {
		const then = compared ? compared[definition.id] : null;
		return {
			id: definition.id,
			name: definition.name,
			formula: definition.formula,
			current: kpiFigure(report.kpis[definition.id], then),
			compared: then,
			sparkline: DOSSIER_IDS.has(definition.id)
				? months.map(
						(month) =>
							byMonth.get(month.slice(0, 7))?.kpis[definition.id as DossierKpiId].value ?? null
					)
				: []
		};
	});
	const levelStatus: Overview['levelStatus'] = {};
	for (const [level, values] of Object.entries(report.by_level)) {
		levelStatus[level] = Object.fromEntries(
			Object.entries(values).map(([id, v]) => [id, kpiFigure(v).status])
		);
	}
	const kpi = state.kpi ?? missedMost(cards);
	const pullingDown = pullingDownIn(report, kpi, state.kpi !== null);
	return {
		report,
		cards,
		sparklineMonths: months,
		campaigns,
		asOf,
		levelStatus,
		pullingDown
	};
}

/**
 * The KPI the unit misses by most: below its target before close to it, then the most points
 * short, then the catalogue's order; the headline KPI when it misses none (a campaign failing on
 * digitization opens on digitization, not on online filing, issue 12).
 */
export function missedMost(cards: Pick<KpiCard, 'id' | 'current'>[]): KpiId {
	const missed = cards
		.filter(({ current }) => current.status === 'below' || current.status === 'close')
		.map(({ id, current }, order) => ({
			id,
			below: current.status === 'below',
			short: shortfallTenths(current, current.target!) ?? 0,
			order
		}))
		.sort((a, b) => Number(b.below) - Number(a.below) || b.short - a.short || a.order - b.order);
	return missed[0]?.id ?? HEADLINE_KPI;
}

function pullingDownIn(report: KpiReport, kpi: KpiId, chosen: boolean): PullingDown {
	const figures = report.children.map((child) => ({ child, figure: kpiFigure(child.kpis[kpi]) }));
	const units = figures
		// gap: the dossiers (procedures, for a catalogue KPI) that would have had to count
		// (kpi/figures.ts, the same as the procedures page's "missing").
		.filter(({ figure }) => figure.gap !== null && figure.gap > 0)
		.map(({ child, figure }) => ({
			code: child.unit.code,
			name: child.unit.name,
			value: figure.value,
			target: figure.target!,
			gap: figure.gap!
		}))
		.sort((a, b) => b.gap - a.gap || a.name.localeCompare(b.name, 'vi'))
		.slice(0, LOWEST_COUNT);
	const childrenWithTarget = figures.filter(({ figure }) => figure.target !== null).length;
	return { kpi, chosen, units, childrenWithTarget };
}

/** The chosen campaign's standing, else those running on `asOf`; none for a unit gone by then. */
async function standings(
	db: Kysely<Database>,
	code: string,
	asOf: string,
	context: UnitContext
): Promise<CampaignStanding[]> {
	try {
		// Standings change only with the data: one computation per data version, unit and day.
		const version = context.dataVersion;
		const all = await remember(db, `standings|${version}|${code}|${asOf}`, () =>
			campaignStandings(db, code, asOf, version)
		);
		return context.campaign ? all.filter((s) => s.campaign === context.campaign!.name) : all;
	} catch (error) {
		if (error instanceof KpiQueryError) return [];
		throw error;
	}
}
