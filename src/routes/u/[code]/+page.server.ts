import { error } from '@sveltejs/kit';
import { OutOfScope } from '$lib/server/auth/scope';
import { getStore } from '$lib/server/db';
import { KPI_DEFINITIONS } from '$lib/server/kpi/definitions';
import { KpiQueryError } from '$lib/server/kpi/units';
import { defaultPeriod, parsePeriod, unitReport } from '$lib/server/overview';
import type { PageServerLoad } from './$types';

/** CONTRACT: `GET /u/<code>?from=&to=`, the overview of a unit in the user's scope. */
export const load: PageServerLoad = async ({ params, url, locals }) => {
	const { db } = await getStore();
	const user = locals.user!;
	try {
		const period =
			url.searchParams.has('from') || url.searchParams.has('to')
				? parsePeriod(url.searchParams.get('from'), url.searchParams.get('to'))
				: await defaultPeriod(db, user, params.code);
		const report = await unitReport(db, user, params.code, period);
		const definitions = KPI_DEFINITIONS.map((d) => ({ id: d.id, name: d.name }));
		return { report, definitions };
	} catch (e) {
		if (e instanceof OutOfScope) error(404, 'not found');
		if (e instanceof KpiQueryError) error(400, e.message);
		throw e;
	}
};
