import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { CSV_CONTENT_TYPE } from '$lib/server/export/csv';
import { draftNotFound } from '$lib/server/jobs/draft-http';
import { parseDraftId } from '$lib/server/jobs/drafts/draft';
import { rejectedRowsFile } from '$lib/server/jobs/drafts/rejected';
import { getStore } from '$lib/server/store';
import type { RequestHandler } from './$types';

/**
 * `GET /api/v1/import-drafts/<id>/rejected.csv`: every rejected row of the draft's last check
 * (not only the first 1,000), with its reason, to its uploader; streamed from the file the check
 * wrote.
 */
export const GET: RequestHandler = async ({ params, locals }) => {
	const { db } = await getStore();
	const id = parseDraftId(params.id);
	const found = id === null ? null : await rejectedRowsFile(db, locals.user!, id);
	if (!found) return draftNotFound();
	const { size } = await stat(found.file);
	const body = Readable.toWeb(createReadStream(found.file)) as ReadableStream<Uint8Array>;
	return new Response(body, {
		headers: {
			'content-type': CSV_CONTENT_TYPE,
			'content-length': String(size),
			'content-disposition': `attachment; filename="${found.name.replace(/[^\x20-\x7e]|"/g, '_')}"; filename*=UTF-8''${encodeURIComponent(found.name)}`,
			'cache-control': 'private, no-store'
		}
	});
};
