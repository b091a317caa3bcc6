import { COMPARE } from '$lib/domain/url-params';
import { compareChildren } from '$lib/server/dashboard/compare';
import { dashboardLoad } from '$lib/server/dashboard/page';
import { KPI_DEFINITIONS } from '$lib/server/kpi/definitions';
import type { PageServerLoad } from './$types';

/** `GET /u/<code>/compare?kpi=&sort=&dir=`: the unit's children side by side (issue 6). */
export const load: PageServerLoad = (event) =>
	dashboardLoad(event, COMPARE, async ({ db, context, state }) => {
		const compared = await compareChildren(db, context, state);
		const definitions = KPI_DEFINITIONS.map((d) => ({
			id: d.id,
			name: d.name,
			formula: d.formula
		}));
		return { compared, definitions };
	});
