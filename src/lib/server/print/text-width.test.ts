import { describe, expect, it } from 'vitest';
import { textWidth } from './text-width';

describe('the width of a text set in Tinos', () => {
	it('adds up the Times widths of ASCII at the font size', () => {
		// Digits are half an em, the comma a quarter, % 0.833 em: "79,3%" at 12 px.
		expect(textWidth('79,3%', '12px Tinos')).toBeCloseTo(((3 * 500 + 250 + 833) / 1000) * 12);
		expect(textWidth('W', '20px Tinos')).toBeCloseTo(18.88);
	});

	it('measures a Vietnamese letter as its base letter, the horned ones wider', () => {
		expect(textWidth('Xã Đồng Lộc', '12px Tinos')).toBeCloseTo(
			textWidth('Xa Dong Loc', '12px Tinos')
		);
		expect(textWidth('ư', '10px Tinos')).toBeCloseTo(5.42);
	});

	it('counts an em for a character it does not know, and bold a little wider', () => {
		expect(textWidth('国', '14px Tinos')).toBe(14);
		expect(textWidth('a', 'bold 10px Tinos')).toBeCloseTo(4.44 * 1.07);
		expect(textWidth('a')).toBeCloseTo(5.328);
	});
});
