import { dashboardLoad } from '$lib/server/dashboard/page';
import { NO_FIELD, PROCEDURES } from '$lib/domain/url-params';
import { proceduresView } from '$lib/server/dashboard/procedures';
import type { PageServerLoad } from './$types';

/** `GET /u/<code>/procedures?field=&sort=&dir=&page=`: the unit's procedures in the period. */
export const load: PageServerLoad = (event) =>
	dashboardLoad(event, PROCEDURES, async ({ db, context, state }) => ({
		procedures: await proceduresView(db, context.unit, context.period, state, context.dataVersion),
		noField: NO_FIELD
	}));
