import { dashboardLoad } from '$lib/server/dashboard/page';
import { KPI_DEFINITIONS } from '$lib/server/kpi/definitions';
import { kpiReport } from '$lib/server/kpi/report';
import type { PageServerLoad } from './$types';

/** CONTRACT: `GET /u/<code>?from=&to=`, the overview of a unit in the user's scope. */
export const load: PageServerLoad = (event) =>
	dashboardLoad(event, async ({ db, context }) => {
		const report = await kpiReport(db as never, context.unit.code, context.period);
		const definitions = KPI_DEFINITIONS.map((d) => ({ id: d.id, name: d.name }));
		return { report, definitions };
	});
