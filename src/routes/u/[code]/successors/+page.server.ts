import { error, redirect } from '@sveltejs/kit';
import { canonicalQuery } from '$lib/domain/periods';
import { COMPARE, parseParams, VIEW } from '$lib/domain/url-params';
import { guarded } from '$lib/server/dashboard/page';
import { successorsView } from '$lib/server/dashboard/successors';
import { KPI_DEFINITIONS } from '$lib/server/kpi/definitions';
import { getStore } from '$lib/server/store';
import type { PageServerLoad } from './$types';

/**
 * `GET /u/<code>/successors?from=&to=&vs=&kpi=&sort=&dir=`: the units an ended unit became, side
 * by side (issue 12). Outside the unit's layout: the ended unit's period is not theirs.
 */
export const load: PageServerLoad = (event) =>
	guarded(async () => {
		const { db } = await getStore();
		const picked = canonicalQuery(event.url.searchParams, []);
		if (picked && 'problem' in picked)
			error(400, { message: 'bad request', problem: picked.problem });
		if (picked) redirect(303, `${event.url.pathname}?${picked.query}`);
		const view = parseParams(VIEW, event.url.searchParams);
		if ('problem' in view) error(400, { message: 'bad request', problem: view.problem });
		const compare = parseParams(COMPARE, event.url.searchParams);
		if ('problem' in compare) error(400, { message: 'bad request', problem: compare.problem });
		const successors = await successorsView(
			db,
			event.locals.user!,
			event.params.code,
			view.state,
			compare.state
		);
		const definitions = KPI_DEFINITIONS.map((d) => ({
			id: d.id,
			name: d.name,
			formula: d.formula
		}));
		return { successors, definitions };
	});
