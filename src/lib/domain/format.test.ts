import { describe, expect, it } from 'vitest';
import { formatDate, formatNumber, formatPercent } from './format';

describe('formatNumber', () => {
	it('groups thousands with dots in Vietnamese', () => {
		expect(formatNumber(1_512_345)).toBe('1.512.345');
	});

	it('groups thousands with commas in English', () => {
		expect(formatNumber(1_512_345, 'en')).toBe('1,512,345');
	});

	it('writes zero as 0', () => {
		expect(formatNumber(0)).toBe('0');
	});
});

describe('formatDate', () => {
	it('writes an ISO date as dd/MM/yyyy', () => {
		expect(formatDate('2024-05-09')).toBe('09/05/2024');
	});

	it('keeps the calendar day of a local timestamp late in the evening', () => {
		expect(formatDate('2024-12-31T23:30:00')).toBe('31/12/2024');
	});

	it('refuses a string that is not an ISO date', () => {
		expect(() => formatDate('09/05/2024')).toThrow(RangeError);
	});
});

describe('formatPercent', () => {
	it('writes 79,3% in Vietnamese and 79.3% in English, and an empty value as a dash', () => {
		expect(formatPercent(96 / 121)).toBe('79,3%');
		expect(formatPercent(96 / 121, 'en')).toBe('79.3%');
		expect(formatPercent(null)).toBe('—');
	});
});
