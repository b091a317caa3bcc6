import { json } from '@sveltejs/kit';
import { OutOfScope } from '$lib/server/auth/scope';
import { getStore } from '$lib/server/store';
import { KpiQueryError, UnknownUnit } from '$lib/server/units/versions';
import { checkedPeriod } from '$lib/server/kpi/period';
import { unitReport } from '$lib/server/overview';
import type { RequestHandler } from './$types';

/** CONTRACT: `GET /api/v1/kpi?unit=&from=&to=`, the `kpi --json` object of a unit in scope. */
export const GET: RequestHandler = async ({ url, locals }) => {
	const { db } = await getStore();
	const code = url.searchParams.get('unit');
	try {
		if (!code) throw new KpiQueryError('give the unit code: ?unit=<code>&from=…&to=…');
		const period = checkedPeriod(url.searchParams.get('from'), url.searchParams.get('to'));
		return json(await unitReport(db, locals.user!, code, period));
	} catch (error) {
		if (error instanceof OutOfScope || error instanceof UnknownUnit) {
			return json({ error: 'not found' }, { status: 404 });
		}
		if (error instanceof KpiQueryError) return json({ error: error.message }, { status: 400 });
		throw error;
	}
};
