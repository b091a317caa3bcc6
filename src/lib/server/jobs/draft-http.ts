/** What the draft endpoints answer a refusal with (src/routes/api/v1/import-drafts). */
import { json } from '@sveltejs/kit';
import { DraftRefused } from './drafts/refused';
import { UploadTooLarge } from './files';
import { QueueClosed } from './queue';

/** The refusal as JSON `{ error }` with its status, or null for an error that is a bug. */
export function draftRefusal(error: unknown): Response | null {
	if (error instanceof DraftRefused)
		return json({ error: error.message }, { status: error.status });
	if (error instanceof UploadTooLarge) {
		return json({ error: error.message }, { status: 413, headers: { connection: 'close' } });
	}
	if (error instanceof QueueClosed) return json({ error: error.message }, { status: 503 });
	return null;
}

export const draftNotFound = () => json({ error: 'not found' }, { status: 404 });

/**
 * A small JSON body (a mapping, a profile name): at most `limit` bytes, an object; anything else
 * is refused with 400 (415 for another content type), never a 500.
 */
export async function readJsonObject(
	request: Request,
	limit = 64 * 1024
): Promise<Record<string, unknown> | Response> {
	const type = (request.headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase();
	if (type !== 'application/json') {
		return json({ error: 'send the body as application/json' }, { status: 415 });
	}
	let text: string;
	try {
		text = await request.text();
	} catch {
		return json({ error: 'the body could not be read' }, { status: 400 });
	}
	if (Buffer.byteLength(text) > limit) {
		return json({ error: `the body may have at most ${limit} bytes` }, { status: 413 });
	}
	try {
		const value: unknown = JSON.parse(text);
		if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
			return value as Record<string, unknown>;
		}
	} catch {
		/* answered below */
	}
	return json({ error: 'the body must be a JSON object' }, { status: 400 });
}
