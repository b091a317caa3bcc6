import { describe, expect, it } from 'vitest';
import { checkedPeriod, PeriodError, splitMonths } from './period';

describe('a period as whole months and edge days', () => {
	it('reads whole months from the monthly rows and the days either side from the daily ones', () => {
		expect(splitMonths({ from: '2025-05-09', to: '2025-09-15' })).toEqual({
			months: { from: '2025-06-01', to: '2025-08-01' },
			edges: [
				{ from: '2025-05-09', to: '2025-05-31' },
				{ from: '2025-09-01', to: '2025-09-15' }
			]
		});
	});

	it('has no whole month in a period inside one month, or across two partial ones', () => {
		expect(splitMonths({ from: '2025-05-09', to: '2025-05-20' })).toEqual({
			months: null,
			edges: [{ from: '2025-05-09', to: '2025-05-20' }]
		});
		expect(splitMonths({ from: '2025-05-09', to: '2025-06-20' })).toEqual({
			months: null,
			edges: [{ from: '2025-05-09', to: '2025-06-20' }]
		});
	});

	it('takes December 2100 whole, with no month after it', () => {
		expect(splitMonths({ from: '2100-11-15', to: '2100-12-31' })).toEqual({
			months: { from: '2100-12-01', to: '2100-12-01' },
			edges: [{ from: '2100-11-15', to: '2100-11-30' }]
		});
	});
});

describe('a period from text', () => {
	it('is the two dates when they make a period in bounds', () => {
		expect(checkedPeriod('2025-07-01', '2025-07-31')).toEqual({
			from: '2025-07-01',
			to: '2025-07-31'
		});
	});

	it('throws a PeriodError with the problem and its English description', () => {
		const error = (() => {
			try {
				checkedPeriod('9999-12-01', '9999-12-31');
			} catch (e) {
				return e;
			}
		})();
		expect(error).toBeInstanceOf(PeriodError);
		expect((error as PeriodError).problem).toEqual({
			kind: 'out_of_range',
			field: 'from',
			value: '9999-12-01'
		});
		expect((error as PeriodError).message).toBe(
			'from 9999-12-01 is outside 2000-01-01 to 2100-12-31'
		);
	});
});
