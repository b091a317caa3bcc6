/**
 * The production server: adapter-node's request handler behind a plain Node HTTP server, so that
 * every response carries the security headers (CONTRACT: HTTP) — static assets included, which
 * adapter-node serves before SvelteKit's hooks ever run. Otherwise it mirrors adapter-node's own
 * entry: PORT and HOST, and on SIGINT/SIGTERM a graceful close followed by `sveltekit:shutdown`
 * (hooks.server.ts then lets running CLI commands finish and closes the database). Pages and JSON
 * are compressed on the way out (lib/server/compression.js); static files come precompressed.
 */
import http from 'node:http';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { compressResponse } from './lib/server/compression.js';
import {
	contentSecurityPolicy,
	CSP_DIRECTIVES,
	SECURITY_HEADERS
} from './lib/server/security-headers.js';
import { plainHttpWarning } from './lib/server/transport.js';

const CSP = contentSecurityPolicy(CSP_DIRECTIVES);
const port = Number(process.env.PORT || 3000);
const host = process.env.HOST || '0.0.0.0';

/** @type {{ handler: import('node:http').RequestListener }} */
const { handler } = await import(pathToFileURL(path.resolve('build/handler.js')).href);

const server = http.createServer((req, res) => {
	// Defaults first: a rendered page replaces the policy with SvelteKit's, which carries the nonce
	// of its hydration script.
	res.setHeader('content-security-policy', CSP);
	for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
	// Pages and JSON are compressed as they are written; static files come precompressed.
	compressResponse(req, res);
	handler(req, res);
});

server.listen(port, host, () => {
	console.log(`Listening on http://${host}:${port}`);
	const warning = plainHttpWarning(host, process.env.ORIGIN);
	if (warning) console.warn(warning);
});

// adapter-node's event name, which Node's typings of process.emit do not know.
const emitShutdown = /** @type {(event: string, reason: string) => boolean} */ (
	/** @type {unknown} */ (process.emit.bind(process))
);

let closing = false;
/** @param {NodeJS.Signals} signal */
function shutdown(signal) {
	if (closing) return;
	closing = true;
	server.closeIdleConnections();
	server.close(() => emitShutdown('sveltekit:shutdown', signal));
	setTimeout(() => server.closeAllConnections(), 30_000).unref();
}
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
