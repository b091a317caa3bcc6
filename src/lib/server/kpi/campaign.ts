/**
 * Where a unit stands in each campaign that covers it: for every KPI with a target at the unit's
 * own level, the value so far, its status, days left, the forecast at the campaign's end and what
 * is needed per day from now on (progress.ts). "Now" is the caller's `asOf` (the last day of data,
 * or today), never the clock, so answers are reproducible.
 */
import type { Kysely } from 'kysely';
import { DOSSIER_KPI_IDS, KPI_IDS, type DossierKpiId, type KpiId } from '../../domain/kpi-ids';
import { daysBetween } from '../../domain/dates';
import { targetLevelOf } from '../../domain/types';
import type { TargetStatus } from '../../domain/figures';
import { targetStatus } from './figures';
import { campaignProgress, type CampaignProgress } from './progress';
import { unitKpis } from './report';
import { kpiSeries } from './series';
import { campaignTargets } from './targets';
import { resolveUnit } from '../units/versions';
import type { DataVersion } from '../db/cache';
import type { Database } from '../db/schema';

export interface CampaignKpiStanding {
	kpi: KpiId;
	target: number;
	value: number | null;
	numerator: number;
	denominator: number;
	/** The value so far (the result, once the campaign has ended) against the target (figures.ts). */
	status: TargetStatus | null;
	/**
	 * The expected value at the end: the dossier KPIs' forecast; a catalogue KPI's value as it
	 * stands (it changes when procedures do, not with the dossiers to come). Null once ended: the
	 * value is then the result, not a forecast.
	 */
	forecast: number | null;
	/** forecast printed reaches the target; null once ended or without a value. */
	willMeet: boolean | null;
	/** Dossier KPIs only: catalogue KPIs have no daily series to project. */
	progress: CampaignProgress | null;
}

export interface CampaignStanding {
	campaign: string;
	starts_on: string;
	ends_on: string;
	/** No day of the campaign is left after asOf: its figures are the end-of-campaign result. */
	ended: boolean;
	/** Days left after asOf (0 once ended). */
	daysLeft: number;
	kpis: CampaignKpiStanding[];
}

const DOSSIER_IDS = new Set<KpiId>(DOSSIER_KPI_IDS);

export async function campaignStandings(
	db: Kysely<Database>,
	unitCode: string,
	asOf: string,
	version?: DataVersion
): Promise<CampaignStanding[]> {
	const today = { from: asOf, to: asOf };
	const unit = await resolveUnit(db, unitCode, today);
	const level = targetLevelOf(unit.level);
	// Campaigns running on asOf, for the unit's own level.
	const targets = ((await campaignTargets(db, [unit.id], today)).get(unit.id) ?? []).filter(
		(t) => t.level === level
	);
	const campaigns = [...new Map(targets.map((t) => [t.campaign, t])).values()];
	return Promise.all(
		campaigns.map(async (c) => {
			const soFar = { from: c.starts_on, to: asOf < c.ends_on ? asOf : c.ends_on };
			// Calendar days after asOf to the end (asOf is within the campaign: it runs on asOf).
			const daysLeft = Math.max(0, daysBetween(asOf, c.ends_on));
			const ended = daysLeft === 0;
			const [values, daily] = await Promise.all([
				unitKpis(db, unit, soFar, version),
				kpiSeries(db, unitCode, soFar, 'day', { withChildren: false })
			]);
			const kpis = targets
				.filter((t) => t.campaign === c.campaign)
				.sort((a, b) => KPI_IDS.indexOf(a.kpi) - KPI_IDS.indexOf(b.kpi))
				.map((t): CampaignKpiStanding => {
					const v = values[t.kpi];
					const progress = DOSSIER_IDS.has(t.kpi)
						? campaignProgress({
								series: daily.points.map((p) => ({
									day: p.bucket,
									numerator: p.kpis[t.kpi as DossierKpiId].numerator,
									denominator: p.kpis[t.kpi as DossierKpiId].denominator
								})),
								starts: c.starts_on,
								ends: c.ends_on,
								asOf,
								target: t.target
							})
						: null;
					const status = targetStatus(v, t.target);
					const forecast = ended ? null : progress ? progress.forecast : v.value;
					return {
						kpi: t.kpi,
						target: t.target,
						value: v.value,
						numerator: v.numerator,
						denominator: v.denominator,
						status,
						forecast,
						willMeet: ended
							? null
							: progress
								? progress.willMeet
								: status === null
									? null
									: status === 'met',
						progress
					};
				});
			return {
				campaign: c.campaign,
				starts_on: c.starts_on,
				ends_on: c.ends_on,
				ended,
				daysLeft,
				kpis
			};
		})
	);
}
