import { redirect } from '@sveltejs/kit';
import { safeRedirect } from '$lib/server/auth/access';
import { setLocaleCookie } from '$lib/server/auth/cookies';
import { setLocale } from '$lib/server/auth/users';
import { getStore } from '$lib/server/store';
import type { RequestHandler } from './$types';
import { readForm } from '$lib/server/http/form';

/** The language switch: remembered in a cookie, and on the account of a signed-in user. */
export const POST: RequestHandler = async (event) => {
	const { request, locals, url } = event;
	const form = await readForm(request);
	const locale = form.get('locale') === 'en' ? 'en' : 'vi';
	setLocaleCookie(event, locale);
	if (locals.user) await setLocale((await getStore()).db, locals.user.id, locale);
	redirect(303, safeRedirect(String(form.get('redirectTo') ?? '/'), url.origin));
};
