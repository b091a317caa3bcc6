import { fail, redirect } from '@sveltejs/kit';
import { safeRedirect } from '$lib/server/auth/access';
import { signIn } from '$lib/server/auth/sign-in';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals, url }) => {
	if (locals.user) redirect(303, safeRedirect(url.searchParams.get('redirectTo'), url.origin));
};

/** CONTRACT: `POST /login` with `username` and `password`; 303 to the page asked for. */
export const actions: Actions = {
	default: async (event) => {
		const outcome = await signIn(event);
		if (outcome.ok) redirect(303, outcome.location);
		return fail(outcome.problem === 'throttled' ? 429 : 400, outcome);
	}
};
