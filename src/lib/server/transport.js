/**
 * Whether the server is reachable over plain HTTP from other machines. Plain JavaScript, like
 * security-headers.js, because the production server (src/production-server.js) runs unbuilt.
 */

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|localhost)$/i;

/**
 * Session cookies are Secure only over HTTPS (auth/cookies.ts). Served over plain HTTP on an
 * address other machines reach, passwords and session cookies cross the network in clear: say so
 * to whoever starts the server.
 * @param {string} host
 * @param {string | undefined} origin
 * @returns {string | null}
 */
export function plainHttpWarning(host, origin) {
	if (origin?.startsWith('https://')) return null;
	let originHost = null;
	try {
		originHost = origin ? new URL(origin).hostname.replace(/^\[|\]$/g, '') : null;
	} catch {
		// A malformed ORIGIN is reported by SvelteKit; it is no reason to stay silent here.
	}
	const seenFromHere = originHost === null ? origin === undefined : LOOPBACK.test(originHost);
	if (LOOPBACK.test(host) && seenFromHere) return null;
	return (
		`warning: serving plain HTTP on ${host} (ORIGIN ${origin ?? 'not set'}): passwords and ` +
		'session cookies cross the network unencrypted. Serve it behind an HTTPS reverse proxy ' +
		'with ORIGIN=https://… (the session cookie is then Secure), or set HOST=127.0.0.1 to serve ' +
		'this machine only.'
	);
}
