import { json } from '@sveltejs/kit';
import { draftRefusal } from '$lib/server/jobs/draft-http';
import { createDraft } from '$lib/server/jobs/drafts/create';
import { checkManager, DraftRefused } from '$lib/server/jobs/drafts/refused';
import { MAX_UPLOAD_BYTES, UploadTooLarge } from '$lib/server/jobs/files';
import { getStore } from '$lib/server/store';
import type { RequestHandler } from './$types';

/**
 * `POST /api/v1/import-drafts?filename=<name>[&kind=<kind>]` with the file as the body (reform
 * team or admin; the upload page): streamed to disk as an import's upload, but not imported: a
 * draft, `201 { id }`, whose kind, header and mapping `GET /api/v1/import-drafts/<id>` proposes.
 */
export const POST: RequestHandler = async ({ url, request, locals }) => {
	const store = await getStore();
	const filename = url.searchParams.get('filename') ?? '';
	const kind = url.searchParams.get('kind');
	try {
		// Who may, before anything of the body is looked at.
		checkManager(locals.user!);
		const declared = Number(request.headers.get('content-length') ?? NaN);
		if (Number.isFinite(declared) && declared > MAX_UPLOAD_BYTES) {
			throw new UploadTooLarge(MAX_UPLOAD_BYTES);
		}
		if (!request.body) throw new DraftRefused('the file is empty (0 bytes)', 400);
		const id = await createDraft(store, locals.user!, filename, kind, request.body);
		return json(
			{ id: String(id) },
			{ status: 201, headers: { location: `/api/v1/import-drafts/${id}` } }
		);
	} catch (error) {
		const refusal = draftRefusal(error);
		if (refusal) return refusal;
		throw error;
	}
};
