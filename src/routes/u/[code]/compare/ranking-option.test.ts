import { describe, expect, it } from 'vitest';
import type { BarSeriesOption } from 'echarts/charts';
import { DEFAULT_PALETTE, type Palette } from '$lib/charts/option';
import { rankingOption, type RankedBar } from './ranking-option';

const PALETTE: Palette = {
	...DEFAULT_PALETTE,
	met: 'green',
	below: 'red',
	link: 'blue',
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
	it('draws one bar per child in rank order, coloured by status from the palette given', () => {
		expect(series.data).toEqual([
			{ value: 0.85, name: 'Xã <A>', code: '18101', itemStyle: { color: 'green' } },
			{ value: 0.5, name: 'Xã B †', code: '18102', itemStyle: { color: 'red' } },
			{ value: 0.4, name: 'Xã C', code: '18103', itemStyle: { color: 'blue' } }
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
		expect(option.grid).toMatchObject({ top: 36 });
		const without = rankingOption(BARS, [], 'vi', WORDS, PALETTE);
		expect(without.grid).toMatchObject({ top: 12 });
	});

	it('reads nothing of the page: the same arguments give the same option, on the server too', () => {
		expect(typeof document).toBe('undefined');
		expect(JSON.stringify(rankingOption(BARS, [], 'en', WORDS, PALETTE))).toBe(
			JSON.stringify(rankingOption(BARS, [], 'en', WORDS, PALETTE))
		);
	});
});
