/**
 * The type of every chart option the dashboard builds (ECharts' `ComposeOption` over exactly the
 * charts and components echarts.ts registers), and the palette the option builders take as an
 * argument: builders are pure functions of their data and palette (tested beside each), and only
 * `pagePalette` reads the page's CSS.
 */
import type { BarSeriesOption, LineSeriesOption, MapSeriesOption } from 'echarts/charts';
import type {
	AriaComponentOption,
	GridComponentOption,
	LegendComponentOption,
	MarkAreaComponentOption,
	MarkLineComponentOption,
	TooltipComponentOption,
	VisualMapComponentOption
} from 'echarts/components';
import type { ComposeOption } from 'echarts/core';

export type ChartOption = ComposeOption<
	| BarSeriesOption
	| LineSeriesOption
	| MapSeriesOption
	| AriaComponentOption
	| GridComponentOption
	| LegendComponentOption
	| MarkAreaComponentOption
	| MarkLineComponentOption
	| TooltipComponentOption
	| VisualMapComponentOption
>;

/** The colours of app.css a chart uses. */
export interface Palette {
	ink: string;
	link: string;
	met: string;
	close: string;
	below: string;
	/** The second line of a chart (a year earlier). */
	second: string;
}

/** app.css's values, for the server's render and any page without them. */
export const DEFAULT_PALETTE: Palette = {
	ink: '#1f2933',
	link: '#0b4f8a',
	met: '#1b6e3c',
	close: '#8a5a00',
	below: '#a61b1b',
	second: '#c2410c'
};

const TOKENS: Record<Exclude<keyof Palette, 'second'>, string> = {
	ink: '--ink',
	link: '--link',
	met: '--met',
	close: '--close',
	below: '--below'
};

/** The palette of the page's CSS in the browser; DEFAULT_PALETTE on the server. */
export function pagePalette(): Palette {
	if (typeof document === 'undefined') return DEFAULT_PALETTE;
	const css = getComputedStyle(document.documentElement);
	const palette = { ...DEFAULT_PALETTE };
	for (const [key, token] of Object.entries(TOKENS) as [keyof typeof TOKENS, string][]) {
		palette[key] = css.getPropertyValue(token).trim() || DEFAULT_PALETTE[key];
	}
	return palette;
}

/** Text from imported files (unit names) is never trusted as HTML in a tooltip. */
export function escapeHtml(text: string): string {
	return text.replace(
		/[&<>"']/g,
		(c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!
	);
}

/** The index of the data item a tooltip or label callback is about (one item or the axis's first). */
export const dataIndexOf = (params: { dataIndex: number } | { dataIndex: number }[]): number =>
	Array.isArray(params) ? params[0].dataIndex : params.dataIndex;
