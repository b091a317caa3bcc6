import { error } from '@sveltejs/kit';
import { parseParams, UNIT_CATALOGUE } from '$lib/domain/url-params';
import { scopeOf } from '$lib/server/auth/scope';
import { unitCatalogue } from '$lib/server/dashboard/unit-catalogue';
import { getStore } from '$lib/server/store';
import type { PageServerLoad } from './$types';

/** `GET /catalogue/units?q=&level=&status=&page=`: the units in the user's scope (issue 14). */
export const load: PageServerLoad = async ({ locals, url }) => {
	const parsed = parseParams(UNIT_CATALOGUE, url.searchParams);
	if ('problem' in parsed) error(400, { message: 'bad request', problem: parsed.problem });
	const { db } = await getStore();
	const scope = await scopeOf(db, locals.user!);
	return { query: parsed.state, catalogue: await unitCatalogue(db, scope, parsed.state) };
};
