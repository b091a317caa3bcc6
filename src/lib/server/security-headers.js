/**
 * The security headers every response carries (CONTRACT: HTTP). Plain JavaScript because two
 * loaders read it: svelte.config.js hands the policy to SvelteKit, which adds a nonce for its own
 * hydration script on rendered pages, and hooks.server.ts sets it on every other response.
 */

/** @typedef {NonNullable<NonNullable<import('@sveltejs/kit').KitConfig['csp']>['directives']>} CspDirectives */

/** @type {CspDirectives} */
export const CSP_DIRECTIVES = {
	'default-src': ['self'],
	'script-src': ['self'],
	// Svelte's transitions and style attributes are inline; scripts stay nonce-only.
	'style-src': ['self', 'unsafe-inline'],
	// Charts export as data: URLs.
	'img-src': ['self', 'data:'],
	'object-src': ['none'],
	'base-uri': ['self'],
	'form-action': ['self'],
	// Nobody may frame the dashboard (clickjacking); only a header can say this, not a <meta>.
	'frame-ancestors': ['none']
};

/** @type {Record<string, string>} */
export const SECURITY_HEADERS = {
	'x-content-type-options': 'nosniff',
	'referrer-policy': 'strict-origin-when-cross-origin'
};

/** CSP keywords are written quoted in the header; SvelteKit's config takes them bare. */
const KEYWORDS = new Set([
	'self',
	'none',
	'unsafe-inline',
	'unsafe-eval',
	'unsafe-hashes',
	'strict-dynamic',
	'report-sample',
	'wasm-unsafe-eval'
]);

/**
 * The header value of a policy in SvelteKit's config form.
 * @param {CspDirectives} directives
 * @returns {string}
 */
export function contentSecurityPolicy(directives) {
	return Object.entries(directives)
		.map(([name, values]) => {
			const sources = Array.isArray(values) ? values : [];
			return [name, ...sources.map((v) => (KEYWORDS.has(String(v)) ? `'${v}'` : v))].join(' ');
		})
		.join('; ');
}
