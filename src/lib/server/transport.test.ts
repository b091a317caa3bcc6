import { describe, expect, it } from 'vitest';
import { plainHttpWarning } from './transport.js';

describe('the warning about plain HTTP at start', () => {
	it('warns when the server listens on every address without an https ORIGIN', () => {
		expect(plainHttpWarning('0.0.0.0', undefined)).toContain('plain HTTP on 0.0.0.0');
		expect(plainHttpWarning('0.0.0.0', 'http://10.1.2.3:3000')).toContain('ORIGIN=https://');
	});

	it('warns when a loopback server is published at a plain-HTTP address of the network', () => {
		expect(plainHttpWarning('127.0.0.1', 'http://10.1.2.3')).not.toBeNull();
	});

	it('stays silent behind HTTPS, and for a server only this machine can reach', () => {
		expect(plainHttpWarning('0.0.0.0', 'https://kpi.hatinh.gov.vn')).toBeNull();
		expect(plainHttpWarning('127.0.0.1', undefined)).toBeNull();
		expect(plainHttpWarning('127.0.0.1', 'http://127.0.0.1:3000')).toBeNull();
		expect(plainHttpWarning('::1', 'http://[::1]:3000')).toBeNull();
	});
});
