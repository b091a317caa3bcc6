/**
 * Which requests need whom, decided in one place for the whole route tree (hooks.server.ts asks
 * before any route runs, so a new route is private unless listed here):
 *  - public paths: the login page and the language switch;
 *  - every other page and endpoint: a signed-in user or a valid API token;
 *  - areas kept to some roles (administration): 404 for the others, as for a unit outside scope.
 * Which units a request may read is the other half, auth/scope.ts.
 */
import { MANAGING_ROLES, type Role } from '../../domain/types';

export const SESSION_COOKIE = 'session';

const PUBLIC_PATHS = ['/login', '/locale'];

const ROLE_AREAS: { prefix: string; roles: readonly Role[] }[] = [
	{ prefix: '/admin', roles: MANAGING_ROLES }
];

export type Access = 'public' | 'allowed' | 'sign-in' | 'not-found';

const within = (pathname: string, prefix: string) =>
	pathname === prefix || pathname.startsWith(`${prefix}/`);

/**
 * The path as SvelteKit routes on it: percent-decoded (except `%25`, which SvelteKit keeps, and
 * the reserved characters decodeURI keeps) with runs of slashes as one. The role gate must decide
 * on this, not on the URL as sent: `/%61dmin/users` reaches the admin pages. Null for a path that
 * does not decode (SvelteKit answers it 400 itself).
 */
export function routedPath(pathname: string): string | null {
	try {
		return pathname
			.split('%25')
			.map(decodeURI)
			.join('%25')
			.replace(/\/{2,}/g, '/');
	} catch {
		return null;
	}
}

/** Who may reach `pathname` (decoded with routedPath first). */
export function routeAccess(pathname: string, role: Role | null): Access {
	if (PUBLIC_PATHS.some((p) => within(pathname, p))) return 'public';
	if (role === null) return 'sign-in';
	const area = ROLE_AREAS.find((a) => within(pathname, a.prefix));
	return area && !area.roles.includes(role) ? 'not-found' : 'allowed';
}

export const isApi = (pathname: string) => within(pathname, '/api');

/**
 * Where to go after signing in: a path of this site only. The target is resolved as a browser
 * would resolve a `Location` (which drops tabs and line breaks, so `/\t/evil.example` is
 * `//evil.example`, and reads `\` as `/`), and kept only when it stays on `origin`; what is sent
 * back is the resolved, percent-encoded path, never the raw text (a line break in a header is a
 * 500). A path that starts with `//` would be read as another host: `/`.
 */
export function safeRedirect(target: string | null, origin: string): string {
	if (!target || !target.startsWith('/')) return '/';
	let resolved: URL;
	try {
		resolved = new URL(target, origin);
	} catch {
		return '/';
	}
	if (resolved.origin !== new URL(origin).origin) return '/';
	const path = resolved.pathname + resolved.search + resolved.hash;
	return path.startsWith('//') || !path.startsWith('/') ? '/' : path;
}
