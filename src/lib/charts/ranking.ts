/**
 * The ranked bar chart of the comparison as an ECharts option, drawn by the compare page in the
 * browser and by the monthly report on the server (report/charts.ts): one horizontal bar per
 * child with a value, best on top, coloured by its status and labelled with the value and the
 * status symbol (colour is never the only cue), and one vertical line per distinct target.
 *
 * On a wide chart the unit names are the axis labels, left of their bars (cut short beyond 30% of
 * the width). On a narrow one (a phone: `isNarrow`) a name beside its bar would leave the bar no
 * room, so each name is written above its bar, across the whole width, and cut short only past
 * it; the tooltip always has the whole name.
 */
import { formatPercent, formatTarget, type Locale, formatCounts } from '../domain/format';
import {
	dataIndexOf,
	escapeHtml,
	isNarrow,
	labelsInside,
	namesAboveBars,
	plotIsGrid,
	type ChartOption,
	type Palette
} from './option';
import type { TargetStatus as Status } from '../domain/figures';

export interface RankedBar {
	code: string;
	/** As shown on the axis (with † for a unit that existed only part of the period). */
	label: string;
	value: number;
	numerator: number;
	denominator: number;
	target: number | null;
	status: Status | null;
}

export interface TargetLine {
	target: number;
	label: string;
}

export interface RankingWords {
	status: (status: Status) => string;
	symbol: (status: Status) => string;
	target: string;
}

/** The height of a bar's row (px): a name above each bar takes a line of its own. */
export const BAR_HEIGHT = 26;
export const NARROW_BAR_HEIGHT = 42;
/** Room for one target line's label above the plot. */
const TARGET_LABEL_HEIGHT = 18;
/** Room right of the bars for the value and symbol ("100,0% ✓"). */
const VALUE_LABEL_WIDTH = 68;

/** The plot's top: one line per target label (staggered so that they never overlap). */
const plotTop = (targets: number) => (targets > 0 ? 22 + targets * TARGET_LABEL_HEIGHT : 12);

/** The chart's height in px for `bars` bars and `targets` target lines at `width` px. */
export function rankingHeight(bars: number, targets: number, width: number): number {
	const row = isNarrow(width) ? NARROW_BAR_HEIGHT : BAR_HEIGHT;
	return bars * row + plotTop(targets) + 36;
}

/** How wide the names on the axis of a wide chart may be. */
export const nameWidth = (width: number) =>
	width > 0 ? Math.min(220, Math.round(width * 0.3)) : 220;

export function rankingOption(
	bars: RankedBar[],
	targets: TargetLine[],
	locale: Locale,
	words: RankingWords,
	palette: Palette,
	/** The chart's width in px; 0 when not known (drawn as a wide chart). */
	width = 0
): ChartOption {
	const colour: Record<Status | 'none', string> = {
		met: palette.met,
		close: palette.close,
		below: palette.below,
		none: palette.noTarget
	};
	const { ink } = palette;
	const narrow = isNarrow(width);
	const percent = (v: number) => formatPercent(v, locale);
	const top = plotTop(targets.length);
	return {
		grid: narrow
			? { left: 4, right: VALUE_LABEL_WIDTH, top, bottom: 28, ...plotIsGrid }
			: { left: 8, right: 72, top, bottom: 24, ...labelsInside },
		xAxis: {
			type: 'value',
			min: 0,
			max: 1,
			// Five labels fit a phone's width; ten would run into each other.
			interval: narrow ? 0.25 : 0.1,
			axisLabel: { formatter: (v: number) => percent(v), hideOverlap: true, color: ink }
		},
		yAxis: {
			type: 'category',
			inverse: true,
			data: bars.map((b) => b.label),
			axisTick: { show: false },
			axisLabel: narrow
				? namesAboveBars(width, ink)
				: { width: nameWidth(width), overflow: 'truncate', color: ink }
		},
		tooltip: {
			trigger: 'item',
			formatter: (params) => {
				const bar = bars[dataIndexOf(params)];
				const counts = `${formatCounts(bar, locale)}`;
				const target =
					bar.target === null
						? ''
						: `<br>${words.target} ${formatTarget(bar.target, locale)}${bar.status ? ` · ${words.status(bar.status)}` : ''}`;
				return `<strong>${escapeHtml(bar.label)}</strong><br>${percent(bar.value)} (${counts})${target}`;
			}
		},
		series: [
			{
				type: 'bar',
				barMaxWidth: narrow ? 12 : 18,
				data: bars.map((b) => ({
					value: b.value,
					name: b.label,
					code: b.code,
					itemStyle: { color: colour[b.status ?? 'none'] }
				})),
				label: {
					show: true,
					position: 'right',
					color: ink,
					formatter: (params) => {
						const bar = bars[params.dataIndex];
						return `${percent(bar.value)}${bar.status ? ` ${words.symbol(bar.status)}` : ''}`;
					}
				},
				markLine: {
					silent: true,
					symbol: 'none',
					lineStyle: { color: ink, type: 'dashed', width: 1.5 },
					label: { position: 'start', formatter: (p) => p.name, color: ink },
					data: targets.map((t, i) => ({
						xAxis: t.target,
						name: t.label,
						// One line each above the plot; on a phone the label runs from its line towards
						// the middle, so that it stays inside the chart.
						label: {
							distance: 8 + (targets.length - 1 - i) * TARGET_LABEL_HEIGHT,
							...(narrow ? { align: t.target >= 0.5 ? ('right' as const) : ('left' as const) } : {})
						}
					}))
				}
			}
		]
	};
}
