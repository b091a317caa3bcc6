/**
 * DuckDB short of memory is a passing state of the server, not a fault of the request: while an
 * import runs, the whole database keeps to the import's limit (jobs/queue.ts holdMemory), and a
 * heavy page at that moment may not get the memory it needs. Such a request is answered 503 with
 * Retry-After, in words that say to try again, instead of a 500 that looks like a defect.
 */
import { json } from '@sveltejs/kit';

/** How long a client is asked to wait before trying again. */
export const RETRY_AFTER_SECONDS = 10;

/** DuckDB's own wording when an allocation would pass its memory limit. */
export function isOutOfMemory(error: unknown): boolean {
	return error instanceof Error && error.message.includes('Out of Memory Error');
}

/** The error page's words for it (App.Error), in the two languages of the interface. */
export const BUSY_MESSAGE =
	'Máy chủ tạm thời thiếu bộ nhớ (thường do một lần nhập dữ liệu lớn đang chạy): xin thử lại sau ít giây. / The server is short of memory for the moment (usually while a large import runs): please try again in a few seconds.';

const API_MESSAGE = `the server is short of memory for the moment (usually while an import runs): retry after ${RETRY_AFTER_SECONDS} s`;

/** Requests whose error was DuckDB's lack of memory, by their `locals` (set by handleError). */
const busy = new WeakSet<object>();

export function markBusy(locals: object): void {
	busy.add(locals);
}

/**
 * The answer to a request that ran short of memory: `rendered`, the error page SvelteKit drew for
 * it, as a 503; else (an error before any page could be drawn) a short one of our own. The API
 * answers JSON, as its other errors.
 */
export function busyResponse(api: boolean, rendered?: Response): Response {
	const headers = { 'retry-after': String(RETRY_AFTER_SECONDS) };
	if (api) return json({ error: API_MESSAGE }, { status: 503, headers });
	if (rendered) {
		const copied = new Headers(rendered.headers);
		copied.set('retry-after', headers['retry-after']);
		return new Response(rendered.body, { status: 503, headers: copied });
	}
	return new Response(`${BUSY_MESSAGE}\n`, {
		status: 503,
		headers: { ...headers, 'content-type': 'text/plain; charset=utf-8' }
	});
}

/** Whether `response` is the 500 of a request marked busy. */
export function wasBusy(locals: object, response: Response): boolean {
	return response.status === 500 && busy.has(locals);
}
