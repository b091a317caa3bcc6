/** The cookies a browser session carries: the session token, and the language of the pages. */
import type { Cookies } from '@sveltejs/kit';
import { dev } from '$app/environment';
import { cookieMaxAge, cookieName } from '$lib/paraglide/runtime';
import { SESSION_COOKIE } from './access';
import { ABSOLUTE_LIFETIME_MS } from './sessions';

/** HttpOnly, SameSite=Lax, Path=/, Secure outside development (issue 5). */
export function setSessionCookie(cookies: Cookies, token: string): void {
	cookies.set(SESSION_COOKIE, token, {
		path: '/',
		httpOnly: true,
		sameSite: 'lax',
		secure: !dev,
		maxAge: ABSOLUTE_LIFETIME_MS / 1000
	});
}

export function clearSessionCookie(cookies: Cookies): void {
	cookies.delete(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'lax', secure: !dev });
}

/** Read by Paraglide on the server and in the browser, so not HttpOnly; it holds no secret. */
export function setLocaleCookie(cookies: Cookies, locale: 'vi' | 'en'): void {
	cookies.set(cookieName, locale, {
		path: '/',
		httpOnly: false,
		sameSite: 'lax',
		secure: !dev,
		maxAge: cookieMaxAge
	});
}
