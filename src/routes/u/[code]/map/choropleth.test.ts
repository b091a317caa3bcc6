import { describe, expect, it } from 'vitest';
import type { ChartOption } from '$lib/charts/option';
import {
	choroplethOption,
	escapeHtml,
	FILLS,
	scaleRange,
	type Legend,
	type Region
} from './choropleth';

const STATUS_LEGEND: Legend = {
	kind: 'status',
	labels: { met: '✓ Đạt (từ 80,0%)', close: '! Gần đạt', below: '✗ Chưa đạt' }
};

const REGIONS: Region[] = [
	{ code: '18481', value: 0.75, status: 'close', tooltip: 'Xã Xuân Lộc' },
	{ code: '18406', value: null, status: null, tooltip: 'Xã Can Lộc' }
];

type Item = Record<string, unknown> & { name: string };
const itemsOf = (option: ChartOption) => (option.series as { data: Item[] }[])[0].data;

describe('the map option', () => {
	// The polygons file lists 18310 first: an item without values first would leave ECharts with
	// one value dimension, and no status colour for any commune.
	const option = choroplethOption(['18310', '18406', '18481'], REGIONS, STATUS_LEGEND);

	it('puts the communes with figures first, each with its value and status index', () => {
		expect(itemsOf(option).map((i) => [i.name, i.value])).toEqual([
			['18481', [0.75, 1]],
			['18406', ['-', '-']],
			['18310', undefined]
		]);
	});

	it('draws a commune outside the unit or the scope grey, with no figures, hover or tooltip', () => {
		expect(itemsOf(option)[2]).toEqual({
			name: '18310',
			itemStyle: { areaColor: FILLS.outside },
			emphasis: { disabled: true },
			tooltip: { show: false }
		});
	});

	it('draws a commune without figures white, and lets the click handler find its code', () => {
		expect(itemsOf(option)[1]).toMatchObject({
			code: '18406',
			itemStyle: { areaColor: FILLS.noData }
		});
	});

	it('has one legend piece per status, coloured and labelled with its symbol', () => {
		const visualMap = option.visualMap as { dimension: number; pieces: unknown[] };
		expect(visualMap.dimension).toBe(1);
		expect(visualMap.pieces).toEqual([
			{ value: 2, label: '✓ Đạt (từ 80,0%)', color: FILLS.met },
			{ value: 1, label: '! Gần đạt', color: FILLS.close },
			{ value: 0, label: '✗ Chưa đạt', color: FILLS.below }
		]);
	});

	it('colours by value on a scale when the communes share no target', () => {
		const scale = choroplethOption(['18481'], REGIONS.slice(0, 1), {
			kind: 'scale',
			min: 0.7,
			max: 0.8,
			low: '70,0%',
			high: '80,0%'
		});
		expect(scale.visualMap).toMatchObject({
			type: 'continuous',
			dimension: 0,
			min: 0.7,
			max: 0.8,
			text: ['80,0%', '70,0%']
		});
		expect(itemsOf(scale)[0].value).toEqual([0.75, '-']);
	});
});

describe('the ends of the value scale', () => {
	it('widens the values to whole tens of percent', () => {
		expect(scaleRange([0.853, null, 0.971, 0.9])).toEqual({ min: 0.8, max: 1 });
		expect(scaleRange([0.6, 0.7])).toEqual({ min: 0.6, max: 0.7 });
	});

	it('keeps a range of ten points when every value is the same', () => {
		expect(scaleRange([0.5, 0.5])).toEqual({ min: 0.4, max: 0.5 });
		expect(scaleRange([0])).toEqual({ min: 0, max: 0.1 });
	});

	it('is 0–100% without any value', () => {
		expect(scaleRange([null])).toEqual({ min: 0, max: 1 });
	});
});

describe('tooltip text', () => {
	it('escapes the characters HTML gives a meaning to', () => {
		expect(escapeHtml(`Xã <b>"A" & 'B'</b>`)).toBe(
			'Xã &lt;b&gt;&quot;A&quot; &amp; &#39;B&#39;&lt;/b&gt;'
		);
	});
});
