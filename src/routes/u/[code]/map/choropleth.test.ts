import { describe, expect, it } from 'vitest';
import { DEFAULT_PALETTE, type ChartOption, type Palette } from '$lib/charts/option';
import {
	choroplethOption,
	escapeHtml,
	mapAspect,
	mapHeight,
	noDataDecal,
	scaleRange,
	type Legend,
	type Region
} from './choropleth';

const PALETTE: Palette = {
	...DEFAULT_PALETTE,
	met: 'blue',
	close: 'light-orange',
	below: 'dark-orange',
	noData: 'white',
	noDataHatch: 'hatch-grey',
	outside: 'grey'
};

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
	const option = choroplethOption(['18310', '18406', '18481'], REGIONS, STATUS_LEGEND, PALETTE);

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
			itemStyle: { areaColor: 'grey' },
			emphasis: { disabled: true },
			tooltip: { show: false }
		});
	});

	it('draws a commune without figures white and hatched (as its legend swatch), and lets the click handler find its code', () => {
		expect(itemsOf(option)[1]).toMatchObject({
			code: '18406',
			itemStyle: {
				areaColor: 'white',
				decal: { color: 'hatch-grey', backgroundColor: 'white', rotation: Math.PI / 4 }
			}
		});
		expect(noDataDecal(PALETTE)).toMatchObject({ symbol: 'rect', dashArrayX: [1, 0] });
	});

	it('colours the statuses with the page palette given, one piece per status', () => {
		const visualMap = option.visualMap as { dimension: number; pieces: unknown[] };
		expect(visualMap.dimension).toBe(1);
		expect(visualMap.pieces).toEqual([
			{ value: 2, label: '✓ Đạt (từ 80,0%)', color: 'blue' },
			{ value: 1, label: '! Gần đạt', color: 'light-orange' },
			{ value: 0, label: '✗ Chưa đạt', color: 'dark-orange' }
		]);
	});

	it("leaves the legend to the page (it wraps on a phone) and draws the map at the chart's whole width", () => {
		expect(option.visualMap).toMatchObject({ show: false });
		expect((option.series as Record<string, unknown>[])[0]).toMatchObject({
			left: 8,
			right: 8,
			top: 8,
			bottom: 8
		});
	});

	it('colours by value on a scale when the communes share no target', () => {
		const scale = choroplethOption(
			['18481'],
			REGIONS.slice(0, 1),
			{ kind: 'scale', min: 0.7, max: 0.8, low: '70,0%', high: '80,0%' },
			PALETTE
		);
		expect(scale.visualMap).toMatchObject({
			type: 'continuous',
			show: false,
			dimension: 0,
			min: 0.7,
			max: 0.8
		});
		expect(itemsOf(scale)[0].value).toEqual([0.75, '-']);
	});
});

describe("the map's size", () => {
	const square = {
		features: [
			{
				geometry: {
					coordinates: [
						[
							[105, 18],
							[106, 18],
							[106, 19],
							[105, 19],
							[105, 18]
						]
					]
				}
			},
			{
				geometry: {
					coordinates: [
						[
							[
								[106, 18.5],
								[107, 18.5],
								[107, 19],
								[106, 18.5]
							]
						]
					]
				}
			}
		]
	};

	it("takes the polygons' proportions from their box, longitude scaled for the latitude", () => {
		// Two degrees of longitude over one of latitude, × 0.95.
		expect(mapAspect(square)).toBeCloseTo(1.9);
		expect(mapAspect({ features: [] })).toBe(1);
	});

	it('is as tall as the width makes the polygons, between 240 and 560 px', () => {
		expect(mapHeight(400, 2)).toBe(240);
		expect(mapHeight(700, 2)).toBe(Math.round(684 / 2) + 16);
		expect(mapHeight(1400, 1.5)).toBe(560);
		expect(mapHeight(0, 1.5)).toBe(560);
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
