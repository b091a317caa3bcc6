import { dashboardLoad } from '$lib/server/dashboard/page';
import { LATE } from '$lib/domain/url-params';
import { lateView } from '$lib/server/dashboard/late';
import type { PageServerLoad } from './$types';

/**
 * `GET /u/<code>/late?kind=open|completed&unit=<unit version id>&procedure=<code>&page=`: the
 * unit's late dossiers; a unit filter outside the unit's subtree is answered 404.
 */
export const load: PageServerLoad = (event) =>
	dashboardLoad(event, LATE, async ({ db, context, state }) => ({
		late: await lateView(db, context.unit, context.period, context.lastDataDay, state)
	}));
