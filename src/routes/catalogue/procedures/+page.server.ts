import { error } from '@sveltejs/kit';
import { NO_FIELD, parseParams, PROCEDURE_CATALOGUE } from '$lib/domain/url-params';
import { procedureCatalogue } from '$lib/server/dashboard/procedure-catalogue';
import { getStore } from '$lib/server/store';
import type { PageServerLoad } from './$types';

/**
 * `GET /catalogue/procedures?q=&field=&level=&online=&fee=&payment=&owner=&sort=&dir=&page=`: the
 * province's procedures, with the dossiers of the user's subtree (issue 14).
 */
export const load: PageServerLoad = async ({ locals, url }) => {
	const parsed = parseParams(PROCEDURE_CATALOGUE, url.searchParams);
	if ('problem' in parsed) error(400, { message: 'bad request', problem: parsed.problem });
	const { db } = await getStore();
	const user = locals.user!;
	return {
		query: parsed.state,
		noField: NO_FIELD,
		scopeUnit: user.role === 'admin' ? null : user.unitCode,
		catalogue: await procedureCatalogue(db, user, parsed.state)
	};
};
