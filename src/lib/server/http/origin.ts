/**
 * The cross-site form check SvelteKit makes (kit.csrf), made here instead so that its refusal is
 * in Vietnamese first, like the app's other refusals (svelte.config.js turns SvelteKit's off).
 * The same rule as SvelteKit 2's: a POST, PUT, PATCH or DELETE whose body a browser's form can
 * send from any site (the three form encodings, and SvelteKit's own binary form data), with an
 * `Origin` other than the site's own, is refused. Other content types (JSON, a file pushed to the
 * import API) a page of another site cannot send without the browser asking first (CORS), which
 * this server never allows.
 */

/** The methods that change something. */
const WRITING_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** What a `<form>` of another site can post without asking (and SvelteKit's `form()` data). */
const FORM_CONTENT_TYPES = new Set([
	'application/x-www-form-urlencoded',
	'multipart/form-data',
	'text/plain',
	'application/x-sveltekit-formdata'
]);

/**
 * Origins besides the site's own allowed to post forms: none (svelte.config.js had no
 * `csrf.trustedOrigins`); an origin added there would be added here.
 */
export const TRUSTED_ORIGINS: readonly string[] = [];

/** Whether `request`, addressed to `url` (the site's own origin), is a form from another site. */
export function isCrossSiteForm(request: Request, url: URL): boolean {
	if (!WRITING_METHODS.has(request.method)) return false;
	const type = request.headers.get('content-type')?.split(';', 1)[0].trim().toLowerCase() ?? '';
	if (!FORM_CONTENT_TYPES.has(type)) return false;
	const origin = request.headers.get('origin');
	return origin !== url.origin && (origin === null || !TRUSTED_ORIGINS.includes(origin));
}
