import { getLocale } from '$lib/paraglide/runtime';
import type { LayoutServerLoad } from './$types';

/** Who is signed in, for the header; the session itself was resolved in hooks.server.ts. */
export const load: LayoutServerLoad = ({ locals }) => ({
	user: locals.user && {
		username: locals.user.username,
		role: locals.user.role,
		unitCode: locals.user.unitCode
	},
	locale: getLocale()
});
