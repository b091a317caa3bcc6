import { SHORTFALL } from '$lib/domain/url-params';
import { dashboardLoad } from '$lib/server/dashboard/page';
import { shortfallView } from '$lib/server/dashboard/shortfall';
import { DOSSIER_DEFINITIONS } from '$lib/server/kpi/definitions';
import type { PageServerLoad } from './$types';

/** The dossier KPIs the list may be of, in the dashboard's order, with their words. */
const KPIS = DOSSIER_DEFINITIONS.map((d) => ({
	id: d.id,
	name: d.name,
	formula: d.formula
}));

/**
 * `GET /u/<code>/dossiers?kpi=<dossier KPI>&page=` (SHORTFALL, domain/url-params.ts): the dossiers
 * of the unit's subtree in the KPI's denominator for the layout's period and not in its numerator
 * (issue 16: what the scorecard's points lost are made of); the scope is the layout's.
 */
export const load: PageServerLoad = (event) =>
	dashboardLoad(event, SHORTFALL, async ({ db, context, state }) => ({
		shortfall: await shortfallView(db, context.unit, context.period, state, context.dataVersion),
		kpis: KPIS
	}));
