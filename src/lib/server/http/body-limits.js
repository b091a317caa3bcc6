/**
 * How big a request body may be. Plain JavaScript because two loaders read it: the production
 * server (src/production-server.js), which enforces the limit of every route but the upload before
 * SvelteKit sees the request, and the import upload endpoint (jobs/files.ts).
 *
 * adapter-node has one body limit for the whole app (`BODY_SIZE_LIMIT`, 512 KB by default). An
 * upload needs 500 MB (issue 14), a form or a JSON request never more than the default: so the
 * app's limit is raised to the upload's, and every other route is held to the default by its
 * `Content-Length` (the body may not exceed it: SvelteKit answers 413 when it does).
 */

/** The largest import file: 500 MB (MiB, as `ls -lh` counts). */
export const MAX_UPLOAD_BYTES = 500 * 1024 * 1024;

/**
 * After the limit, how much more of a body the upload reads and drops so that its sender can read
 * the 413 it is answered with (jobs/files.ts); adapter-node's limit is set above both.
 */
export const UPLOAD_DRAIN_BYTES = 16 * 1024 * 1024;

/** The path of the one route whose body may be that large. */
export const UPLOAD_PATH = '/api/v1/imports';

/** The upload page's drafts (jobs/drafts/) take the same files. */
export const DRAFT_UPLOAD_PATH = '/api/v1/import-drafts';

/** @param {string} pathname */
const isUploadPath = (pathname) => pathname === UPLOAD_PATH || pathname === DRAFT_UPLOAD_PATH;

/** Every other route: adapter-node's default. */
export const MAX_FORM_BYTES = 512 * 1024;

/**
 * The status refusing `req`'s body before it is read, or null to let it through: 413 for a
 * declared length over the limit, 411 for a body of unknown length (chunked) on a route that is
 * not the upload (a browser always declares a form's length).
 *
 * @param {{ method?: string; url?: string; headers: import('node:http').IncomingHttpHeaders }} req
 * @returns {413 | 411 | null}
 */
export function bodyRefusal(req) {
	const pathname = (req.url ?? '').split('?')[0];
	if (req.method === 'POST' && isUploadPath(pathname)) return null;
	const length = req.headers['content-length'];
	if (length === undefined) return req.headers['transfer-encoding'] === undefined ? null : 411;
	return Number(length) > MAX_FORM_BYTES ? 413 : null;
}

/**
 * What a refusal of `bodyRefusal` says: Vietnamese first on pages, as the app's other plain-text
 * refusals (hooks.server.ts), and `{ error }` on the API, as its other refusals.
 *
 * @param {413 | 411} status
 * @param {string | undefined} url
 * @returns {{ contentType: string; body: string }}
 */
export function bodyRefusalAnswer(status, url) {
	const pathname = (url ?? '').split('?')[0];
	const limit = `${MAX_FORM_BYTES / 1024} KB`;
	if (pathname === '/api' || pathname.startsWith('/api/')) {
		const error =
			status === 413
				? `request body too large (at most ${limit})`
				: 'request body without Content-Length';
		return { contentType: 'application/json', body: JSON.stringify({ error }) };
	}
	const body =
		status === 413
			? `Dữ liệu gửi lên quá lớn (tối đa ${limit}) / Request body too large (at most ${limit})\n`
			: 'Thiếu độ dài dữ liệu gửi lên (Content-Length) / Request body without Content-Length\n';
	return { contentType: 'text/plain; charset=utf-8', body };
}

/**
 * SvelteKit gives an endpoint no body at all for a request without `Content-Type`, which a
 * program pushing a file (`fetch` with a stream, a bare `curl -T`) may well not send: the upload
 * is then read as the bytes it is (`application/octet-stream`). Other routes are left as they are.
 *
 * @param {{ method?: string; url?: string; headers: import('node:http').IncomingHttpHeaders }} req
 */
export function withUploadContentType(req) {
	const pathname = (req.url ?? '').split('?')[0];
	if (req.method === 'POST' && isUploadPath(pathname) && !req.headers['content-type']) {
		req.headers['content-type'] = 'application/octet-stream';
	}
}
