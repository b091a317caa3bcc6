import { json } from '@sveltejs/kit';
import { draftNotFound, draftRefusal, readJsonObject } from '$lib/server/jobs/draft-http';
import { hasDraft, parseDraftId } from '$lib/server/jobs/drafts/draft';
import { checkManager } from '$lib/server/jobs/drafts/refused';
import { updateDraft } from '$lib/server/jobs/drafts/update';
import { draftView } from '$lib/server/jobs/drafts/view';
import { getStore } from '$lib/server/store';
import type { RequestHandler } from './$types';

/** `GET /api/v1/import-drafts/<id>`: the draft, its mapping and its last check, to its uploader. */
export const GET: RequestHandler = async ({ params, locals }) => {
	const { db } = await getStore();
	const id = parseDraftId(params.id);
	const view = id === null ? null : await draftView(db, locals.user!, id);
	return view ? json(view) : draftNotFound();
};

/**
 * `PATCH /api/v1/import-drafts/<id>` with `{ kind?, mapping?: { "<header>": "<column>" | null } }`:
 * the draft as changed (its check forgotten).
 */
export const PATCH: RequestHandler = async ({ params, locals, request }) => {
	const { db } = await getStore();
	const id = parseDraftId(params.id);
	if (id === null) return draftNotFound();
	try {
		// Who may, and which draft, before the body is read.
		checkManager(locals.user!);
		if (!(await hasDraft(db, locals.user!, id))) return draftNotFound();
		const body = await readJsonObject(request);
		if (body instanceof Response) return body;
		const changed = await updateDraft(db, locals.user!, id, {
			kind: body.kind,
			mapping: body.mapping
		});
		if (!changed) return draftNotFound();
		return json(await draftView(db, locals.user!, id));
	} catch (error) {
		const refusal = draftRefusal(error);
		if (refusal) return refusal;
		throw error;
	}
};
