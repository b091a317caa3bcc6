import { json } from '@sveltejs/kit';
import { draftNotFound, draftRefusal, readJsonObject } from '$lib/server/jobs/draft-http';
import { hasDraft, parseDraftId } from '$lib/server/jobs/drafts/draft';
import { saveProfile } from '$lib/server/jobs/drafts/profiles';
import { checkManager } from '$lib/server/jobs/drafts/refused';
import { getStore } from '$lib/server/store';
import type { RequestHandler } from './$types';

/**
 * `POST /api/v1/import-drafts/<id>/profile` with `{ name }`: the draft's mapping saved as a named
 * profile for its kind and headers, picked for the next file with the same headers; `201 { profile }`.
 */
export const POST: RequestHandler = async ({ params, locals, request, getClientAddress }) => {
	const { db } = await getStore();
	const id = parseDraftId(params.id);
	if (id === null) return draftNotFound();
	try {
		// Who may, and which draft, before the body is read.
		checkManager(locals.user!);
		if (!(await hasDraft(db, locals.user!, id))) return draftNotFound();
		const body = await readJsonObject(request, 4096);
		if (body instanceof Response) return body;
		const profile = await saveProfile(db, locals.user!, id, body.name, getClientAddress());
		if (profile === null) return draftNotFound();
		return json({ profile: String(profile) }, { status: 201 });
	} catch (error) {
		const refusal = draftRefusal(error);
		if (refusal) return refusal;
		throw error;
	}
};
