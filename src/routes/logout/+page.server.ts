import { redirect } from '@sveltejs/kit';
import { clearSessionCookie } from '$lib/server/auth/cookies';
import { logOut } from '$lib/server/auth/login';
import { getStore } from '$lib/server/store';
import type { Actions } from './$types';

export const actions: Actions = {
	default: async (event) => {
		const { locals, getClientAddress } = event;
		if (locals.sessionId && locals.user) {
			await logOut((await getStore()).db, locals.sessionId, locals.user, getClientAddress());
		}
		clearSessionCookie(event);
		redirect(303, '/login');
	}
};
