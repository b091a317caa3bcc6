/**
 * The part of ECharts the dashboard uses, and nothing else (issue 6: from `echarts/core`, only the
 * charts used). Loaded by Chart.svelte with a dynamic import, so pages without a chart never
 * download it. SVG rendering: crisp at any zoom, printable, and no inline scripts for the CSP.
 */
import { BarChart, LineChart, MapChart, RadarChart } from 'echarts/charts';
import {
	AriaComponent,
	GridComponent,
	LegendComponent,
	MarkAreaComponent,
	MarkLineComponent,
	RadarComponent,
	TooltipComponent,
	VisualMapComponent
} from 'echarts/components';
import { init, registerMap, registerTheme, use } from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';

use([
	BarChart,
	LineChart,
	MapChart,
	// The service index's groups (issue 16): the chart and its coordinate system, nothing more.
	RadarChart,
	AriaComponent,
	GridComponent,
	LegendComponent,
	MarkAreaComponent,
	MarkLineComponent,
	RadarComponent,
	TooltipComponent,
	VisualMapComponent,
	SVGRenderer
]);

/** The palette and type of the pages (app.css), read when a chart is first drawn. */
export function registerPageTheme(): string {
	const css = getComputedStyle(document.documentElement);
	const token = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
	registerTheme('kpi', {
		color: [token('--link', '#0b4f8a'), '#c2410c', '#6d28d9', '#0f766e', '#a16207', '#be185d'],
		textStyle: {
			fontFamily: token('--font', 'system-ui, sans-serif'),
			color: token('--ink', '#1f2933')
		},
		backgroundColor: 'transparent'
	});
	return 'kpi';
}

export { init, registerMap };
