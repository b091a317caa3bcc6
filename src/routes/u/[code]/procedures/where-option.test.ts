import { describe, expect, it } from 'vitest';
import type { BarSeriesOption } from 'echarts/charts';
import { DEFAULT_PALETTE, type Palette } from '$lib/charts/option';
import {
	NARROW_WHERE_ROW,
	WHERE_ROW,
	whereHeight,
	whereNameWidth,
	whereOption
} from './where-option';

const PALETTE: Palette = { ...DEFAULT_PALETTE, link: 'blue', ink: 'black' };

const LONG =
	'Đăng ký biến động quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất do chuyển nhượng, thừa kế, tặng cho, góp vốn';
const BARS = [
	{ code: '1.005585', name: LONG, extra: 1234 },
	{ code: '1.009760', name: 'Tách thửa <hoặc> hợp thửa đất', extra: 17 },
	{ code: '2.000001', name: null, extra: 3 }
];

type Formatter = (params: { dataIndex: number }) => string;
const axisLabel = (o: ReturnType<typeof whereOption>) =>
	(o.yAxis as { axisLabel: Record<string, unknown> }).axisLabel;

describe('the where-to-act chart', () => {
	const wide = whereOption(BARS, 'vi', 'Hồ sơ cần thêm', PALETTE, 1200);
	const narrow = whereOption(BARS, 'vi', 'Hồ sơ cần thêm', PALETTE, 340);

	it('draws one bar per procedure, in order, labelled with the dossiers missing', () => {
		const series = (wide.series as BarSeriesOption[])[0];
		expect(series.data).toEqual([
			{ value: 1234, name: LONG, code: '1.005585' },
			{ value: 17, name: 'Tách thửa <hoặc> hợp thửa đất', code: '1.009760' },
			{ value: 3, name: '2.000001', code: '2.000001' }
		]);
		const label = (series.label as { formatter: Formatter }).formatter;
		expect(label({ dataIndex: 0 })).toBe('1.234');
		expect(series.itemStyle).toEqual({ color: 'blue' });
	});

	it('gives the whole name, its code and the count in the tooltip, escaped', () => {
		const tooltip = (narrow.tooltip as { formatter: Formatter }).formatter;
		expect(tooltip({ dataIndex: 0 })).toBe(
			`<strong>${LONG} (1.005585)</strong><br>Hồ sơ cần thêm: 1.234`
		);
		expect(tooltip({ dataIndex: 1 })).toContain('Tách thửa &lt;hoặc&gt; hợp thửa đất');
		expect(tooltip({ dataIndex: 2 })).toBe('<strong>2.000001</strong><br>Hồ sơ cần thêm: 3');
	});

	it('cuts names short beside the bars at 35% of a wide chart', () => {
		expect(axisLabel(wide)).toMatchObject({ width: 300, overflow: 'truncate' });
		expect(whereNameWidth(600)).toBe(210);
		expect(whereNameWidth(0)).toBe(300);
	});

	it('writes the names above the bars on a phone, across its width', () => {
		expect(axisLabel(narrow)).toMatchObject({
			inside: true,
			verticalAlign: 'bottom',
			width: 328,
			overflow: 'truncate'
		});
		expect(narrow.grid).toMatchObject({ left: 4, outerBoundsMode: 'none' });
		expect(narrow.xAxis).toMatchObject({ splitNumber: 3, axisLabel: { hideOverlap: true } });
		expect(whereHeight(10, 340)).toBe(10 * NARROW_WHERE_ROW + 40);
		expect(whereHeight(10, 1200)).toBe(10 * WHERE_ROW + 40);
	});
});
