import { error, fail, redirect } from '@sveltejs/kit';
import { readCampaignFields, readGrid, type UndoRefusal } from '$lib/domain/campaign-form';
import { MANAGING_ROLES } from '$lib/domain/types';
import { NONE } from '$lib/domain/url-params';
import {
	campaignEditor,
	editableCampaign,
	isSaveOf,
	undoRefusal
} from '$lib/server/dashboard/campaigns';
import { actionContext, dashboardLoad, guarded } from '$lib/server/dashboard/page';
import { readForm } from '$lib/server/http/form';
import { campaignRecord } from '$lib/server/kpi/campaigns';
import { UndoRefused } from '$lib/server/import/history/undo';
import { CampaignRefused, saveCampaign } from '$lib/server/jobs/campaign-edit';
import { undoJob, UndoForbidden } from '$lib/server/jobs/undo';
import { getStore } from '$lib/server/store';
import { fieldOf } from '../form';
import type { Actions, PageServerLoad } from './$types';

/**
 * `/u/<code>/campaigns/<id>`: one campaign's editor (issue 14, item 5) — name and dates, the KPI ×
 * level grid of targets on the unit it is set on, the units it covers — for a reform team or
 * administrator whose scope holds every unit it is set on; anyone else, and any other id: 404.
 * A save is a targets import (jobs/campaign-edit.ts); the page offers to undo the save just made.
 */
export const load: PageServerLoad = (event) =>
	dashboardLoad(event, NONE, async ({ db, principal, context }) => {
		const record = await editableCampaign(db, principal, context.unit, event.params.id);
		return { editor: await campaignEditor(db, principal, record) };
	});

/** The campaign of a form action, for a manager who may edit it; 404 otherwise, as the page. */
async function editedCampaign(
	event: Parameters<typeof actionContext>[0] & { params: { id: string } }
) {
	const scope = await actionContext(event);
	if (!MANAGING_ROLES.includes(scope.principal.role)) error(404, 'not found');
	const record = await guarded(() =>
		editableCampaign(scope.db, scope.principal, scope.context.unit, event.params.id)
	);
	return { ...scope, record };
}

export const actions: Actions = {
	save: async (event) => {
		const { db, principal, record } = await editedCampaign(event);
		const form = await readForm(event.request);
		const field = fieldOf(form);
		const sent = Object.fromEntries(
			[...form.keys()].map((key) => [key, String(form.get(key) ?? '').slice(0, 400)])
		);
		const fields = readCampaignFields(field);
		if ('problem' in fields) return fail(400, { problem: fields.problem, sent });
		const grid = readGrid(field);
		if ('problem' in grid) return fail(400, { problem: grid.problem, sent });
		const editor = await campaignEditor(db, principal, record);
		try {
			const saved = await guarded(async () =>
				saveCampaign(
					await getStore(),
					event.locals.user!,
					{
						campaignId: record.id,
						fields: fields.fields,
						unitCode: editor.gridUnit.code,
						targets: grid.targets
					},
					event.getClientAddress()
				)
			);
			return { saved };
		} catch (e) {
			if (e instanceof CampaignRefused) return fail(400, { problem: e.problem, sent });
			throw e;
		}
	},
	undo: async (event) => {
		const { db, record, context } = await editedCampaign(event);
		const batch = fieldOf(await readForm(event.request))('batch') ?? '';
		if (!/^[1-9]\d{0,8}$/.test(batch)) {
			return fail(400, { undoRefused: { reason: 'missing' } satisfies UndoRefusal });
		}
		// Only a save of this campaign: the page never offers to undo another import.
		if (!(await isSaveOf(db, record.id, Number(batch)))) {
			return fail(404, { undoRefused: { reason: 'missing' } satisfies UndoRefusal });
		}
		try {
			const done = await undoJob(db, event.locals.user!, Number(batch), event.getClientAddress());
			if (!done) return fail(404, { undoRefused: { reason: 'missing' } satisfies UndoRefusal });
			// The undo of the save that created it removes the campaign: its page is gone, the list is not.
			if (!(await campaignRecord(db, record.id))) {
				redirect(303, `/u/${encodeURIComponent(context.unit.code)}/campaigns`);
			}
			return { undone: Number(batch) };
		} catch (e) {
			if (e instanceof UndoForbidden) {
				return fail(409, { undoRefused: { reason: 'forbidden' } satisfies UndoRefusal });
			}
			if (e instanceof UndoRefused) {
				return fail(409, { undoRefused: await undoRefusal(db, Number(batch), e) });
			}
			throw e;
		}
	}
};
