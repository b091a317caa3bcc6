import { describe, expect, it } from 'vitest';
import { printable } from './terminal';

describe('text printed on the terminal', () => {
	it('shows ESC, BEL, carriage return, DEL and the C1 CSI as escapes, keeping line breaks, tabs and Vietnamese', () => {
		expect(printable('Mã hồ sơ\t\u001b[31mđỏ\u0007\r\nxóa\u007f \u009b2J')).toBe(
			'Mã hồ sơ\t\\x1b[31mđỏ\\x07\\x0d\nxóa\\x7f \\u009b2J'
		);
	});

	it('shows a right-to-left override as an escape, so a line cannot read backwards', () => {
		expect(printable('HS-\u202egpj.exe')).toBe('HS-\\u202egpj.exe');
	});

	it('leaves JSON output as it is (JSON.stringify already escapes control characters)', () => {
		const json = JSON.stringify({ name: 'a\u001bb' });
		expect(printable(json)).toBe(json);
	});
});
