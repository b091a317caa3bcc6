import type { Kysely } from 'kysely';
import { compareChildren, compareQuery } from '$lib/server/dashboard/compare';
import { dashboardLoad } from '$lib/server/dashboard/page';
import { KPI_DEFINITIONS } from '$lib/server/kpi/definitions';
import type { PageServerLoad } from './$types';

/** `GET /u/<code>/compare?kpi=&sort=&dir=`: the unit's children side by side (issue 6). */
export const load: PageServerLoad = (event) =>
	dashboardLoad(event, async ({ db, context }) => {
		const query = compareQuery(event.url.searchParams);
		const compared = await compareChildren(db as Kysely<unknown>, context, query);
		const definitions = KPI_DEFINITIONS.map((d) => ({
			id: d.id,
			name: d.name,
			formula: d.formula
		}));
		return { compared, definitions };
	});
