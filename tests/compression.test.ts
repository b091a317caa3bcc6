/**
 * Compression in the production server (issue 12, speed): the compare page of the province is
 * 750 KB of HTML. Requests go through node:http rather than fetch, which asks for gzip itself and
 * decodes the body out of sight.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { negotiateEncoding } from '../src/lib/server/compression.js';
import { createTestDemo, signIn } from './helpers/demo-db';
import { ensureBuilt, startServer, type RunningServer } from './helpers/server';

let dir: string;
let server: RunningServer;
let cookie: string;
const COMPARE = '/u/42/compare?from=2026-10-01&to=2026-10-31';

beforeAll(async () => {
	await ensureBuilt();
	dir = mkdtempSync(path.join(os.tmpdir(), 'kpi-compression-'));
	server = await startServer(await createTestDemo(dir));
	cookie = await signIn(server.origin, 'noivu', 'demo-noivu-2026');
}, 300_000);

afterAll(async () => {
	await server?.stop();
	if (dir) rmSync(dir, { recursive: true, force: true });
});

interface RawResponse {
	status: number;
	headers: http.IncomingHttpHeaders;
	body: Buffer;
}

function request(
	pathname: string,
	headers: Record<string, string> = {},
	method = 'GET'
): Promise<RawResponse> {
	return new Promise((resolve, reject) => {
		const req = http.request(`${server.origin}${pathname}`, { method, headers }, (res) => {
			const chunks: Buffer[] = [];
			res.on('data', (chunk: Buffer) => chunks.push(chunk));
			res.on('end', () =>
				resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) })
			);
			res.on('error', reject);
		});
		req.on('error', reject);
		req.end();
	});
}

function decode(response: RawResponse): string {
	const encoding = response.headers['content-encoding'];
	if (encoding === 'br') return zlib.brotliDecompressSync(response.body).toString('utf8');
	if (encoding === 'gzip') return zlib.gunzipSync(response.body).toString('utf8');
	return response.body.toString('utf8');
}

/** The nonce of the hydration script differs per response; everything else must not. */
const withoutNonce = (html: string) => html.replace(/nonce="[^"]+"/g, 'nonce=""');

describe('negotiateEncoding', () => {
	it('prefers brotli, falls back to gzip, and honours q=0', () => {
		expect(negotiateEncoding('br, gzip')).toBe('br');
		expect(negotiateEncoding('gzip, deflate')).toBe('gzip');
		expect(negotiateEncoding('br;q=0, gzip;q=0.5')).toBe('gzip');
		expect(negotiateEncoding('*')).toBe('br');
		expect(negotiateEncoding('identity')).toBeNull();
		expect(negotiateEncoding(undefined)).toBeNull();
	});
});

describe('compression in the production server', () => {
	it('sends the compare page of the province compressed, decoding to the same HTML', async () => {
		const plain = await request(COMPARE, { cookie });
		const compressed = await request(COMPARE, { cookie, 'accept-encoding': 'br, gzip' });
		const gzipped = await request(COMPARE, { cookie, 'accept-encoding': 'gzip' });
		expect(plain.status).toBe(200);
		expect(plain.headers['content-encoding']).toBeUndefined();
		expect(plain.headers.vary).toMatch(/accept-encoding/i);
		expect(compressed.status).toBe(200);
		expect(compressed.headers['content-encoding']).toBe('br');
		expect(compressed.headers.vary).toMatch(/accept-encoding/i);
		expect(gzipped.headers['content-encoding']).toBe('gzip');
		expect(withoutNonce(decode(compressed))).toBe(withoutNonce(plain.body.toString('utf8')));
		expect(withoutNonce(decode(gzipped))).toBe(withoutNonce(plain.body.toString('utf8')));
		expect(compressed.body.length).toBeLessThan(plain.body.length / 5);
		// The security headers survive (CONTRACT: HTTP).
		expect(compressed.headers['content-security-policy']).toContain("frame-ancestors 'none'");
		expect(compressed.headers['x-content-type-options']).toBe('nosniff');
		expect(compressed.headers['referrer-policy']).toBeTruthy();
		console.log(
			`compare page of 42: ${plain.body.length} bytes plain, ${compressed.body.length} br, ${gzipped.body.length} gzip`
		);
	});

	it('compresses the JSON of a client-side navigation', async () => {
		const data = `/u/42/compare/__data.json?from=2026-10-01&to=2026-10-31`;
		const plain = await request(data, { cookie });
		const compressed = await request(data, { cookie, 'accept-encoding': 'gzip' });
		expect(compressed.status).toBe(200);
		expect(compressed.headers['content-encoding']).toBe('gzip');
		expect(decode(compressed)).toBe(plain.body.toString('utf8'));
	});

	it('leaves small bodies and HEAD requests uncompressed', async () => {
		const head = await request(COMPARE, { cookie, 'accept-encoding': 'br, gzip' }, 'HEAD');
		expect(head.status).toBe(200);
		expect(head.headers['content-encoding']).toBeUndefined();
		expect(head.body.length).toBe(0);
		const small = await request('/login', { 'accept-encoding': 'gzip' });
		expect(Number(small.headers['content-length'])).toBeLessThan(1024);
		expect(small.headers['content-encoding']).toBeUndefined();
		const redirect = await request('/', { 'accept-encoding': 'br' });
		expect(redirect.status).toBeGreaterThanOrEqual(300);
		expect(redirect.headers['content-encoding']).toBeUndefined();
	});

	it('serves static scripts from their precompressed files', async () => {
		const page = (await request('/login', { accept: 'text/html' })).body.toString('utf8');
		const script = /\/_app\/immutable\/entry\/start\.[\w-]+\.js/.exec(page)?.[0];
		expect(script).toBeTruthy();
		const plain = await request(script!);
		const compressed = await request(script!, { 'accept-encoding': 'br' });
		expect(compressed.headers['content-encoding']).toBe('br');
		expect(compressed.headers['x-content-type-options']).toBe('nosniff');
		expect(zlib.brotliDecompressSync(compressed.body).toString('utf8')).toBe(
			plain.body.toString('utf8')
		);
	});
});
