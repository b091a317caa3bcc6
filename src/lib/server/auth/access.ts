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

export function routeAccess(pathname: string, role: Role | null): Access {
	if (PUBLIC_PATHS.some((p) => within(pathname, p))) return 'public';
	if (role === null) return 'sign-in';
	const area = ROLE_AREAS.find((a) => within(pathname, a.prefix));
	return area && !area.roles.includes(role) ? 'not-found' : 'allowed';
}

export const isApi = (pathname: string) => within(pathname, '/api');

/** Where to go after signing in: a path of this site only (never `//host` or a URL). */
export function safeRedirect(target: string | null): string {
	if (!target || !target.startsWith('/') || target.startsWith('//') || target.startsWith('/\\')) {
		return '/';
	}
	return target;
}
