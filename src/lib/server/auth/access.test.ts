import { describe, expect, it } from 'vitest';
import { routeAccess, routedPath, safeRedirect } from './access';

const ORIGIN = 'http://127.0.0.1:3000';

describe('the path the role gate decides on', () => {
	it('is the path SvelteKit routes on: percent-decoded, so /%61dmin is /admin', () => {
		expect(routedPath('/%61dmin/users')).toBe('/admin/users');
		expect(routedPath('/%61pi/v1/kpi')).toBe('/api/v1/kpi');
		expect(routedPath('/u/%34%34%33/compare')).toBe('/u/443/compare');
		expect(routeAccess(routedPath('/%61dmin/users')!, 'unit_head')).toBe('not-found');
		expect(routeAccess(routedPath('/%61pi/v1/kpi')!, null)).toBe('sign-in');
	});

	it('keeps %25 encoded, as SvelteKit does, so /%2561dmin is not /admin', () => {
		expect(routedPath('/%2561dmin/users')).toBe('/%2561dmin/users');
	});

	it('reads runs of slashes as one, and gives null for a path that does not decode', () => {
		expect(routedPath('//admin//users')).toBe('/admin/users');
		expect(routedPath('/%E0%A4%A')).toBeNull();
	});

	it('lets nobody past the login page and the language switch without a sign-in', () => {
		expect(routeAccess('/login', null)).toBe('public');
		expect(routeAccess('/locale', null)).toBe('public');
		expect(routeAccess('/loginx', null)).toBe('sign-in');
		expect(routeAccess('/u/42', null)).toBe('sign-in');
		expect(routeAccess('/admin', 'reform_team')).toBe('allowed');
		expect(routeAccess('/admin/', 'leader')).toBe('not-found');
	});
});

describe('where a sign-in sends the browser', () => {
	it('keeps a path of this site, with its query', () => {
		expect(safeRedirect('/u/443/compare?from=2025-06-01&to=2025-06-30', ORIGIN)).toBe(
			'/u/443/compare?from=2025-06-01&to=2025-06-30'
		);
	});

	it('sends every way off the site to the start page', () => {
		for (const target of [
			'//evil.example',
			'/\t/evil.example',
			'/\n/evil.example',
			'/\r\n/evil.example',
			'/\\evil.example',
			'\\\\evil.example',
			'https://evil.example/',
			'javascript:alert(1)',
			'evil.example',
			'/..//evil.example',
			''
		]) {
			expect(safeRedirect(target, ORIGIN), JSON.stringify(target)).toBe('/');
		}
		expect(safeRedirect(null, ORIGIN)).toBe('/');
	});

	it('never returns a control character, which a Location header cannot carry', () => {
		for (const target of ['/u/42\u0000', '/u/42\r', '/u/42\n?x', '/u/\u001b[31m']) {
			const location = safeRedirect(target, ORIGIN);
			expect(location, JSON.stringify(target)).not.toMatch(/\p{Cc}/u);
			expect(location.startsWith('/') && !location.startsWith('//')).toBe(true);
		}
	});
});
