/**
 * The map page's ECharts option, as a pure function of the figures and the palette (tested beside
 * it): every polygon of the province, the communes with figures coloured, the others grey, silent
 * and without a tooltip. With one target for all communes the colours are the target statuses of
 * the page's one palette (app.css: blue, light and dark orange, which colour-blind readers tell
 * apart and which differ in lightness); without one, a single-hue scale between the values' ends.
 * A commune without figures is white and hatched, as its legend swatch is.
 *
 * The legend is the page's (ChoroplethCard.svelte, HTML beside the map, wrapping on a phone), not
 * ECharts': the visual map only colours, hidden, and the map takes the chart's whole width.
 */
import type { MapSeriesOption } from 'echarts/charts';
import type { VisualMapComponentOption } from 'echarts/components';
import { escapeHtml, type ChartOption, type Palette } from '$lib/charts/option';
import type { Status } from '$lib/labels';

export { escapeHtml };

/** The name the GeoJSON is registered under. */
export const MAP_NAME = 'communes';

/** The value scale's ends, light to dark (no target: not a status, so not the status colours). */
export const SCALE = ['#c6dbef', '#08306b'] as const;

/** Hà Tĩnh lies near 18°N: one degree of longitude is cos(18°) of one of latitude. */
export const ASPECT_SCALE = 0.95;

const STATUS_INDEX: Record<Status, number> = { below: 0, close: 1, met: 2 };

export interface Region {
	code: string;
	value: number | null;
	status: Status | null;
	/** HTML of the tooltip, already escaped. */
	tooltip: string;
}

export type Legend =
	| { kind: 'status'; labels: Record<Status, string> }
	/** From `min` to `max` (fractions), labelled `low` and `high`. */
	| { kind: 'scale'; min: number; max: number; low: string; high: string };

/**
 * The scale's ends: the values' range widened to whole tens of percent, so that communes between
 * 85% and 97% do not all look alike on a 0–100% scale; 0–100% when there is no value.
 */
export function scaleRange(values: (number | null)[]): { min: number; max: number } {
	const known = values.filter((v): v is number => v !== null);
	if (known.length === 0) return { min: 0, max: 1 };
	const min = Math.floor(Math.min(...known) * 10) / 10;
	const max = Math.ceil(Math.max(...known) * 10) / 10;
	return min < max ? { min, max } : { min: Math.max(0, max - 0.1), max: Math.max(max, 0.1) };
}

/** The hatching of an area without figures (ECharts' decal), matching the legend's swatch. */
export const noDataDecal = (palette: Palette) => ({
	symbol: 'rect',
	symbolSize: 1,
	color: palette.noDataHatch,
	backgroundColor: palette.noData,
	dashArrayX: [1, 0],
	dashArrayY: [1.5, 3],
	rotation: Math.PI / 4
});

interface Geo {
	features: { geometry: { coordinates: unknown } | null }[];
}

/** Width over height of the polygons as the map draws them (their box, with ASPECT_SCALE). */
export function mapAspect(geo: Geo): number {
	let [west, south, east, north] = [Infinity, Infinity, -Infinity, -Infinity];
	const walk = (c: unknown): void => {
		if (!Array.isArray(c)) return;
		if (typeof c[0] === 'number' && typeof c[1] === 'number') {
			west = Math.min(west, c[0]);
			east = Math.max(east, c[0]);
			south = Math.min(south, c[1]);
			north = Math.max(north, c[1]);
		} else c.forEach(walk);
	};
	for (const feature of geo.features) walk(feature.geometry?.coordinates);
	if (!(east > west && north > south)) return 1;
	return ((east - west) / (north - south)) * ASPECT_SCALE;
}

/** The map's margin inside the chart, on every side (px). */
const MARGIN = 8;

/**
 * The chart's height for `width` px: the polygons at the whole width, at most 560 px (a desktop
 * map is as tall as before), at least 240 (a phone's map stays big enough to tap a commune).
 */
export function mapHeight(width: number, aspect: number): number {
	if (width <= 0) return 560;
	return Math.min(560, Math.max(240, Math.round((width - 2 * MARGIN) / aspect) + 2 * MARGIN));
}

function visualMap(legend: Legend, palette: Palette): VisualMapComponentOption {
	if (legend.kind === 'scale') {
		return {
			type: 'continuous',
			show: false,
			dimension: 0,
			min: legend.min,
			max: legend.max,
			inRange: { color: [...SCALE] }
		};
	}
	return {
		type: 'piecewise',
		show: false,
		dimension: 1,
		pieces: (['met', 'close', 'below'] as const).map((status) => ({
			value: STATUS_INDEX[status],
			label: legend.labels[status],
			color: palette[status]
		}))
	};
}

/** The option drawing `regions` over the polygons named by `codes` (every commune of the file). */
export function choroplethOption(
	codes: string[],
	regions: Region[],
	legend: Legend,
	palette: Palette
): ChartOption {
	const known = new Set(regions.map((r) => r.code));
	const noData = { areaColor: palette.noData, decal: noDataDecal(palette) };
	// Communes with figures come first: ECharts takes the number of value dimensions from the
	// first item, and the status is the second one.
	const data: MapSeriesOption['data'] = [
		...regions.map((region) => ({
			name: region.code,
			code: region.code,
			// '-' is ECharts' mark of a missing value.
			value: [
				region.value ?? ('-' as const),
				legend.kind === 'status' && region.status ? STATUS_INDEX[region.status] : ('-' as const)
			],
			tooltip: { formatter: region.tooltip },
			...(region.value === null ? { itemStyle: noData } : {})
		})),
		...codes
			.filter((code) => !known.has(code))
			.map((code) => ({
				name: code,
				itemStyle: { areaColor: palette.outside },
				emphasis: { disabled: true },
				tooltip: { show: false }
			}))
	];
	// A hovered commune keeps its colour (ECharts wants both colours null for that, which its
	// types do not allow) and gains a dark outline: a highlight colour would read as a status.
	const keepColour = { areaColor: null, color: null } as unknown as { areaColor: string };
	return {
		tooltip: {
			trigger: 'item',
			confine: true,
			textStyle: { color: palette.ink },
			extraCssText: 'white-space: normal; max-width: 16rem;'
		},
		visualMap: visualMap(legend, palette),
		series: [
			{
				type: 'map',
				map: MAP_NAME,
				nameProperty: 'code',
				aspectScale: ASPECT_SCALE,
				left: MARGIN,
				right: MARGIN,
				top: MARGIN,
				bottom: MARGIN,
				selectedMode: false,
				itemStyle: { borderColor: palette.border, borderWidth: 0.6 },
				emphasis: {
					label: { show: false },
					itemStyle: { ...keepColour, borderColor: palette.ink, borderWidth: 2 }
				},
				data
			}
		]
	};
}
