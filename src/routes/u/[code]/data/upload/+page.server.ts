import { error } from '@sveltejs/kit';
import { NONE } from '$lib/domain/url-params';
import { MANAGING_ROLES } from '$lib/domain/types';
import { dashboardLoad } from '$lib/server/dashboard/page';
import { parseDraftId } from '$lib/server/jobs/drafts/draft';
import { draftView } from '$lib/server/jobs/drafts/view';
import type { PageServerLoad } from './$types';

/**
 * `GET /u/<code>/data/upload[?draft=<id>]`: the upload page (issue 14), for the reform team and
 * admin of the unit's scope; anyone else is told there is no such page. The draft in the URL is
 * the user's own (any other is "not found"), so they may leave and come back to it.
 */
export const load: PageServerLoad = (event) =>
	dashboardLoad(event, NONE, async ({ db, principal }) => {
		if (!MANAGING_ROLES.includes(principal.role)) error(404, 'not found');
		const asked = event.url.searchParams.get('draft');
		const id = asked === null ? null : parseDraftId(asked);
		const draft = id === null ? null : await draftView(db, event.locals.user!, id);
		return { draft, draftMissing: asked !== null && draft === null };
	});
