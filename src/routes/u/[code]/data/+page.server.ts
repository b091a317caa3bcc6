import { dataFreshness } from '$lib/server/dashboard/freshness';
import { NONE } from '$lib/domain/url-params';
import { MANAGING_ROLES } from '$lib/domain/types';
import { dashboardLoad } from '$lib/server/dashboard/page';
import type { PageServerLoad } from './$types';

/** `GET /u/<code>/data`: how current the data of the unit's subtree is. */
export const load: PageServerLoad = (event) =>
	dashboardLoad(event, NONE, async ({ db, principal, context }) => ({
		freshness: await dataFreshness(
			db,
			principal,
			context.unit,
			context.lastDataDay,
			context.dataVersion
		),
		// A reform team or an administrator uploads (the upload page) and undoes imports here.
		canManage: MANAGING_ROLES.includes(principal.role)
	}));
