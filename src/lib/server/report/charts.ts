/**
 * The monthly report's two charts (issue 13), drawn on the server as SVG by ECharts' server-side
 * rendering with the pages' own option builders, so that the printed document carries vector
 * charts of the figures the pages draw:
 *  - the online filing rate month by month with its target (report.trend; charts/trend.ts, as the
 *    trends page draws it);
 *  - the children ranked on it (report.children; charts/ranking.ts, in the compare page's groups:
 *    a level's ten lowest and ten highest of more than twenty).
 *
 * For paper: black and grey ink, the pages' status colours (colour-blind safe, and never the only
 * cue), Tinos, no animation and no tooltip. ECharts escapes the text it writes into the SVG (a unit
 * named `<script>` stays text); data reach the SVG as text only.
 */
import { BarChart, LineChart, type BarSeriesOption, type LineSeriesOption } from 'echarts/charts';
import {
	GridComponent,
	LegendComponent,
	MarkAreaComponent,
	MarkLineComponent
} from 'echarts/components';
import type { GridComponentOption, LegendComponentOption } from 'echarts/components';
import { init, setPlatformAPI, use } from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { DEFAULT_PALETTE, type ChartOption, type Palette } from '../../charts/option';
import { rankingHeight, rankingOption } from '../../charts/ranking';
import { rankedBars, rankingGroups, targetsByValue } from '../../charts/ranking-groups';
import {
	campaignMonths,
	monthLabel,
	trendHeight,
	trendOption,
	trendPoints
} from '../../charts/trend';
import { formatTarget } from '../../domain/format';
import { HEADLINE_KPI } from '../../domain/kpi-ids';
import { targetLevelOf } from '../../domain/types';
import { PRINT_FONT_FAMILY } from '../print/fonts';
import { textWidth } from '../print/text-width';
import type { MonthlyReport } from './monthly';
import { STATUS_WORDS, TARGET_LINE_LEVELS, UNIT_GROUP_WORDS } from './words';

use([
	BarChart,
	LineChart,
	GridComponent,
	LegendComponent,
	MarkAreaComponent,
	MarkLineComponent,
	SVGRenderer
]);
// Without a canvas ECharts would guess every Vietnamese letter an em wide (print/text-width.ts).
setPlatformAPI({
	measureText: (text: string, font?: string) => ({ width: textWidth(text, font) })
});

/**
 * The pages' palette in ink: lines and labels black, the year earlier grey; the status colours
 * (blue met, orange close, dark orange below) as on the pages, told apart by the labels too.
 */
export const PRINT_PALETTE: Palette = {
	...DEFAULT_PALETTE,
	ink: '#000000',
	link: '#000000',
	second: '#6b6b6b'
};

/**
 * Drawn 600 px wide, laid out as on a desktop (NARROW_CHART is 560), and printed across the text
 * width (165 mm, 624 px): its 12 px labels print at 9.4 pt, and twelve "10/2026" fit under it.
 */
export const PRINT_CHART_WIDTH = 600;

/**
 * The bars' labels print the status in words ("95,0% Gần đạt"): Tinos has none of the page's
 * symbols (✓ ! ✗). They need more room right of the plot than the symbols (px).
 */
const STATUS_LABEL_ROOM = 90;

/**
 * The ranking on paper, where no tooltip gives a bar's figures: room for its label in words, and
 * the label legible where a target line runs through it: the lines drawn at the bars' level, so
 * under their labels (which ECharts draws over their bar), each label on white. (A white halo,
 * `textBorderColor`, would print each label twice in the PDF's text.)
 */
function rankingOnPaper(option: ChartOption): ChartOption {
	const [bars] = option.series as BarSeriesOption[];
	return {
		...option,
		grid: { ...(option.grid as GridComponentOption), right: STATUS_LABEL_ROOM },
		series: [
			{
				...bars,
				label: { ...bars.label, backgroundColor: '#ffffff', padding: [1, 2] },
				markLine: { ...bars.markLine, z: bars.z ?? 2 }
			}
		]
	};
}

/** A chart of the report (or a part of one) as its option, PRINT_CHART_WIDTH px wide. */
export interface ReportChartOption {
	option: ChartOption;
	height: number;
	/** What a part of a chart shows ("Xã, phường, thị trấn (70 đơn vị)", "10 đơn vị thấp nhất"). */
	heading: string | null;
}

/** The same, drawn. */
export interface ReportChart {
	/** The `<svg>`, `width` × `height` px in its viewBox. */
	svg: string;
	width: number;
	height: number;
	heading: string | null;
}

/** An option drawn as an SVG string, for print: no animation, no tooltip, Tinos throughout. */
export function chartSvg(option: ChartOption, width: number, height: number): string {
	const chart = init(null, null, { renderer: 'svg', ssr: true, width, height });
	try {
		// A printed chart has no pointer; ECharts would warn of a tooltip it has not registered.
		const { tooltip: _tooltip, ...printed } = option;
		chart.setOption({
			...printed,
			animation: false,
			textStyle: { fontFamily: PRINT_FONT_FAMILY, color: PRINT_PALETTE.ink }
		});
		return chart.renderToSVGString();
	} finally {
		chart.dispose();
	}
}

export const drawChart = ({ option, height, heading }: ReportChartOption): ReportChart => ({
	svg: chartSvg(option, PRINT_CHART_WIDTH, height),
	width: PRINT_CHART_WIDTH,
	height,
	heading
});

/** The trend of the online filing rate, drawn; null when no month of it has a value. */
export function trendChart(report: MonthlyReport): ReportChart | null {
	const chart = trendChartOption(report);
	return chart && drawChart(chart);
}

/** The children ranked, drawn: one chart per part; none for a unit without children. */
export const rankingCharts = (report: MonthlyReport): ReportChart[] =>
	rankingChartOptions(report).map(drawChart);

/**
 * The trend on paper: the legend in black like the rest of the text, and the target's entry its
 * dotted line alone (ECharts draws a dot on the legend's line of a series without symbols, which in
 * black reads as this year's line).
 */
function trendOnPaper(option: ChartOption): ChartOption {
	const [current, earlier, target] = option.series as LineSeriesOption[];
	return {
		...option,
		legend: {
			...(option.legend as LegendComponentOption),
			textStyle: { color: PRINT_PALETTE.ink }
		},
		series: [current, earlier, { ...target, itemStyle: { opacity: 0 } }]
	};
}

/** The trend chart's option (the trends page's), or null when no month has a value. */
export function trendChartOption(report: MonthlyReport): ReportChartOption | null {
	const { months, campaigns } = report.trend;
	if (months.every((m) => m.value === null)) return null;
	const [first, last] = [months[0], months[months.length - 1]];
	// Printed, the target's value is in the legend: there is no tooltip to give it.
	const targets = [...new Set(months.flatMap((m) => (m.target === null ? [] : [m.target])))];
	const target = ['Chỉ tiêu', targets.map((t) => formatTarget(t)).join(', ')]
		.filter(Boolean)
		.join(': ');
	const option = trendOption(
		trendPoints(months),
		campaignMonths(
			months.map((m) => m.month),
			campaigns
		),
		'vi',
		{
			current: `${monthLabel(first.month)} – ${monthLabel(last.month)}`,
			earlier: `Cùng kỳ năm trước (${monthLabel(first.yearEarlier.month)} – ${monthLabel(last.yearEarlier.month)})`,
			target,
			campaign: 'Chiến dịch'
		},
		PRINT_PALETTE,
		PRINT_CHART_WIDTH,
		// Every month of a year; of a campaign's two years, every other.
		{ monthEvery: Math.ceil(months.length / 12) }
	);
	return { option: trendOnPaper(option), height: trendHeight(PRINT_CHART_WIDTH), heading: null };
}

/**
 * The options of the children with a value ranked, one per part the compare page draws (each
 * level of unit apart; of more than twenty, its ten lowest and ten highest). Each part draws the
 * target of its own level only: on paper, with no tooltip to tell, the communes' target across the
 * departments' bars would read as theirs.
 */
export function rankingChartOptions(report: MonthlyReport): ReportChartOption[] {
	const bars = rankedBars(report.children, HEADLINE_KPI, (c) => c.unit.name);
	const groups = rankingGroups(bars, 'ends');
	return groups.flatMap((group) => {
		const level = targetLevelOf(group.level);
		const targets = targetsByValue(report.childTargets.filter((t) => t.level === level)).map(
			({ target }) => ({
				target,
				label: `Chỉ tiêu ${TARGET_LINE_LEVELS[level]}: ${formatTarget(target)}`
			})
		);
		return group.sections.map((section) => {
			const option = rankingOnPaper(
				rankingOption(
					section.bars,
					targets,
					'vi',
					{ status: (s) => STATUS_WORDS[s], symbol: (s) => STATUS_WORDS[s], target: 'Chỉ tiêu' },
					PRINT_PALETTE,
					PRINT_CHART_WIDTH
				)
			);
			const parts = [
				groups.length > 1 ? `${UNIT_GROUP_WORDS[group.level]} (${group.total} đơn vị)` : null,
				section.kind === 'lowest' ? `${section.bars.length} đơn vị thấp nhất` : null,
				section.kind === 'highest' ? `${section.bars.length} đơn vị cao nhất` : null
			].filter((p) => p !== null);
			const height = rankingHeight(section.bars.length, targets.length, PRINT_CHART_WIDTH);
			return { option, height, heading: parts.length > 0 ? parts.join(': ') : null };
		});
	});
}
