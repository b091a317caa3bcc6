/**
 * A sign-in from a request, shared by the login page's form action (browsers) and the login
 * endpoint (scripts posting the form without asking for HTML): both read the same two fields and
 * set the same cookies.
 */
import type { RequestEvent } from '@sveltejs/kit';
import { getStore } from '../store';
import { safeRedirect } from './access';
import { setLocaleCookie, setSessionCookie } from './cookies';
import { logIn } from './login';
import { MAX_USERNAME_LENGTH } from './users';
import { readForm } from '../http/form';

export type SignInOutcome =
	| { ok: true; location: string }
	| { ok: false; username: string; problem: 'missing' | 'invalid' }
	| { ok: false; username: string; problem: 'throttled'; retryAfterSeconds: number };

export async function signIn(event: RequestEvent): Promise<SignInOutcome> {
	const form = await readForm(event.request);
	const given = String(form.get('username') ?? '');
	const password = String(form.get('password') ?? '');
	// What the form shows again: no more than a username can be.
	const username = given.slice(0, MAX_USERNAME_LENGTH);
	if (!given.trim() || !password) return { ok: false, username, problem: 'missing' };
	const result = await logIn((await getStore()).db, {
		username: given,
		password,
		ip: event.getClientAddress()
	});
	if (!result.ok) {
		if (result.reason === 'throttled') {
			event.setHeaders({ 'retry-after': String(result.retryAfterSeconds) });
		}
		return result.reason === 'throttled'
			? { ok: false, username, problem: 'throttled', retryAfterSeconds: result.retryAfterSeconds }
			: { ok: false, username, problem: 'invalid' };
	}
	setSessionCookie(event, result.token);
	setLocaleCookie(event, result.user.locale);
	return {
		ok: true,
		location: safeRedirect(event.url.searchParams.get('redirectTo'), event.url.origin)
	};
}
