/**
 * Response compression for the production server (issue 12, speed): the compare page of a province
 * is 750 KB of HTML and 53 KB gzipped. Plain JavaScript because src/production-server.js, which runs
 * without a build step, wraps adapter-node's handler with it.
 *
 * Static assets are not compressed here: adapter-node writes `.br` and `.gz` beside them at build
 * time (`precompress`, on by default) and sirv serves those with their own `Content-Encoding`,
 * which this module leaves alone.
 */
import zlib from 'node:zlib';

/** Below this a compressed body saves less than the headers and a round of deflate cost. */
export const MIN_COMPRESSED_BYTES = 1024;

const COMPRESSIBLE =
	/^\s*(text\/(html|css|javascript|plain|sveltekit-data)|application\/(json|javascript|manifest\+json)|image\/svg\+xml)\s*(;|$)/i;

/**
 * The encoding to answer in for an `Accept-Encoding` header: brotli, then gzip, when the client
 * accepts it with a q above zero (RFC 9110 §12.5.3); otherwise none.
 * @param {string | undefined} acceptEncoding
 * @returns {'br' | 'gzip' | null}
 */
export function negotiateEncoding(acceptEncoding) {
	if (!acceptEncoding) return null;
	/** @type {Map<string, number>} */
	const quality = new Map();
	for (const part of acceptEncoding.split(',')) {
		const [name, ...params] = part.trim().toLowerCase().split(';');
		if (!name) continue;
		const q = params.map((param) => /^\s*q=([\d.]+)\s*$/.exec(param)?.[1]).find(Boolean);
		quality.set(name.trim(), q === undefined ? 1 : Number(q));
	}
	const accepts = (/** @type {string} */ name) => (quality.get(name) ?? quality.get('*') ?? 0) > 0;
	if (accepts('br')) return 'br';
	if (accepts('gzip')) return 'gzip';
	return null;
}

/**
 * Brotli at quality 5 compresses the compare page about as small as gzip -9 in a fraction of
 * brotli's default quality 11, which costs hundreds of milliseconds on 750 KB. Every write is
 * flushed so that a streamed page or `__data.json` still reaches the browser chunk by chunk.
 * @param {'br' | 'gzip'} encoding
 */
function createEncoder(encoding) {
	return encoding === 'br'
		? zlib.createBrotliCompress({
				flush: zlib.constants.BROTLI_OPERATION_FLUSH,
				params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 5 }
			})
		: zlib.createGzip({ flush: zlib.constants.Z_SYNC_FLUSH });
}

/** @param {import('node:http').ServerResponse} res */
function appendVary(res) {
	const vary = String(res.getHeader('vary') ?? '');
	if (vary === '*' || /(^|,)\s*accept-encoding\s*(,|$)/i.test(vary)) return;
	res.setHeader('vary', vary ? `${vary}, Accept-Encoding` : 'Accept-Encoding');
}

/**
 * Makes `res` compress its body, when it turns out to be worth it, as the handler writes it. The
 * decision waits for the headers and the first bytes: whether the type is text, whether someone
 * (sirv's precompressed files) already encoded it, whether it is at least 1 KB. A body without
 * `Content-Length` whose first chunk is small waits one turn of the event loop for the rest, so a
 * small answer written in one piece stays plain and a stream is not held back.
 * @param {import('node:http').IncomingMessage} req
 * @param {import('node:http').ServerResponse} res
 */
export function compressResponse(req, res) {
	const encoding = negotiateEncoding(req.headers['accept-encoding']);
	if (req.method === 'HEAD') return;

	const write = res.write.bind(res);
	const end = res.end.bind(res);
	const on = res.on.bind(res);
	const writeHead = res.writeHead.bind(res);

	/** @type {'undecided' | 'plain' | 'compressed'} */
	let state = 'undecided';
	/** @type {import('node:zlib').Gzip | import('node:zlib').BrotliCompress | null} */
	let encoder = null;
	/** @type {Buffer[]} */
	let held = [];
	let heldBytes = 0;
	let waiting = false;
	let ended = false;

	function compressible() {
		const status = res.statusCode;
		if (status < 200 || status === 204 || status === 304) return false;
		if (!COMPRESSIBLE.test(String(res.getHeader('content-type') ?? ''))) return false;
		appendVary(res);
		if (!encoding || res.getHeader('content-encoding')) return false;
		if (/\bno-transform\b/i.test(String(res.getHeader('cache-control') ?? ''))) return false;
		const length = res.getHeader('content-length');
		return length === undefined || Number(length) >= MIN_COMPRESSED_BYTES;
	}

	/** @param {boolean} ended whether the body is complete, so its size is known */
	function decide(ended) {
		if (state !== 'undecided') return;
		const worthIt = compressible() && !(ended && heldBytes < MIN_COMPRESSED_BYTES);
		if (!worthIt || !encoding) {
			state = 'plain';
			for (const chunk of held) write(chunk);
		} else {
			state = 'compressed';
			res.setHeader('content-encoding', encoding);
			res.removeHeader('content-length');
			encoder = createEncoder(encoding);
			encoder.on('data', (/** @type {Buffer} */ chunk) => {
				if (!write(chunk)) encoder?.pause();
			});
			on('drain', () => encoder?.resume());
			encoder.on('end', () => end());
			encoder.on('error', (error) => res.destroy(error));
			on('close', () => encoder?.destroy());
			for (const chunk of held) encoder.write(chunk);
		}
		held = [];
	}

	/**
	 * @param {unknown} chunk
	 * @param {unknown} [chunkEncoding]
	 */
	function toBuffer(chunk, chunkEncoding) {
		if (typeof chunk === 'string') {
			return Buffer.from(
				chunk,
				typeof chunkEncoding === 'string' ? /** @type {BufferEncoding} */ (chunkEncoding) : 'utf8'
			);
		}
		return Buffer.from(/** @type {Uint8Array} */ (chunk));
	}

	// Headers passed to writeHead are set one by one so that the decision sees them; the status
	// line goes out with the first bytes, when Node's own write or end calls writeHead again (its
	// implicit header), which then passes through.
	res.writeHead = /** @type {typeof res.writeHead} */ (
		(/** @type {number} */ status, /** @type {unknown[]} */ ...rest) => {
			const message = typeof rest[0] === 'string' ? rest.shift() : undefined;
			const headers = rest[0];
			if (state === 'undecided' && Array.isArray(headers)) state = 'plain';
			if (state !== 'undecided')
				return writeHead(status, .../** @type {[any]} */ ([message, headers].filter(Boolean)));
			res.statusCode = status;
			if (typeof message === 'string') res.statusMessage = message;
			if (headers && typeof headers === 'object') {
				for (const [name, value] of Object.entries(headers)) {
					if (value !== undefined) res.setHeader(name, /** @type {string | string[]} */ (value));
				}
			}
			return res;
		}
	);

	res.write = /** @type {typeof res.write} */ (
		(/** @type {unknown} */ chunk, /** @type {unknown[]} */ ...args) => {
			if (state === 'plain')
				return write(/** @type {any} */ (chunk), .../** @type {[any]} */ (args));
			const chunkEncoding = typeof args[0] === 'string' ? args[0] : undefined;
			const callback = /** @type {((error?: Error | null) => void) | undefined} */ (
				args.find((arg) => typeof arg === 'function')
			);
			const buffer = toBuffer(chunk, chunkEncoding);
			if (state === 'compressed' && encoder) return encoder.write(buffer, callback);
			held.push(buffer);
			heldBytes += buffer.length;
			if (typeof callback === 'function') process.nextTick(callback);
			if (heldBytes >= MIN_COMPRESSED_BYTES) decide(false);
			else if (!waiting) {
				waiting = true;
				setImmediate(() => {
					if (!ended) decide(false);
				});
			}
			return true;
		}
	);

	// Listeners for 'drain' wait for the encoder when the body goes through one.
	res.on = /** @type {typeof res.on} */ (
		(/** @type {string} */ event, /** @type {(...args: any[]) => void} */ listener) => {
			if (event === 'drain' && encoder) encoder.on('drain', listener);
			else on(event, listener);
			return res;
		}
	);

	res.end = /** @type {typeof res.end} */ (
		(/** @type {unknown[]} */ ...args) => {
			const callback = /** @type {((error?: Error | null) => void) | undefined} */ (
				args.find((arg) => typeof arg === 'function')
			);
			const chunk = typeof args[0] === 'function' ? undefined : args[0];
			const chunkEncoding = typeof args[1] === 'string' ? args[1] : undefined;
			if (typeof callback === 'function') on('finish', callback);
			if (state === 'plain')
				return chunk == null
					? end()
					: end(/** @type {any} */ (chunk), /** @type {any} */ (chunkEncoding));
			if (chunk != null) {
				const buffer = toBuffer(chunk, chunkEncoding);
				if (state === 'compressed') encoder?.write(buffer);
				else {
					held.push(buffer);
					heldBytes += buffer.length;
				}
			}
			ended = true;
			decide(true);
			if (state === 'compressed') encoder?.end();
			else end();
			return res;
		}
	);
}
