import { json } from '@sveltejs/kit';
import { UndoRefused } from '$lib/server/import/history/undo';
import { QueueClosed } from '$lib/server/jobs/queue';
import { UndoForbidden, undoJob } from '$lib/server/jobs/undo';
import { parseJobId } from '$lib/server/jobs/views';
import { getStore } from '$lib/server/store';
import type { RequestHandler } from './$types';

/**
 * CONTRACT: `POST /api/v1/imports/<id>/undo`: undoes the import (in the import queue: it waits
 * for a running import) and answers the job as it is after, with `undo: { deleted, restored }`;
 * `409 { error }` when it cannot be undone, naming the later import in the way
 * (`blocking_import`); 403 for a job the user may see but not undo; 404 for any other id.
 */
export const POST: RequestHandler = async ({ params, locals, getClientAddress }) => {
	const { db } = await getStore();
	const id = parseJobId(params.id);
	try {
		const done = id === null ? null : await undoJob(db, locals.user!, id, getClientAddress());
		if (!done) return json({ error: 'not found' }, { status: 404 });
		return json({ ...done.job, undo: done.counts });
	} catch (error) {
		if (error instanceof UndoForbidden) return json({ error: error.message }, { status: 403 });
		if (error instanceof UndoRefused) {
			const blocking = error.blocking && { ...error.blocking, id: String(error.blocking.id) };
			return json({ error: error.message, blocking_import: blocking }, { status: 409 });
		}
		if (error instanceof QueueClosed) return json({ error: error.message }, { status: 503 });
		throw error;
	}
};
