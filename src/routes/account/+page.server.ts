import { fail } from '@sveltejs/kit';
import { setLocaleCookie, setSessionCookie } from '$lib/server/auth/cookies';
import { createSession } from '$lib/server/auth/sessions';
import { visibleUnitNames } from '$lib/server/auth/admin';
import { AccountError, changePassword, setLocale } from '$lib/server/auth/users';
import { getStore } from '$lib/server/store';
import type { Actions, PageServerLoad } from './$types';
import { readForm } from '$lib/server/http/form';

/** The account, and its unit by name (its latest version), as people call it, not by code. */
export const load: PageServerLoad = async ({ locals }) => {
	const account = locals.user!;
	const names = await visibleUnitNames((await getStore()).db, account, [account.unitCode]);
	return { account, unitName: names.get(account.unitCode) ?? account.unitCode };
};

export const actions: Actions = {
	/** Ends every session of the user, then opens a new one for this browser. */
	password: async (event) => {
		const { request, locals, getClientAddress } = event;
		const { db } = await getStore();
		const form = await readForm(request);
		const current = String(form.get('current') ?? '');
		const next = String(form.get('next') ?? '');
		if (next !== String(form.get('confirm') ?? '')) {
			return fail(400, { problem: 'mismatch' as const });
		}
		try {
			await changePassword(db, locals.user!, current, next, getClientAddress());
		} catch (error) {
			if (error instanceof AccountError) {
				return fail(error.code === 'throttled' ? 429 : 400, { problem: error.code });
			}
			throw error;
		}
		setSessionCookie(event, await createSession(db, locals.user!.id));
		return { changed: true };
	},
	locale: async (event) => {
		const { request, locals } = event;
		const locale = (await readForm(request)).get('locale') === 'en' ? 'en' : 'vi';
		await setLocale((await getStore()).db, locals.user!.id, locale);
		setLocaleCookie(event, locale);
		return { localeSaved: true };
	}
};
