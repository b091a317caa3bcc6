import { describe, expect, it } from 'vitest';
import { campaignMonths, targetSteps, trendOption, type TrendPoint } from './trend-option';

const MONTHS = Array.from({ length: 12 }, (_, i) => `2024-${String(i + 1).padStart(2, '0')}-01`);
/** The 2024 campaign of seed 002, 9 May to 30 September: its target applies May to September. */
const CAMPAIGN = { starts_on: '2024-05-09', ends_on: '2024-09-30' };
const points: TrendPoint[] = MONTHS.map((month, i) => ({
	label: `${month.slice(5, 7)}/2024`,
	earlierLabel: `${month.slice(5, 7)}/2023`,
	value: 0.5,
	numerator: 1,
	denominator: 2,
	earlier: { value: null, numerator: 0, denominator: 0 },
	target: i >= 4 && i <= 8 ? 0.7 : null
}));
const words = { current: 'now', earlier: 'then', target: 'target', campaign: 'campaign' };

type Series = { data: unknown[]; xAxisIndex?: number; markArea?: { data: unknown[][] } };

describe('the trend chart', () => {
	it('starts and ends the target line on the month edges the campaign shading uses', () => {
		// Issue 11: the line started half a month before the shading (a 'middle' step against a
		// mark area from the middle of May).
		const option = trendOption(points, campaignMonths(MONTHS, [CAMPAIGN]), 'vi', words) as {
			series: Series[];
		};
		const target = option.series[2];
		const edges = (target.data as [number, number | null][])
			.filter(([, y]) => y !== null)
			.map(([x]) => x);
		expect([Math.min(...edges), Math.max(...edges)]).toEqual([4, 9]);
		expect(target.markArea!.data).toEqual([[{ xAxis: 4, name: 'campaign' }, { xAxis: 9 }]]);
		expect(target.xAxisIndex).toBe(1);
	});

	it('steps from one month’s target to the next on their common edge, with gaps where none', () => {
		expect(targetSteps([null, 0.7, 0.8, null])).toEqual([
			[0.5, null],
			[1, 0.7],
			[2, 0.7],
			[2, 0.8],
			[3, 0.8],
			[3.5, null]
		]);
	});
});
