/**
 * The production server: adapter-node's request handler behind a plain Node HTTP server, so that
 * every response carries the security headers (CONTRACT: HTTP) — static assets included, which
 * adapter-node serves before SvelteKit's hooks ever run. Otherwise it mirrors adapter-node's own
 * entry: PORT and HOST, and on SIGINT/SIGTERM a graceful close followed by `sveltekit:shutdown`
 * (hooks.server.ts then lets running CLI commands finish and closes the database). Pages and JSON
 * are compressed on the way out (lib/server/compression.js); static files come precompressed.
 * Request bodies are bounded here (lib/server/http/body-limits.js): the import upload up to 500 MB,
 * every other route to adapter-node's default.
 */
import http from 'node:http';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { compressResponse } from './lib/server/compression.js';
import {
	bodyRefusal,
	bodyRefusalAnswer,
	MAX_UPLOAD_BYTES,
	UPLOAD_DRAIN_BYTES,
	withUploadContentType
} from './lib/server/http/body-limits.js';
import {
	contentSecurityPolicy,
	CSP_DIRECTIVES,
	SECURITY_HEADERS
} from './lib/server/security-headers.js';
import { plainHttpWarning } from './lib/server/transport.js';

const CSP = contentSecurityPolicy(CSP_DIRECTIVES);
const port = Number(process.env.PORT || 3000);
const host = process.env.HOST || '0.0.0.0';

// adapter-node reads its one body limit when its handler loads: above the upload's and what it
// drops after it, so that the upload endpoint's own check answers, with its message.
process.env.BODY_SIZE_LIMIT ||= String(MAX_UPLOAD_BYTES + UPLOAD_DRAIN_BYTES + 1);

// DuckDB's allocator (its own jemalloc) keeps freed pages for reuse for a while; a big import
// frees and takes hundreds of MB in turn, and the server grew past 600 MB on a 1-million-row
// file. Read once, when DuckDB loads (below, with the handler): an operator's setting wins.
process.env.DUCKDB_JE_MALLOC_CONF ||= 'dirty_decay_ms:0,muzzy_decay_ms:0';

/** @type {{ handler: import('node:http').RequestListener }} */
const { handler } = await import(pathToFileURL(path.resolve('build/handler.js')).href);

const server = http.createServer((req, res) => {
	// Defaults first: a rendered page replaces the policy with SvelteKit's, which carries the nonce
	// of its hydration script.
	res.setHeader('content-security-policy', CSP);
	for (const [name, value] of Object.entries(SECURITY_HEADERS)) res.setHeader(name, value);
	// Pages and JSON are compressed as they are written; static files come precompressed.
	compressResponse(req, res);
	const refusal = bodyRefusal(req);
	if (refusal !== null) {
		const { contentType, body } = bodyRefusalAnswer(refusal, req.url);
		res.writeHead(refusal, { 'content-type': contentType, connection: 'close' });
		res.end(body);
		return;
	}
	withUploadContentType(req);
	handler(req, res);
});
// Node ends a request whose body takes over 5 minutes; an upload of 500 MB on a slow office line
// takes longer. Headers must still arrive within Node's own headersTimeout (a minute).
server.requestTimeout = 60 * 60_000;

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
