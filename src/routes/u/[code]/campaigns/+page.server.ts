import { error, fail, redirect } from '@sveltejs/kit';
import { MANAGING_ROLES } from '$lib/domain/types';
import { readCampaignFields, type GridTarget } from '$lib/domain/campaign-form';
import { NONE } from '$lib/domain/url-params';
import { campaignsPage, copySource } from '$lib/server/dashboard/campaigns';
import { actionContext, dashboardLoad, guarded } from '$lib/server/dashboard/page';
import { readForm } from '$lib/server/http/form';
import { CampaignRefused, saveCampaign } from '$lib/server/jobs/campaign-edit';
import { getStore } from '$lib/server/store';
import { fieldOf } from './form';
import type { Actions, PageServerLoad } from './$types';

/**
 * `/u/<code>/campaigns` (issue 14, item 5): the campaigns that apply to the unit or are set below
 * it, for the reform team and administrators of its scope (anyone else: 404, as for a unit
 * outside the scope), and the form that creates one, empty or as a copy of an earlier one.
 */
export const load: PageServerLoad = (event) =>
	dashboardLoad(event, NONE, async ({ db, principal, context }) => ({
		page: await campaignsPage(db, principal, context.unit, context.dataVersion)
	}));

export const actions: Actions = {
	create: async (event) => {
		const { db, principal, context } = await actionContext(event);
		// Before the form is read: a leader's post is answered as the page is (404).
		if (!MANAGING_ROLES.includes(principal.role)) error(404, 'not found');
		const field = fieldOf(await readForm(event.request));
		const read = readCampaignFields(field);
		const sent = {
			name: field('name'),
			starts_on: field('starts_on'),
			ends_on: field('ends_on'),
			unit: field('unit')
		};
		if ('problem' in read) return fail(400, { problem: read.problem, sent });
		const unitCode = field('unit');
		const copy = field('copy') ?? '';
		let targets: GridTarget[] = [];
		if (copy !== '') {
			const source = await copySource(db, principal, context.unit, context.dataVersion, copy);
			if (!source) return fail(400, { problem: { field: 'copy', kind: 'unknown' } as const, sent });
			targets = source;
		}
		if (unitCode === null || unitCode.length > 40) {
			return fail(400, { problem: { field: 'unit', kind: 'unknown' } as const, sent });
		}
		let saved;
		try {
			saved = await guarded(async () =>
				saveCampaign(
					await getStore(),
					event.locals.user!,
					{ campaignId: null, fields: read.fields, unitCode, targets },
					event.getClientAddress()
				)
			);
		} catch (e) {
			if (e instanceof CampaignRefused) return fail(400, { problem: e.problem, sent });
			throw e;
		}
		redirect(303, `/u/${encodeURIComponent(context.unit.code)}/campaigns/${saved.campaignId}`);
	}
};
