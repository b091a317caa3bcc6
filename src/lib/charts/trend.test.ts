import type { LineSeriesOption } from 'echarts/charts';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PALETTE, type Palette } from './option';
import {
	campaignMonths,
	monthLabel,
	shortMonth,
	targetSteps,
	trendHeight,
	trendOption,
	trendPoints,
	type TrendPoint
} from './trend';

const PALETTE: Palette = { ...DEFAULT_PALETTE, link: 'blue', second: 'orange', ink: 'black' };

const MONTHS = Array.from({ length: 12 }, (_, i) => `2024-${String(i + 1).padStart(2, '0')}-01`);
/** The 2024 campaign of seed 002, 9 May to 30 September: its target applies May to September. */
const CAMPAIGN = { starts_on: '2024-05-09', ends_on: '2024-09-30' };
const YEAR: TrendPoint[] = MONTHS.map((month, i) => ({
	label: `${month.slice(5, 7)}/2024`,
	earlierLabel: `${month.slice(5, 7)}/2023`,
	value: 0.5,
	numerator: 1,
	denominator: 2,
	earlier: { value: null, numerator: 0, denominator: 0 },
	target: i >= 4 && i <= 8 ? 0.7 : null
}));

const point = (label: string, value: number | null, target: number | null): TrendPoint => ({
	label,
	earlierLabel: label.replace('2025', '2024'),
	value,
	numerator: value === null ? 0 : value * 100,
	denominator: value === null ? 0 : 100,
	earlier: { value: 0.3, numerator: 30, denominator: 100 },
	target
});

const POINTS = [
	point('05/2025', 0.4, null),
	point('06/2025', 0.5, 0.7),
	point('07/2025', null, 0.7)
];
const WORDS = {
	current: 'Năm nay',
	earlier: 'Năm trước',
	target: 'Chỉ tiêu',
	campaign: 'Chiến dịch'
};
const option = trendOption(POINTS, [{ first: 1, last: 2 }], 'vi', WORDS, PALETTE);
const series = option.series as LineSeriesOption[];

describe('the monthly trend chart', () => {
	it('draws this year, a year earlier and the target as three lines told apart by dash too', () => {
		expect(option.color).toEqual(['blue', 'orange', 'black']);
		expect(series.map((s) => [s.name, s.lineStyle?.type ?? 'solid'])).toEqual([
			['Năm nay', 'solid'],
			['Năm trước', 'dashed'],
			['Chỉ tiêu', 'dotted']
		]);
		expect(series[0].data).toEqual([0.4, 0.5, null]);
		expect(series[1].data).toEqual([0.3, 0.3, 0.3]);
	});

	it('starts and ends the target line on the month edges the campaign shading uses', () => {
		// Issue 11: the line started half a month before the shading (a 'middle' step against a
		// mark area from the middle of May).
		const year = trendOption(YEAR, campaignMonths(MONTHS, [CAMPAIGN]), 'vi', WORDS, PALETTE);
		const target = (year.series as LineSeriesOption[])[2];
		const edges = (target.data as [number, number | null][])
			.filter(([, y]) => y !== null)
			.map(([x]) => x);
		expect([Math.min(...edges), Math.max(...edges)]).toEqual([4, 9]);
		expect(target.markArea?.data).toEqual([[{ xAxis: 4, name: 'Chiến dịch' }, { xAxis: 9 }]]);
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

	it('gives both years with their counts and the target in the tooltip, for the month pointed at', () => {
		const tooltip = (
			option.tooltip as {
				formatter: (p: { dataIndex: number; seriesIndex: number }[]) => string;
			}
		).formatter;
		expect(
			tooltip([
				{ dataIndex: 1, seriesIndex: 0 },
				{ dataIndex: 3, seriesIndex: 2 }
			])
		).toBe(
			'<strong>06/2025</strong>: 50,0% (50/100)<br>06/2024: 30,0% (30/100)<br>Chỉ tiêu: 70,0%'
		);
		expect(tooltip([{ dataIndex: 0, seriesIndex: 0 }])).toBe(
			'<strong>05/2025</strong>: 40,0% (40/100)<br>05/2024: 30,0% (30/100)'
		);
	});
});

describe('the months of each campaign', () => {
	const months = ['2025-05-01', '2025-06-01', '2025-07-01', '2025-08-01'];

	it('finds the first and last month a campaign has a day in', () => {
		expect(campaignMonths(months, [{ starts_on: '2025-06-15', ends_on: '2025-07-10' }])).toEqual([
			{ first: 1, last: 2 }
		]);
	});

	it('clips a campaign to the window and leaves out one outside it', () => {
		expect(
			campaignMonths(months, [
				{ starts_on: '2025-01-01', ends_on: '2025-05-31' },
				{ starts_on: '2026-01-01', ends_on: '2026-03-31' }
			])
		).toEqual([{ first: 0, last: 0 }]);
	});
});

describe('the monthly trend chart on a phone', () => {
	const narrow = trendOption(YEAR, [], 'vi', WORDS, PALETTE, 340);
	const axis = (o: typeof narrow) =>
		(o.xAxis as { axisLabel: { interval?: (i: number) => boolean; formatter?: unknown } }[])[0]
			.axisLabel;

	it('puts the legend entries one under the other above the plot, and makes room for them', () => {
		expect(narrow.legend).toMatchObject({ orient: 'vertical', top: 0, left: 0 });
		expect(narrow.grid).toMatchObject({ top: 76 });
		expect(trendHeight(340)).toBeGreaterThan(trendHeight(1200));
		const wide = trendOption(YEAR, [], 'vi', WORDS, PALETTE, 1200);
		expect(wide.legend).toEqual({ top: 0, itemWidth: 28 });
		expect(wide.grid).toMatchObject({ top: 40 });
	});

	it('labels every other month, counted back from the last, in short', () => {
		const { interval, formatter } = axis(narrow);
		const shown = YEAR.map((_, i) => i).filter((i) => interval!(i));
		expect(shown).toEqual([1, 3, 5, 7, 9, 11]);
		expect(formatter).toBe(shortMonth);
		expect(shortMonth('11/2025')).toBe('11/25');
		expect(axis(trendOption(YEAR, [], 'vi', WORDS, PALETTE)).interval).toBeUndefined();
	});

	it('labels the months it is asked to, counted back from the last, in full on a wide chart (print)', () => {
		const every = (n: number) =>
			axis(trendOption(YEAR, [], 'vi', WORDS, PALETTE, 600, { monthEvery: n }));
		expect(YEAR.filter((_, i) => every(1).interval!(i))).toHaveLength(12);
		expect(YEAR.map((_, i) => i).filter((i) => every(3).interval!(i))).toEqual([2, 5, 8, 11]);
		expect(every(1).formatter).toBeUndefined();
	});
});

describe('the points of the engine’s months', () => {
	it('labels each month and the same month a year earlier, and keeps the figures as they are', () => {
		const points = trendPoints([
			{
				month: '2026-10-01',
				value: 0.55,
				numerator: 11,
				denominator: 20,
				target: 0.8,
				yearEarlier: { month: '2025-10-01', value: null, numerator: 0, denominator: 0 }
			}
		]);
		expect(points).toEqual([
			{
				label: '10/2026',
				earlierLabel: '10/2025',
				value: 0.55,
				numerator: 11,
				denominator: 20,
				earlier: { value: null, numerator: 0, denominator: 0 },
				target: 0.8
			}
		]);
		expect(monthLabel('2026-01-01')).toBe('01/2026');
	});
});
