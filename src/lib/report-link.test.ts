import { describe, expect, it } from 'vitest';
import { offeredReport, reportQuery } from './report-link';

describe('the report a page offers', () => {
	it("is the campaign's when the period is a campaign's window", () => {
		const report = offeredReport(
			{ from: '2026-03-01', to: '2026-12-31' },
			{ id: 2, name: 'Chuyển đổi số 2026' }
		);
		expect(report).toEqual({ kind: 'campaign', id: 2, name: 'Chuyển đổi số 2026' });
		expect(reportQuery('42', report, 'pdf')).toBe('?unit=42&campaign=2&format=pdf');
	});

	it('is the month the period ends in, said to be exact only for that whole month', () => {
		expect(offeredReport({ from: '2026-10-01', to: '2026-10-31' }, null)).toEqual({
			kind: 'month',
			month: '2026-10',
			exact: true
		});
		expect(offeredReport({ from: '2026-07-01', to: '2026-09-30' }, null)).toEqual({
			kind: 'month',
			month: '2026-09',
			exact: false
		});
		for (const from of ['2026-10-05', '2026-10-01']) {
			expect(offeredReport({ from, to: '2026-10-20' }, null)).toMatchObject({
				month: '2026-10',
				exact: false
			});
		}
	});

	it('escapes the unit code in the query', () => {
		const report = offeredReport({ from: '2026-10-01', to: '2026-10-31' }, null);
		expect(reportQuery('a&b=c', report, 'xlsx')).toBe('?unit=a%26b%3Dc&month=2026-10&format=xlsx');
	});
});
