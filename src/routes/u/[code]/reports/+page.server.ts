import { error, fail, redirect } from '@sveltejs/kit';
import { MANAGING_ROLES } from '$lib/domain/types';
import { REPORTS } from '$lib/domain/url-params';
import { actorOf } from '$lib/server/auth/admin';
import { assertManages, OutOfScope } from '$lib/server/auth/scope';
import { dashboardLoad } from '$lib/server/dashboard/page';
import { readForm } from '$lib/server/http/form';
import {
	checkPublishRequest,
	publishableMonths,
	publishedReports,
	publishProblem,
	publishReport,
	type PublishedReportSummary
} from '$lib/server/report/publish';
import { getStore } from '$lib/server/store';
import type { Actions, PageServerLoad } from './$types';

/**
 * `GET /u/<code>/reports?for=<YYYY-MM>&page=` (REPORTS, domain/url-params.ts): the reports
 * published for the unit and its subtree within the user's scope, newest first; the months a
 * reform team or admin may publish the unit's report for.
 */
export const load: PageServerLoad = (event) =>
	dashboardLoad(event, REPORTS, async ({ db, principal, context, state }) => ({
		published: await publishedReports(db, principal, {
			unit: context.unit.code,
			month: state.for,
			page: state.page
		}),
		filter: state.for,
		publishMonths: MANAGING_ROLES.includes(principal.role)
			? publishableMonths(context.dataRange)
			: null
	}));

export const actions: Actions = {
	/**
	 * `POST ?/publish` (month, number, confirm=yes): publishes the unit's report and goes to it.
	 * Anyone who may not publish this unit's reports gets 404 before the form is read.
	 */
	publish: async ({ request, params, locals, getClientAddress }) => {
		const { db } = await getStore();
		const principal = locals.user!;
		try {
			await assertManages(db, principal, params.code);
		} catch (e) {
			if (e instanceof OutOfScope) error(404, 'not found');
			throw e;
		}
		const form = await readForm(request);
		const month = String(form.get('month') ?? '');
		const number = String(form.get('number') ?? '');
		// What the form shows again after a refusal, cut to what its fields could hold.
		const entered = { month: month.slice(0, 7), number: number.slice(0, 40) };
		let published: PublishedReportSummary;
		try {
			checkPublishRequest({ unit: params.code, month, number });
			if (form.get('confirm') !== 'yes') return fail(400, { problem: 'confirm', ...entered });
			published = await publishReport(db, principal, actorOf(principal, getClientAddress()), {
				unit: params.code,
				month,
				number
			});
		} catch (e) {
			if (e instanceof OutOfScope) error(404, 'not found');
			const problem = publishProblem(e);
			if (problem) return fail(problem === 'busy' ? 503 : 400, { problem, ...entered });
			throw e;
		}
		redirect(303, `/u/${encodeURIComponent(published.unitCode)}/reports/${published.id}`);
	}
};
