/**
 * The map page's ECharts option, as a pure function of the figures (tested beside it): every
 * polygon of the province, the communes with figures coloured, the others grey, silent and
 * without a tooltip. With one target for all communes the colours are the target statuses, in a
 * blue–orange scheme that colour-blind readers tell apart and that differs in lightness, and the
 * legend names each status with its symbol; without one, a single-hue scale from 0 to 100%.
 */
import type { MapSeriesOption } from 'echarts/charts';
import type { VisualMapComponentOption } from 'echarts/components';
import { escapeHtml, type ChartOption } from '$lib/charts/option';
import type { Status } from '$lib/labels';

export { escapeHtml };

/** The name the GeoJSON is registered under. */
export const MAP_NAME = 'communes';

export const FILLS = {
	met: '#2166ac',
	close: '#fdb863',
	below: '#d95f02',
	scale: ['#c6dbef', '#08306b'],
	noData: '#ffffff',
	outside: '#e4e7eb',
	border: '#7b8794'
} as const;

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

function visualMap(legend: Legend): VisualMapComponentOption {
	const common = {
		left: 0,
		bottom: 0,
		orient: 'vertical' as const,
		textStyle: { fontSize: 13 }
	};
	if (legend.kind === 'scale') {
		return {
			...common,
			type: 'continuous',
			dimension: 0,
			min: legend.min,
			max: legend.max,
			text: [legend.high, legend.low],
			calculable: false,
			realtime: false,
			inRange: { color: [...FILLS.scale] }
		};
	}
	return {
		...common,
		type: 'piecewise',
		dimension: 1,
		selectedMode: false,
		itemGap: 8,
		pieces: (['met', 'close', 'below'] as const).map((status) => ({
			value: STATUS_INDEX[status],
			label: legend.labels[status],
			color: FILLS[status]
		}))
	};
}

/** The option drawing `regions` over the polygons named by `codes` (every commune of the file). */
export function choroplethOption(codes: string[], regions: Region[], legend: Legend): ChartOption {
	const known = new Set(regions.map((r) => r.code));
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
			...(region.value === null ? { itemStyle: { areaColor: FILLS.noData } } : {})
		})),
		...codes
			.filter((code) => !known.has(code))
			.map((code) => ({
				name: code,
				itemStyle: { areaColor: FILLS.outside },
				emphasis: { disabled: true },
				tooltip: { show: false }
			}))
	];
	// A hovered commune keeps its colour (ECharts wants both colours null for that, which its
	// types do not allow) and gains a dark outline: a highlight colour would read as a status.
	const keepColour = { areaColor: null, color: null } as unknown as { areaColor: string };
	return {
		tooltip: { trigger: 'item', confine: true, textStyle: { color: '#1f2933' } },
		visualMap: visualMap(legend),
		series: [
			{
				type: 'map',
				map: MAP_NAME,
				nameProperty: 'code',
				// Hà Tĩnh lies near 18°N: one degree of longitude is cos(18°) of one of latitude.
				aspectScale: 0.95,
				left: 150,
				right: 8,
				top: 8,
				bottom: 8,
				selectedMode: false,
				itemStyle: { borderColor: FILLS.border, borderWidth: 0.6 },
				emphasis: {
					label: { show: false },
					itemStyle: { ...keepColour, borderColor: '#1f2933', borderWidth: 2 }
				},
				data
			}
		]
	};
}
