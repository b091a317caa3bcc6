import { describe, expect, it } from 'vitest';
import { monthFirstDay, monthIndex, monthLastDay, monthSpan, monthText } from './months';

describe('months as integers', () => {
	it('numbers a month as year × 12 + month − 1, from a month or a day', () => {
		expect(monthIndex('2025-07')).toBe(2025 * 12 + 6);
		expect(monthIndex('2025-07-31')).toBe(2025 * 12 + 6);
		expect(monthText(monthIndex('2025-12') + 1)).toBe('2026-01');
		expect(monthText(monthIndex('0001-01') - 1)).toBe('0000-12');
	});

	it('refuses what is not a month', () => {
		expect(() => monthIndex('2025-13')).toThrow(RangeError);
		expect(() => monthIndex('+010000-01')).toThrow(RangeError);
		expect(() => monthText(monthIndex('9999-12') + 1)).toThrow(RangeError);
	});

	it('gives the first and last day of a month, 29 February in a leap year', () => {
		expect(monthFirstDay(monthIndex('2024-02'))).toBe('2024-02-01');
		expect(monthLastDay(monthIndex('2024-02'))).toBe('2024-02-29');
		expect(monthLastDay(monthIndex('2100-02'))).toBe('2100-02-28');
		expect(monthLastDay(monthIndex('2025-12'))).toBe('2025-12-31');
	});

	it('lists the months of a span, none when it ends before it starts', () => {
		expect(monthSpan(monthIndex('2025-11'), monthIndex('2026-02'), 12).map(monthText)).toEqual([
			'2025-11',
			'2025-12',
			'2026-01',
			'2026-02'
		]);
		expect(monthSpan(monthIndex('2026-02'), monthIndex('2025-11'), 12)).toEqual([]);
	});

	it('throws rather than list more months than its bound (9999-12 to 10000-01 included)', () => {
		expect(() => monthSpan(monthIndex('2025-01'), monthIndex('2026-01'), 12)).toThrow(
			'13 months is more than 12'
		);
		expect(monthSpan(monthIndex('9999-12'), monthIndex('9999-12'), 1).map(monthText)).toEqual([
			'9999-12'
		]);
	});
});
