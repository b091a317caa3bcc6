import { describe, expect, it } from 'vitest';
import {
	addDays,
	addYears,
	dayNumber,
	daysBetween,
	isoDate,
	vietnamInstant,
	vietnamTimestamp,
	vietnamToday
} from './dates';

describe('calendar days as numbers', () => {
	it('numbers days from 1970-01-01 and back, also in years before 100', () => {
		expect(dayNumber('1970-01-02')).toBe(1);
		expect(dayNumber('2000-01-01')).toBe(10_957);
		expect(isoDate(10_957)).toBe('2000-01-01');
		expect(isoDate(dayNumber('0001-01-01'))).toBe('0001-01-01');
		expect(isoDate(dayNumber('0099-12-31') + 1)).toBe('0100-01-01');
	});

	it('refuses a date-shaped string that is no calendar date', () => {
		expect(() => dayNumber('2025-02-30')).toThrow(RangeError);
		expect(() => dayNumber('+010000-01-01')).toThrow(RangeError);
		expect(() => dayNumber('2025-1-01')).toThrow(RangeError);
	});

	it('never writes a day after 9999-12-31 as +010000-01-01: it throws instead', () => {
		expect(addDays('9999-12-30', 1)).toBe('9999-12-31');
		expect(() => addDays('9999-12-31', 1)).toThrow(RangeError);
		expect(() => addDays('0000-01-01', -1)).toThrow(RangeError);
	});

	it('counts the days between two dates across a leap day', () => {
		expect(daysBetween('2024-02-28', '2024-03-01')).toBe(2);
		expect(daysBetween('2100-02-28', '2100-03-01')).toBe(1);
	});

	it('moves 29 February a year to 28 February, and pads years below 1000', () => {
		expect(addYears('2024-02-29', 1)).toBe('2025-02-28');
		expect(addYears('2024-02-29', -4)).toBe('2020-02-29');
		expect(addYears('1000-03-15', -1)).toBe('0999-03-15');
	});

	it('gives the Vietnam calendar day (UTC+7), not the UTC one', () => {
		expect(vietnamToday(Date.parse('2026-11-30T16:59:59Z'))).toBe('2026-11-30');
		expect(vietnamToday(Date.parse('2026-11-30T17:00:00Z'))).toBe('2026-12-01');
	});
});

describe('Vietnam wall-clock timestamps', () => {
	it('writes an instant as Vietnam time, to the second or the millisecond, and reads it back', () => {
		const instant = Date.parse('2026-11-30T17:00:00.250Z');
		expect(vietnamTimestamp(instant)).toBe('2026-12-01 00:00:00');
		expect(vietnamTimestamp(instant, { milliseconds: true })).toBe('2026-12-01 00:00:00.250');
		expect(vietnamInstant('2026-12-01 00:00:00.250')).toBe(instant);
		expect(vietnamInstant('2026-12-01T00:00:00')).toBe(instant - 250);
	});
});
