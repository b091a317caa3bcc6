import { error, fail } from '@sveltejs/kit';
import { REPORT_HEADER_FIELDS, type ReportHeader } from '$lib/domain/official-document';
import { MANAGING_ROLES } from '$lib/domain/types';
import { actorOf } from '$lib/server/auth/admin';
import { actionContext, dashboardLoad } from '$lib/server/dashboard/page';
import { readForm } from '$lib/server/http/form';
import { HeaderRefused, reportHeader, saveReportHeader } from '$lib/server/report/header';
import type { Actions, PageServerLoad } from './$types';

/**
 * `/u/<code>/report-header`: the frame the unit's reports are printed in (issue 13) — issuing
 * body, abbreviation, place, signer, recipients — for the reform team and admin of its scope;
 * anyone else is told there is no such page, as for a unit outside the scope.
 */
export const load: PageServerLoad = (event) =>
	dashboardLoad(event, {}, async ({ db, principal, context }) => {
		if (!MANAGING_ROLES.includes(principal.role)) error(404, 'not found');
		return { header: await reportHeader(db, context.unit) };
	});

/** The form's fields as a header; a field sent twice or missing is refused, not guessed. */
function sentHeader(form: FormData): ReportHeader | null {
	const header = {} as ReportHeader;
	for (const field of REPORT_HEADER_FIELDS) {
		const values = form.getAll(field);
		if (values.length !== 1 || typeof values[0] !== 'string') return null;
		header[field] = values[0];
	}
	return header;
}

/** The unit of a form action, for a manager only: anyone else is told there is no such page. */
async function managedUnit(event: Parameters<typeof actionContext>[0]) {
	const scope = await actionContext(event);
	if (!MANAGING_ROLES.includes(scope.principal.role)) error(404, 'not found');
	return scope;
}

export const actions: Actions = {
	save: async (event) => {
		const { db, principal, context } = await managedUnit(event);
		const form = await readForm(event.request);
		const header = sentHeader(form);
		if (!header) return fail(400, { problem: { field: 'issuingBody', kind: 'required' } as const });
		try {
			await saveReportHeader(
				db,
				principal,
				actorOf(event.locals.user!, event.getClientAddress()),
				context.unit,
				header
			);
		} catch (e) {
			if (e instanceof HeaderRefused) return fail(400, { problem: e.problem, sent: header });
			throw e;
		}
		return { saved: true };
	},
	reset: async (event) => {
		const { db, principal, context } = await managedUnit(event);
		await readForm(event.request);
		await saveReportHeader(
			db,
			principal,
			actorOf(event.locals.user!, event.getClientAddress()),
			context.unit,
			null
		);
		return { reset: true };
	}
};
