import { describe, expect, it } from 'vitest';
import { bodyRefusalAnswer } from './body-limits.js';
import { isCrossSiteForm } from './origin';

const SITE = new URL('https://kpi.hatinh.gov.vn/u/42/campaigns?/create');

const request = (method: string, headers: Record<string, string>) =>
	new Request(SITE, { method, headers });

describe('isCrossSiteForm', () => {
	it('refuses a form of any encoding posted from another origin, or without an origin', () => {
		for (const type of [
			'application/x-www-form-urlencoded',
			'multipart/form-data; boundary=x',
			'text/plain;charset=UTF-8',
			'Application/X-WWW-Form-Urlencoded'
		]) {
			const headers = { 'content-type': type };
			expect(
				isCrossSiteForm(request('POST', { ...headers, origin: 'https://evil.example' }), SITE)
			).toBe(true);
			expect(isCrossSiteForm(request('POST', headers), SITE)).toBe(true);
		}
		for (const method of ['PUT', 'PATCH', 'DELETE']) {
			const headers = { 'content-type': 'text/plain', origin: 'http://kpi.hatinh.gov.vn' };
			expect(isCrossSiteForm(request(method, headers), SITE), method).toBe(true);
		}
	});

	it('lets through a form of the site, a read, and a body no other site can send unasked', () => {
		const form = { 'content-type': 'application/x-www-form-urlencoded' };
		expect(isCrossSiteForm(request('POST', { ...form, origin: SITE.origin }), SITE)).toBe(false);
		expect(isCrossSiteForm(request('GET', { origin: 'https://evil.example' }), SITE)).toBe(false);
		for (const type of ['application/json', 'text/csv', 'application/octet-stream']) {
			const headers = { 'content-type': type, origin: 'https://evil.example' };
			expect(isCrossSiteForm(request('POST', headers), SITE), type).toBe(false);
		}
		expect(isCrossSiteForm(request('POST', { origin: 'https://evil.example' }), SITE)).toBe(false);
	});
});

describe('bodyRefusalAnswer', () => {
	it('says a page form is too large or unmeasured in Vietnamese first, with the same status', () => {
		const large = bodyRefusalAnswer(413, '/login?redirectTo=%2F');
		expect(large.contentType).toBe('text/plain; charset=utf-8');
		expect(large.body).toBe(
			'Dữ liệu gửi lên quá lớn (tối đa 512 KB) / Request body too large (at most 512 KB)\n'
		);
		expect(bodyRefusalAnswer(411, '/u/42/campaigns').body).toMatch(/^Thiếu độ dài .* \/ /);
	});

	it('answers the API with JSON, as its other refusals', () => {
		const large = bodyRefusalAnswer(413, '/api/v1/kpi?unit=42');
		expect(large.contentType).toBe('application/json');
		expect(JSON.parse(large.body)).toEqual({ error: 'request body too large (at most 512 KB)' });
		expect(JSON.parse(bodyRefusalAnswer(411, '/api/v1/tokens').body)).toEqual({
			error: 'request body without Content-Length'
		});
		expect(bodyRefusalAnswer(413, '/apidocs').contentType).toBe('text/plain; charset=utf-8');
	});
});
