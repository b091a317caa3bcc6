/** The cookies a browser session carries: the session token, and the language of the pages. */
import type { RequestEvent } from '@sveltejs/kit';
import { cookieMaxAge, cookieName } from '$lib/paraglide/runtime';
import { SESSION_COOKIE } from './access';
import { ABSOLUTE_LIFETIME_MS } from './sessions';

type CookieEvent = Pick<RequestEvent, 'cookies' | 'url'>;

/**
 * `Secure` when the site is served over HTTPS (`ORIGIN=https://…`, CONTRACT). Always-Secure
 * cookies locked out a dashboard served at `http://10.x.x.x:3000` on a provincial LAN: browsers
 * drop a Secure cookie sent from an insecure origin other than localhost, so nobody could sign in.
 * The server warns at start when it serves such an address (production-server.js).
 */
const secure = (url: URL) => url.protocol === 'https:';

/** HttpOnly, SameSite=Lax, Path=/ (issue 5), Secure over HTTPS. */
export function setSessionCookie({ cookies, url }: CookieEvent, token: string): void {
	cookies.set(SESSION_COOKIE, token, {
		path: '/',
		httpOnly: true,
		sameSite: 'lax',
		secure: secure(url),
		maxAge: ABSOLUTE_LIFETIME_MS / 1000
	});
}

export function clearSessionCookie({ cookies, url }: CookieEvent): void {
	cookies.delete(SESSION_COOKIE, {
		path: '/',
		httpOnly: true,
		sameSite: 'lax',
		secure: secure(url)
	});
}

/** Read by Paraglide on the server and in the browser, so not HttpOnly; it holds no secret. */
export function setLocaleCookie({ cookies, url }: CookieEvent, locale: 'vi' | 'en'): void {
	cookies.set(cookieName, locale, {
		path: '/',
		httpOnly: false,
		sameSite: 'lax',
		secure: secure(url),
		maxAge: cookieMaxAge
	});
}
