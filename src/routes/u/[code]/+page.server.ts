import { unitOverview } from '$lib/server/dashboard/overview';
import { OVERVIEW } from '$lib/domain/url-params';
import { dashboardLoad } from '$lib/server/dashboard/page';
import type { PageServerLoad } from './$types';

/** CONTRACT: `GET /u/<code>?from=&to=`, the overview of a unit in the user's scope. */
export const load: PageServerLoad = (event) =>
	dashboardLoad(event, OVERVIEW, async ({ db, context, state }) => ({
		overview: await unitOverview(db, context, state)
	}));
