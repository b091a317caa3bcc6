import { describe, expect, it } from 'vitest';
import { isIsoDate } from './dates';
import { canonicalQuery, previousRange, quarterRange, shapeOf } from './periods';

describe('dates and periods', () => {
	it('knows a real date from a date-shaped string', () => {
		expect(['2024-02-29', '2025-12-31'].map(isIsoDate)).toEqual([true, true]);
		expect(['2025-02-29', '2025-13-01', '2025-00-10', '2025-1-01', 'x'].map(isIsoDate)).toEqual([
			false,
			false,
			false,
			false,
			false
		]);
	});

	it('tells a month, a quarter, a year and a custom range from their dates', () => {
		expect(shapeOf({ from: '2024-02-01', to: '2024-02-29' })).toEqual({
			kind: 'month',
			year: 2024,
			month: 2
		});
		expect(shapeOf(quarterRange(2024, 4))).toEqual({ kind: 'quarter', year: 2024, quarter: 4 });
		expect(shapeOf({ from: '2026-01-01', to: '2026-12-31' })).toEqual({ kind: 'year', year: 2026 });
		expect(shapeOf({ from: '2026-01-01', to: '2026-02-27' })).toEqual({ kind: 'custom' });
		expect(shapeOf({ from: '2026-02-01', to: '2026-04-30' })).toEqual({ kind: 'custom' });
	});

	it('steps back one month, quarter, year, or as many days', () => {
		expect(previousRange({ from: '2025-01-01', to: '2025-01-31' })).toEqual({
			from: '2024-12-01',
			to: '2024-12-31'
		});
		expect(previousRange(quarterRange(2025, 1))).toEqual(quarterRange(2024, 4));
		expect(previousRange({ from: '2025-03-10', to: '2025-03-19' })).toEqual({
			from: '2025-02-28',
			to: '2025-03-09'
		});
	});

	it('turns a picker submission into the canonical from, to and campaign, keeping the rest', () => {
		const campaigns = [{ id: 7, starts_on: '2024-05-09', ends_on: '2024-12-31' }];
		const query = (text: string) =>
			canonicalQuery(new URLSearchParams(text), campaigns)?.toString();
		expect(query('kind=month&month=2026-10&vs=year')).toBe('from=2026-10-01&to=2026-10-31&vs=year');
		expect(query('kind=quarter&quarter=3&year=2025')).toBe('from=2025-07-01&to=2025-09-30');
		expect(query('kind=year&year=2024')).toBe('from=2024-01-01&to=2024-12-31');
		expect(query('kind=campaign&campaign=7')).toBe('from=2024-05-09&to=2024-12-31&campaign=7');
		expect(query('kind=custom&from=2025-03-10&to=2025-03-19')).toBe(
			'from=2025-03-10&to=2025-03-19'
		);
		expect(query('kind=custom&from=2025-03-19&to=2025-03-10')).toBeUndefined();
		expect(query('kind=campaign&campaign=8')).toBeUndefined();
		expect(query('from=2025-03-10&to=2025-03-19')).toBeUndefined();
	});
});
