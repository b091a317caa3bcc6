import { describe, expect, it } from 'vitest';
import type { LineSeriesOption } from 'echarts/charts';
import { DEFAULT_PALETTE, type Palette } from '$lib/charts/option';
import { campaignMonths, trendOption, type TrendPoint } from './trend-option';

const PALETTE: Palette = { ...DEFAULT_PALETTE, link: 'blue', second: 'orange', ink: 'black' };

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
		expect(series.map((s) => [s.name, s.data, s.lineStyle?.type ?? 'solid'])).toEqual([
			['Năm nay', [0.4, 0.5, null], 'solid'],
			['Năm trước', [0.3, 0.3, 0.3], 'dashed'],
			['Chỉ tiêu', [null, 0.7, 0.7], 'dotted']
		]);
	});

	it('shades each campaign over its whole months', () => {
		expect(series[0].markArea?.data).toEqual([
			[{ xAxis: '06/2025', name: 'Chiến dịch' }, { xAxis: '07/2025' }]
		]);
	});

	it('gives both years with their counts and the target in the tooltip', () => {
		const tooltip = (option.tooltip as { formatter: (p: { dataIndex: number }[]) => string })
			.formatter;
		expect(tooltip([{ dataIndex: 1 }])).toBe(
			'<strong>06/2025</strong>: 50,0% (50/100)<br>06/2024: 30,0% (30/100)<br>Chỉ tiêu: 70,0%'
		);
		expect(tooltip([{ dataIndex: 0 }])).toBe(
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
