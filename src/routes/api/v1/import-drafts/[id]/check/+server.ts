import { json } from '@sveltejs/kit';
import { draftNotFound, draftRefusal } from '$lib/server/jobs/draft-http';
import { queueCheck } from '$lib/server/jobs/drafts/check';
import { parseDraftId } from '$lib/server/jobs/drafts/draft';
import { getStore } from '$lib/server/store';
import type { RequestHandler } from './$types';

/**
 * `POST /api/v1/import-drafts/<id>/check`: queues the draft's check (the whole validation, in the
 * import queue; nothing is written to the data), `202`; follow it on the draft.
 */
export const POST: RequestHandler = async ({ params, locals }) => {
	const { db } = await getStore();
	const id = parseDraftId(params.id);
	try {
		if (id === null || !(await queueCheck(db, locals.user!, id))) return draftNotFound();
		return json({ id: String(id), check: 'queued' }, { status: 202 });
	} catch (error) {
		const refusal = draftRefusal(error);
		if (refusal) return refusal;
		throw error;
	}
};
