import { redirect } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';

/** The first page is the overview of the user's own unit. */
export const load: PageServerLoad = async ({ locals }) => {
	redirect(303, `/u/${encodeURIComponent(locals.user!.unitCode)}`);
};
