import { json } from '@sveltejs/kit';
import { parseJobId, visibleJob } from '$lib/server/jobs/views';
import { getStore } from '$lib/server/store';
import type { RequestHandler } from './$types';

/**
 * CONTRACT: `GET /api/v1/imports/<id>`: the job, its progress and its row errors, for a job the
 * user may see (jobs/views.ts); any other id, well formed or not, is 404.
 */
export const GET: RequestHandler = async ({ params, locals }) => {
	const { db } = await getStore();
	const id = parseJobId(params.id);
	const job = id === null ? null : await visibleJob(db, locals.user!, id);
	if (!job) return json({ error: 'not found' }, { status: 404 });
	return json(job.view);
};
