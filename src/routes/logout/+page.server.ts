import { redirect } from '@sveltejs/kit';
import { clearSessionCookie } from '$lib/server/auth/cookies';
import { logOut } from '$lib/server/auth/login';
import { getStore } from '$lib/server/db';
import type { Actions } from './$types';

export const actions: Actions = {
	default: async ({ locals, cookies, getClientAddress }) => {
		if (locals.sessionId && locals.user) {
			await logOut((await getStore()).db, locals.sessionId, locals.user, getClientAddress());
		}
		clearSessionCookie(cookies);
		redirect(303, '/login');
	}
};
