import { error } from '@sveltejs/kit';
import { actorOf } from '$lib/server/auth/admin';
import { OutOfScope } from '$lib/server/auth/scope';
import { isReportFormat } from '$lib/server/report/files';
import { parseReportId, publishedFile } from '$lib/server/report/publish';
import { getStore } from '$lib/server/store';
import type { RequestHandler } from './$types';

/**
 * `GET /u/<code>/reports/<id>/<xlsx|pdf|csv>`: a published file, the bytes stored when it was
 * published (a `Repr-Digest` gives their SHA-256), under its stored name; written to the audit
 * log. Another format, an id that names no report of that unit, or one outside the scope: 404.
 */
export const GET: RequestHandler = async ({ params, locals, getClientAddress }) => {
	const id = parseReportId(params.id);
	const { format } = params;
	if (id === null || !isReportFormat(format)) error(404, 'not found');
	const { db } = await getStore();
	const user = locals.user!;
	try {
		const file = await publishedFile(db, user, actorOf(user, getClientAddress()), {
			unit: params.code,
			id,
			format
		});
		return new Response(new Uint8Array(file.body), {
			headers: {
				'content-type': file.contentType,
				'content-disposition': `attachment; filename="${file.fileName}"`,
				'content-length': String(file.body.length),
				'repr-digest': `sha-256=:${Buffer.from(file.sha256, 'hex').toString('base64')}:`,
				'cache-control': 'private, no-cache'
			}
		});
	} catch (e) {
		if (e instanceof OutOfScope) error(404, 'not found');
		throw e;
	}
};
