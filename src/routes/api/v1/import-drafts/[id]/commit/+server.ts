import { json } from '@sveltejs/kit';
import { draftNotFound, draftRefusal } from '$lib/server/jobs/draft-http';
import { commitDraft } from '$lib/server/jobs/drafts/commit';
import { parseDraftId } from '$lib/server/jobs/drafts/draft';
import { getStore } from '$lib/server/store';
import type { RequestHandler } from './$types';

/**
 * `POST /api/v1/import-drafts/<id>/commit`: a draft whose last check was clean becomes a queued
 * import (CONTRACT's job, `GET /api/v1/imports/<import>`), `202 { import }`; 409 otherwise.
 */
export const POST: RequestHandler = async ({ params, locals }) => {
	const { db } = await getStore();
	const id = parseDraftId(params.id);
	try {
		const batchId = id === null ? null : await commitDraft(db, locals.user!, id);
		if (batchId === null) return draftNotFound();
		return json(
			{ id: String(id), import: String(batchId), status: 'queued' },
			{ status: 202, headers: { location: `/api/v1/imports/${batchId}` } }
		);
	} catch (error) {
		const refusal = draftRefusal(error);
		if (refusal) return refusal;
		throw error;
	}
};
