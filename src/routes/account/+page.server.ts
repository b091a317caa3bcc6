import { fail } from '@sveltejs/kit';
import { setLocaleCookie, setSessionCookie } from '$lib/server/auth/cookies';
import { createSession } from '$lib/server/auth/sessions';
import { AccountError, changePassword, setLocale } from '$lib/server/auth/users';
import { getStore } from '$lib/server/db';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = ({ locals }) => ({ account: locals.user! });

export const actions: Actions = {
	/** Ends every session of the user, then opens a new one for this browser. */
	password: async ({ request, locals, cookies, getClientAddress }) => {
		const { db } = await getStore();
		const form = await request.formData();
		const current = String(form.get('current') ?? '');
		const next = String(form.get('next') ?? '');
		if (next !== String(form.get('confirm') ?? '')) {
			return fail(400, { problem: 'mismatch' as const });
		}
		try {
			await changePassword(db, locals.user!, current, next, getClientAddress());
		} catch (error) {
			if (error instanceof AccountError) return fail(400, { problem: error.code });
			throw error;
		}
		setSessionCookie(cookies, await createSession(db, locals.user!.id));
		return { changed: true };
	},
	locale: async ({ request, locals, cookies }) => {
		const locale = (await request.formData()).get('locale') === 'en' ? 'en' : 'vi';
		await setLocale((await getStore()).db, locals.user!.id, locale);
		setLocaleCookie(cookies, locale);
		return { localeSaved: true };
	}
};
