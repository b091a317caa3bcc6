import { describe, expect, it } from 'vitest';
import {
	formatIndexPoints,
	formatCounts,
	formatDate,
	formatMonth,
	formatNumber,
	formatPercent,
	formatPoints,
	formatRatio,
	formatTarget
} from './format';

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

describe('formatMonth', () => {
	it('writes a month as MM/yyyy in both languages', () => {
		expect(formatMonth('2026-10')).toBe('10/2026');
		expect(formatMonth('2000-01', 'en')).toBe('01/2000');
	});
});

describe('formatPercent', () => {
	it('writes 79,3% in Vietnamese and 79.3% in English, and an empty value as a dash', () => {
		expect(formatPercent(96 / 121)).toBe('79,3%');
		expect(formatPercent(96 / 121, 'en')).toBe('79.3%');
		expect(formatPercent(null)).toBe('—');
	});
});

describe('formatTarget', () => {
	it('writes a target with the decimals it was set with, one at least and two at most', () => {
		expect(formatTarget(0.7024)).toBe('70,24%');
		expect(formatTarget(0.7024, 'en')).toBe('70.24%');
		expect(formatTarget(0.705)).toBe('70,5%');
		expect(formatTarget(0.7)).toBe('70,0%');
		expect(formatTarget(1)).toBe('100,0%');
		expect(formatTarget(0.8825)).toBe('88,25%');
		expect(formatTarget(null)).toBe('—');
	});

	it('rounds a target imported finer than the grid to two decimals', () => {
		expect(formatTarget(0.700049)).toBe('70,0%');
		expect(formatTarget(0.702461)).toBe('70,25%');
	});
});

describe('a KPI as a rate with its counts', () => {
	const ratio = { numerator: 277, denominator: 523, value: 277 / 523 };

	it('writes the rate, then numerator over denominator, in each language', () => {
		expect(formatRatio(ratio, 'vi')).toBe('53,0% · 277/523');
		expect(formatRatio({ numerator: 1234, denominator: 5678, value: 0.5 }, 'en')).toBe(
			'50.0% · 1,234/5,678'
		);
		expect(formatCounts({ numerator: 1512345, denominator: 2000000 }, 'vi')).toBe(
			'1.512.345/2.000.000'
		);
	});

	it('writes an empty rate as a dash, never 0%', () => {
		expect(formatRatio({ numerator: 0, denominator: 0, value: null })).toBe('— · 0/0');
	});
});

describe('formatPoints', () => {
	it('keeps the decimal of a whole change, as the rates beside it have one', () => {
		expect(formatPoints(0.01)).toBe('1,0');
		expect(formatPoints(-0.2)).toBe('20,0');
		expect(formatPoints(0.01, 'en')).toBe('1.0');
	});

	it('writes the size of a change to one decimal, without its sign', () => {
		expect(formatPoints(0.021)).toBe('2,1');
		expect(formatPoints(-0.0349)).toBe('3,5');
		expect(formatPoints(0.0004)).toBe('0,0');
	});
});

describe('formatIndexPoints', () => {
	it('prints service-index points with two decimals at most, rounded, in the page’s format', () => {
		expect(formatIndexPoints(53.7749)).toBe('53,77');
		expect(formatIndexPoints(53.775)).toBe('53,78');
		expect(formatIndexPoints(6)).toBe('6');
		expect(formatIndexPoints(1.5)).toBe('1,5');
		expect(formatIndexPoints(1234.5, 'en')).toBe('1,234.5');
	});
});
