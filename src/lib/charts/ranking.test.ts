import { describe, expect, it } from 'vitest';
import type { BarSeriesOption } from 'echarts/charts';
import { DEFAULT_PALETTE, type Palette } from './option';
import {
	BAR_HEIGHT,
	NARROW_BAR_HEIGHT,
	nameWidth,
	rankingHeight,
	rankingOption,
	type RankedBar
} from './ranking';

const PALETTE: Palette = {
	...DEFAULT_PALETTE,
	met: 'green',
	below: 'red',
	noTarget: 'grey',
	ink: 'black'
};

const BARS: RankedBar[] = [
	{
		code: '18101',
		label: 'Xã <A>',
		value: 0.85,
		numerator: 17,
		denominator: 20,
		target: 0.8,
		status: 'met'
	},
	{
		code: '18102',
		label: 'Xã B †',
		value: 0.5,
		numerator: 277,
		denominator: 554,
		target: 0.8,
		status: 'below'
	},
	{
		code: '18103',
		label: 'Xã C',
		value: 0.4,
		numerator: 2,
		denominator: 5,
		target: null,
		status: null
	}
];

const WORDS = {
	status: (s: string) => ({ met: 'Đạt', close: 'Gần đạt', below: 'Chưa đạt' })[s]!,
	symbol: (s: string) => ({ met: '✓', close: '!', below: '✗' })[s]!,
	target: 'Chỉ tiêu'
};

const option = rankingOption(
	BARS,
	[{ target: 0.8, label: 'Chỉ tiêu xã 80,0%' }],
	'vi',
	WORDS,
	PALETTE
);
const series = (option.series as BarSeriesOption[])[0];
type Formatter = (params: { dataIndex: number }) => string;

describe('the ranked bar chart of the comparison', () => {
	it('draws one bar per child in rank order, coloured by status from the palette given (grey without a target)', () => {
		expect(series.data).toEqual([
			{ value: 0.85, name: 'Xã <A>', code: '18101', itemStyle: { color: 'green' } },
			{ value: 0.5, name: 'Xã B †', code: '18102', itemStyle: { color: 'red' } },
			{ value: 0.4, name: 'Xã C', code: '18103', itemStyle: { color: 'grey' } }
		]);
		expect(option.yAxis).toMatchObject({ inverse: true, data: ['Xã <A>', 'Xã B †', 'Xã C'] });
	});

	it('labels each bar with its value and status symbol, so colour is not the only cue', () => {
		const label = (series.label as { formatter: Formatter }).formatter;
		expect([0, 1, 2].map((dataIndex) => label({ dataIndex }))).toEqual([
			'85,0% ✓',
			'50,0% ✗',
			'40,0%'
		]);
	});

	it('gives the counts, target and status in the tooltip, the unit name escaped', () => {
		const tooltip = (option.tooltip as { formatter: Formatter }).formatter;
		expect(tooltip({ dataIndex: 0 })).toBe(
			'<strong>Xã &lt;A&gt;</strong><br>85,0% (17/20)<br>Chỉ tiêu 80,0% · Đạt'
		);
		expect(tooltip({ dataIndex: 2 })).toBe('<strong>Xã C</strong><br>40,0% (2/5)');
	});

	it('draws one dashed line per distinct target, and makes room for its label', () => {
		expect(series.markLine).toMatchObject({
			lineStyle: { color: 'black', type: 'dashed' },
			data: [{ xAxis: 0.8, name: 'Chỉ tiêu xã 80,0%' }]
		});
		expect(option.grid).toMatchObject({ top: 40 });
		const without = rankingOption(BARS, [], 'vi', WORDS, PALETTE);
		expect(without.grid).toMatchObject({ top: 12 });
	});

	it('stacks the labels of several targets, one line each, so that they never overlap', () => {
		const two = rankingOption(
			BARS,
			[
				{ target: 0.7, label: 'Chỉ tiêu huyện 70,0%' },
				{ target: 0.8, label: 'Chỉ tiêu xã 80,0%' }
			],
			'vi',
			WORDS,
			PALETTE
		);
		const lines = (two.series as BarSeriesOption[])[0].markLine!.data as {
			label: { distance: number };
		}[];
		expect(lines.map((l) => l.label.distance)).toEqual([26, 8]);
		expect(two.grid).toMatchObject({ top: 58 });
	});

	it('reads nothing of the page: the same arguments give the same option, on the server too', () => {
		expect(typeof document).toBe('undefined');
		expect(JSON.stringify(rankingOption(BARS, [], 'en', WORDS, PALETTE))).toBe(
			JSON.stringify(rankingOption(BARS, [], 'en', WORDS, PALETTE))
		);
	});
});

describe('the ranked bar chart on a phone', () => {
	const LONG = 'Văn phòng Ủy ban nhân dân tỉnh Hà Tĩnh và các đơn vị trực thuộc';
	const bars = [{ ...BARS[0], label: LONG }, ...BARS.slice(1)];
	const targets = [{ target: 0.8, label: 'Chỉ tiêu xã 80,0%' }];
	const narrow = rankingOption(bars, targets, 'vi', WORDS, PALETTE, 340);
	const axisLabel = (o: typeof narrow) =>
		(o.yAxis as { axisLabel: Record<string, unknown> }).axisLabel;

	it('writes each name above its bar across the whole width, cut short only past it', () => {
		expect(axisLabel(narrow)).toMatchObject({
			inside: true,
			align: 'left',
			verticalAlign: 'bottom',
			width: 328,
			overflow: 'truncate'
		});
		// The bars start at the left edge: no column of names beside them.
		expect(narrow.grid).toMatchObject({ left: 4, outerBoundsMode: 'none' });
	});

	it('keeps the whole name in the tooltip', () => {
		const tooltip = (narrow.tooltip as { formatter: Formatter }).formatter;
		expect(tooltip({ dataIndex: 0 })).toContain(`<strong>${LONG}</strong>`);
	});

	it('gives each bar a taller row (name above, bar under) and thinner bars', () => {
		expect(rankingHeight(10, 1, 340)).toBe(10 * NARROW_BAR_HEIGHT + 40 + 36);
		expect(rankingHeight(10, 1, 1200)).toBe(10 * BAR_HEIGHT + 40 + 36);
		expect((narrow.series as BarSeriesOption[])[0].barMaxWidth).toBe(12);
	});

	it('draws five percent labels on the value axis, not ten that would run into each other', () => {
		expect(narrow.xAxis).toMatchObject({ interval: 0.25, axisLabel: { hideOverlap: true } });
		const wide = rankingOption(bars, targets, 'vi', WORDS, PALETTE, 1200);
		expect(wide.xAxis).toMatchObject({ interval: 0.1 });
	});

	it('runs a target label from its line towards the middle, so that it stays in the chart', () => {
		const label = (o: typeof narrow) =>
			((o.series as BarSeriesOption[])[0].markLine!.data as { label: { align?: string } }[])[0]
				.label;
		expect(label(narrow).align).toBe('right');
		const low = rankingOption(bars, [{ target: 0.3, label: '30%' }], 'vi', WORDS, PALETTE, 340);
		expect(label(low).align).toBe('left');
		expect(label(rankingOption(bars, targets, 'vi', WORDS, PALETTE, 1200)).align).toBeUndefined();
	});

	it('keeps the names beside the bars on a wide chart, at most 30% of its width', () => {
		const wide = rankingOption(bars, targets, 'vi', WORDS, PALETTE, 600);
		expect(axisLabel(wide)).toEqual({ width: 180, overflow: 'truncate', color: 'black' });
		expect(nameWidth(1200)).toBe(220);
		// Not measured yet (the server's render, the first draw): the desktop chart.
		expect(axisLabel(rankingOption(bars, targets, 'vi', WORDS, PALETTE))).toMatchObject({
			width: 220
		});
	});
});
