import { dashboardLoad } from '$lib/server/dashboard/page';
import { TRENDS } from '$lib/domain/url-params';
import { unitTrend } from '$lib/server/dashboard/trends';
import { DOSSIER_DEFINITIONS } from '$lib/server/kpi/definitions';
import type { PageServerLoad } from './$types';

/** `GET /u/<code>/trends?kpi=`: one dossier KPI month by month against a year earlier (issue 6). */
export const load: PageServerLoad = (event) =>
	dashboardLoad(event, TRENDS, async ({ db, context, state: { kpi } }) => {
		const trend = await unitTrend(db, context, kpi);
		const definitions = DOSSIER_DEFINITIONS.map((d) => ({
			id: d.id,
			name: d.name,
			formula: d.formula
		}));
		return { trend, definitions };
	});
