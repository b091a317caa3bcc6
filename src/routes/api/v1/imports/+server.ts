import { json } from '@sveltejs/kit';
import { MAX_UPLOAD_BYTES, UploadTooLarge } from '$lib/server/jobs/files';
import { checkUpload, queueUpload, UploadRefused } from '$lib/server/jobs/jobs';
import { jobHistory, MAX_HISTORY_PAGE, parseJobId } from '$lib/server/jobs/views';
import { getStore } from '$lib/server/store';
import type { RequestHandler } from './$types';

/** A 413 that also closes the connection: the sender may still be sending the rest. */
const tooLarge = (message: string) =>
	json({ error: message }, { status: 413, headers: { connection: 'close' } });

/**
 * CONTRACT: `POST /api/v1/imports?kind=<kind>&filename=<name>` with the file as the body (reform
 * team or admin): streamed to disk, queued, `202 { id, status: "queued" }`. Send it as bytes
 * (`Content-Type: application/octet-stream`, `text/csv`, …): SvelteKit refuses a form content
 * type posted without the page's Origin, as a cross-site form.
 */
export const POST: RequestHandler = async ({ url, request, locals }) => {
	const store = await getStore();
	const kind = url.searchParams.get('kind') ?? '';
	const filename = url.searchParams.get('filename') ?? '';
	try {
		checkUpload(locals.user!, kind, filename);
		const declared = Number(request.headers.get('content-length') ?? NaN);
		if (Number.isFinite(declared) && declared > MAX_UPLOAD_BYTES) {
			return tooLarge(new UploadTooLarge(MAX_UPLOAD_BYTES).message);
		}
		if (!request.body) {
			throw new UploadRefused(
				'the file is empty (0 bytes): send the file as the request body',
				400
			);
		}
		const id = await queueUpload(store, locals.user!, kind, filename, request.body);
		return json(
			{ id: String(id), status: 'queued' },
			{ status: 202, headers: { location: `/api/v1/imports/${id}` } }
		);
	} catch (error) {
		if (error instanceof UploadRefused)
			return json({ error: error.message }, { status: error.status });
		if (error instanceof UploadTooLarge) return tooLarge(error.message);
		throw error;
	}
};

/**
 * `GET /api/v1/imports?limit=<n>&before=<id>`: the import history the user may see, newest
 * first, `limit` (at most 100, default 50) at a time; `next` is the `before` of the next page.
 */
export const GET: RequestHandler = async ({ url, locals }) => {
	const { db } = await getStore();
	const limitText = url.searchParams.get('limit');
	const beforeText = url.searchParams.get('before');
	const limit = limitText === null ? 50 : Number(limitText);
	if (!Number.isInteger(limit) || limit < 1 || limit > MAX_HISTORY_PAGE) {
		return json(
			{ error: `limit must be a whole number from 1 to ${MAX_HISTORY_PAGE}` },
			{ status: 400 }
		);
	}
	const before = beforeText === null ? undefined : parseJobId(beforeText);
	if (before === null) return json({ error: 'before must be an import id' }, { status: 400 });
	return json(await jobHistory(db, locals.user!, { limit, before }));
};
