/**
 * The type of every chart option the dashboard builds (ECharts' `ComposeOption` over exactly the
 * charts and components echarts.ts registers), and the palette the option builders take as an
 * argument: builders are pure functions of their data and palette (tested beside each), and only
 * `pagePalette` reads the page's CSS.
 */
import type {
	BarSeriesOption,
	LineSeriesOption,
	MapSeriesOption,
	RadarSeriesOption
} from 'echarts/charts';
import type {
	AriaComponentOption,
	GridComponentOption,
	LegendComponentOption,
	MarkAreaComponentOption,
	MarkLineComponentOption,
	RadarComponentOption,
	TooltipComponentOption,
	VisualMapComponentOption
} from 'echarts/components';
import type { ComposeOption } from 'echarts/core';

export type ChartOption = ComposeOption<
	| BarSeriesOption
	| LineSeriesOption
	| MapSeriesOption
	| RadarSeriesOption
	| AriaComponentOption
	| GridComponentOption
	| LegendComponentOption
	| MarkAreaComponentOption
	| MarkLineComponentOption
	| RadarComponentOption
	| TooltipComponentOption
	| VisualMapComponentOption
>;

/**
 * How a grid holds its axis labels, in ECharts 6's terms (its `containLabel` is deprecated, and
 * warned about on every server-drawn chart): `labelsInside` keeps the labels within the grid's
 * rect, as `containLabel: true` did; `plotIsGrid` makes the rect the plot itself, for labels drawn
 * inside the bars on a phone.
 */
export const labelsInside = { outerBoundsMode: 'same', outerBoundsContain: 'axisLabel' } as const;
export const plotIsGrid = { outerBoundsMode: 'none' } as const;

/**
 * The colours of app.css a chart uses. The status colours are the marks' (`--met-fill`…): the
 * same as the map's areas, the legends' swatches and, as text on their tints, the badges.
 */
export interface Palette {
	ink: string;
	link: string;
	met: string;
	close: string;
	below: string;
	/** A value without a target to meet. */
	noTarget: string;
	/** An area without figures: white, hatched. */
	noData: string;
	noDataHatch: string;
	/** An area outside the unit or the scope. */
	outside: string;
	/** The outline of a map area. */
	border: string;
	/** The second line of a chart (a year earlier). */
	second: string;
}

/**
 * app.css's values, for the server's render and any page without them; option.test.ts checks
 * that they are app.css's, so the palette is defined once.
 */
export const DEFAULT_PALETTE: Palette = {
	ink: '#1f2933',
	link: '#0b4f8a',
	met: '#2166ac',
	close: '#fdb863',
	below: '#d95f02',
	noTarget: '#7b8794',
	noData: '#ffffff',
	noDataHatch: '#8d99a6',
	outside: '#e4e7eb',
	border: '#7b8794',
	second: '#c2410c'
};

/** The custom property of app.css behind each colour of the palette. */
export const PALETTE_TOKENS: Record<Exclude<keyof Palette, 'second'>, string> = {
	ink: '--ink',
	link: '--link',
	met: '--met-fill',
	close: '--close-fill',
	below: '--below-fill',
	noTarget: '--no-target-fill',
	noData: '--no-data-fill',
	noDataHatch: '--no-data-hatch',
	outside: '--outside-fill',
	border: '--region-border'
};

/** The palette of the page's CSS in the browser; DEFAULT_PALETTE on the server. */
export function pagePalette(): Palette {
	if (typeof document === 'undefined') return DEFAULT_PALETTE;
	const css = getComputedStyle(document.documentElement);
	const palette = { ...DEFAULT_PALETTE };
	for (const [key, token] of Object.entries(PALETTE_TOKENS) as [
		keyof typeof PALETTE_TOKENS,
		string
	][]) {
		palette[key] = css.getPropertyValue(token).trim() || DEFAULT_PALETTE[key];
	}
	return palette;
}

/**
 * Below this width (px) a chart is a phone's: labels go inside the plot or are cut short (with
 * the whole text in the tooltip), and fewer axis labels are drawn.
 */
export const NARROW_CHART = 560;

/** Whether a chart of `width` px is narrow; 0 (not measured yet) is not. */
export const isNarrow = (width: number) => width > 0 && width < NARROW_CHART;

/**
 * A horizontal bar chart's category labels on a narrow chart: each name written above its bar,
 * across the chart's width and cut short past it (the whole name is in the tooltip), its bottom
 * edge a few px over the bar's top.
 */
export const namesAboveBars = (width: number, ink: string) => ({
	inside: true,
	align: 'left' as const,
	verticalAlign: 'bottom' as const,
	margin: 0,
	padding: [0, 0, 13, 0],
	width: Math.max(width - 12, 40),
	overflow: 'truncate' as const,
	color: ink
});

export { escapeHtml } from '../domain/html';

/** The index of the data item a tooltip or label callback is about (one item or the axis's first). */
export const dataIndexOf = (params: { dataIndex: number } | { dataIndex: number }[]): number =>
	Array.isArray(params) ? params[0].dataIndex : params.dataIndex;
