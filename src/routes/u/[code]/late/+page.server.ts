import { dashboardLoad } from '$lib/server/dashboard/page';
import { LATE } from '$lib/domain/url-params';
import { lateView } from '$lib/server/dashboard/late';
import type { PageServerLoad } from './$types';

/**
 * `GET /u/<code>/late?list=open|completed&received=period|any&unit=<unit version id>&procedure=
 * <code>&by=&page=` (LATE, domain/url-params.ts): the unit's late dossiers; a unit filter outside
 * the unit's subtree is answered 404.
 */
export const load: PageServerLoad = (event) =>
	dashboardLoad(event, LATE, async ({ db, context, state }) => ({
		late: await lateView(
			db,
			context.unit,
			context.period,
			context.lastDataDay,
			state,
			context.dataVersion
		)
	}));
