import { redirect } from '@sveltejs/kit';
import { landingPath } from '$lib/server/dashboard/context';
import { getStore } from '$lib/server/store';
import type { PageServerLoad } from './$types';

/**
 * The first page: the overview of the user's own unit on its latest month with data, or, when
 * that unit has ended, the comparison of the units it became (dashboard/context.ts `landingPath`).
 */
export const load: PageServerLoad = async ({ locals }) => {
	const { db } = await getStore();
	redirect(303, await landingPath(db, locals.user!));
};
