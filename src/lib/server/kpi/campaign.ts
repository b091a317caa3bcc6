/**
 * Where a unit stands in each campaign that covers it: for every KPI with a target at the unit's
 * own level, the value so far, its status, days left, the forecast at the campaign's end and what
 * is needed per day from now on (progress.ts). "Now" is the caller's `asOf` (the last day of data,
 * or today), never the clock, so answers are reproducible.
 */
import type { Kysely } from 'kysely';
import { DOSSIER_KPI_IDS, KPI_IDS, type DossierKpiId, type KpiId } from '../../domain/kpi-ids';
import { targetLevelOf } from '../../domain/types';
import {
	campaignProgress,
	targetStatus,
	type CampaignProgress,
	type TargetStatus
} from './progress';
import { unitKpis } from './report';
import { kpiSeries } from './series';
import { campaignTargets } from './targets';
import { resolveUnit } from './units';

export interface CampaignKpiStanding {
	kpi: KpiId;
	target: number;
	value: number | null;
	numerator: number;
	denominator: number;
	status: TargetStatus | null;
	/** Dossier KPIs only: catalogue KPIs have no daily series to project. */
	progress: CampaignProgress | null;
}

export interface CampaignStanding {
	campaign: string;
	starts_on: string;
	ends_on: string;
	kpis: CampaignKpiStanding[];
}

const DOSSIER_IDS = new Set<KpiId>(DOSSIER_KPI_IDS);

export async function campaignStandings(
	db: Kysely<unknown>,
	unitCode: string,
	asOf: string
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
			const [values, daily] = await Promise.all([
				unitKpis(db, unit, soFar),
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
					return {
						kpi: t.kpi,
						target: t.target,
						value: v.value,
						numerator: v.numerator,
						denominator: v.denominator,
						status: targetStatus(v.value, t.target),
						progress
					};
				});
			return { campaign: c.campaign, starts_on: c.starts_on, ends_on: c.ends_on, kpis };
		})
	);
}
