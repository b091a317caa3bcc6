import { describe, expect, it } from 'vitest';
import { isIsoDate } from './dates';
import {
	canonicalQuery,
	describePeriodProblem,
	monthRange,
	periodProblem,
	previousRange,
	quarterRange,
	shapeOf
} from './periods';

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
		const query = (text: string) => {
			const result = canonicalQuery(new URLSearchParams(text), campaigns);
			return result && 'query' in result ? result.query.toString() : result;
		};
		expect(query('kind=month&month=2026-10&vs=year')).toBe('from=2026-10-01&to=2026-10-31&vs=year');
		expect(query('kind=quarter&quarter=3&year=2025')).toBe('from=2025-07-01&to=2025-09-30');
		expect(query('kind=year&year=2024')).toBe('from=2024-01-01&to=2024-12-31');
		expect(query('kind=campaign&campaign=7')).toBe('from=2024-05-09&to=2024-12-31&campaign=7');
		expect(query('kind=custom&from=2025-03-10&to=2025-03-19')).toBe(
			'from=2025-03-10&to=2025-03-19'
		);
		expect(query('from=2025-03-10&to=2025-03-19')).toBeNull();
		// The late page's own `kind` is no picker submission.
		expect(query('kind=open&page=2')).toBeNull();
	});

	it('answers a picker submission that makes no period in bounds with the problem', () => {
		const query = (text: string) => canonicalQuery(new URLSearchParams(text), []);
		expect(query('kind=custom&from=2025-03-19&to=2025-03-10')).toEqual({
			problem: { kind: 'reversed', from: '2025-03-19', to: '2025-03-10' }
		});
		expect(query('kind=campaign&campaign=8')).toEqual({ problem: { kind: 'picker' } });
		expect(query('kind=month&month=2025-13')).toEqual({ problem: { kind: 'picker' } });
		expect(query('kind=quarter&quarter=5&year=2025')).toEqual({ problem: { kind: 'picker' } });
		expect(query('kind=year&year=1901')).toEqual({
			problem: { kind: 'out_of_range', field: 'from', value: '1901' }
		});
		expect(query('kind=year&year=100000000000000000000')).toEqual({
			problem: { kind: 'out_of_range', field: 'from', value: '100000000000000000000' }
		});
		expect(query('kind=month&month=9999-12')).toEqual({
			problem: { kind: 'out_of_range', field: 'from', value: '9999-12-01' }
		});
	});

	it('reads a year as four digits and a quarter as one, not as whatever Number() reads', () => {
		for (const picked of [
			'kind=year&year=0x7d0',
			'kind=year&year=2e3',
			'kind=year&year=%202024',
			'kind=quarter&quarter=1e0&year=2025',
			'kind=quarter&quarter=01&year=2025'
		]) {
			expect(canonicalQuery(new URLSearchParams(picked), []), picked).toEqual({
				problem: { kind: 'picker' }
			});
		}
	});
});

describe('the periods the dashboard answers (CONTRACT: 2000-01-01 to 2100-12-31)', () => {
	it('accepts a day, the first and last days of the bounds, and ten whole years', () => {
		expect(periodProblem('2025-07-01', '2025-07-01')).toBeNull();
		expect(periodProblem('2000-01-01', '2000-01-31')).toBeNull();
		expect(periodProblem('2100-12-01', '2100-12-31')).toBeNull();
		expect(periodProblem('2021-01-01', '2030-12-31')).toBeNull();
	});

	it('refuses a missing, malformed or impossible date, naming which', () => {
		expect(periodProblem(null, '2025-07-31')).toEqual({ kind: 'missing' });
		expect(periodProblem('2025-07-01', '')).toEqual({ kind: 'missing' });
		expect(periodProblem('2000-02-30', '2000-03-31')).toEqual({
			kind: 'not_a_date',
			field: 'from',
			value: '2000-02-30'
		});
		expect(periodProblem('2025-07-01', '31/07/2025')).toEqual({
			kind: 'not_a_date',
			field: 'to',
			value: '31/07/2025'
		});
		expect(periodProblem('x'.repeat(5000), '2025-07-31')).toEqual({
			kind: 'not_a_date',
			field: 'from',
			value: 'x'.repeat(40)
		});
	});

	it('refuses dates before 2000 or after 2100, years 0001, 0999 and 9999 included', () => {
		expect(periodProblem('9999-12-01', '9999-12-31')).toEqual({
			kind: 'out_of_range',
			field: 'from',
			value: '9999-12-01'
		});
		expect(periodProblem('0001-01-01', '2025-01-31')).toEqual({
			kind: 'out_of_range',
			field: 'from',
			value: '0001-01-01'
		});
		expect(periodProblem('0999-01-01', '0999-01-31')?.kind).toBe('out_of_range');
		expect(periodProblem('1999-12-31', '2000-01-31')?.kind).toBe('out_of_range');
		expect(periodProblem('2100-12-01', '2101-01-01')).toEqual({
			kind: 'out_of_range',
			field: 'to',
			value: '2101-01-01'
		});
	});

	it('refuses from after to, and a period longer than ten years', () => {
		expect(periodProblem('2025-08-01', '2025-07-31')).toEqual({
			kind: 'reversed',
			from: '2025-08-01',
			to: '2025-07-31'
		});
		expect(periodProblem('2021-01-01', '2031-01-01')).toEqual({
			kind: 'too_long',
			from: '2021-01-01',
			to: '2031-01-01'
		});
		expect(periodProblem('2000-01-01', '2100-12-31')?.kind).toBe('too_long');
	});

	it('says what is wrong in words an API client can act on', () => {
		expect(describePeriodProblem({ kind: 'too_long', from: '2000-01-01', to: '2100-12-31' })).toBe(
			'a period is at most 10 years: 2000-01-01 to 2100-12-31 is longer'
		);
		expect(describePeriodProblem({ kind: 'out_of_range', field: 'to', value: '9999-12-31' })).toBe(
			'to 9999-12-31 is outside 2000-01-01 to 2100-12-31'
		);
	});

	it('writes the months of years before 1000 with four digits', () => {
		expect(monthRange(999, 2)).toEqual({ from: '0999-02-01', to: '0999-02-28' });
		expect(previousRange({ from: '2000-01-01', to: '2000-01-31' })).toEqual({
			from: '1999-12-01',
			to: '1999-12-31'
		});
	});
});
