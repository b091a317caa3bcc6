import type { Kysely } from 'kysely';
import { dashboardLoad } from '$lib/server/dashboard/page';
import { NO_FIELD, procedureQuery, proceduresView } from '$lib/server/dashboard/procedures';
import type { PageServerLoad } from './$types';

/** `GET /u/<code>/procedures?field=&sort=&dir=&page=`: the unit's procedures in the period. */
export const load: PageServerLoad = (event) =>
	dashboardLoad(event, async ({ db, context }) => ({
		procedures: await proceduresView(
			db as Kysely<unknown>,
			context.unit,
			context.period,
			procedureQuery(event.url.searchParams)
		),
		noField: NO_FIELD
	}));
