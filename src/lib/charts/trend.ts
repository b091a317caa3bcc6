/**
 * The monthly trend chart as an ECharts option, drawn by the trends page in the browser and by the
 * monthly report on the server (report/charts.ts): the months of the window (solid line), the same
 * months a year earlier (dashed line, triangles), the target of each month (dotted steps), and the
 * campaigns shaded. Lines differ by dash and marker as well as colour.
 *
 * Months are bands of the category axis. The target steps and the shading are drawn on a second,
 * hidden value axis over the same width (month i is [i, i + 1]), so both start and end on the
 * same month edges: on the category axis a mark area runs from the middle of its first month and
 * a 'middle' step changes between months, half a month apart (issue 11).
 *
 * On a narrow chart (a phone) the legend's three entries are one under the other above the plot
 * (side by side they would wrap onto the plot), and the months on the axis are every other one,
 * shorter ("11/25"): twelve "11/2025" run into each other on a phone. A printed chart, with no
 * tooltip to name a month, labels the months it is asked to (`monthEvery`), counted back from the
 * last, the period's own, like the phone's.
 */
import { isNarrow, labelsInside, type ChartOption, type Palette } from './option';
import { formatCounts, formatPercent, formatTarget, type Locale } from '../domain/format';

export interface TrendPoint {
	/** Axis label of the month ("10/2026"). */
	label: string;
	/** Label of the same month a year earlier. */
	earlierLabel: string;
	value: number | null;
	numerator: number;
	denominator: number;
	earlier: { value: number | null; numerator: number; denominator: number };
	target: number | null;
}

/** A month's figures as the engine's trend gives them (dashboard/trends.ts `TrendMonth`). */
export interface TrendMonthFigures {
	/** The first day of the month. */
	month: string;
	value: number | null;
	numerator: number;
	denominator: number;
	target: number | null;
	yearEarlier: { month: string; value: number | null; numerator: number; denominator: number };
}

/** "10/2026" of the month of `2026-10-01`: a month on the chart's axis and in its legend. */
export const monthLabel = (month: string) => `${month.slice(5, 7)}/${month.slice(0, 4)}`;

/** The chart's points of the engine's months: the figures as they are, the months labelled. */
export const trendPoints = (months: TrendMonthFigures[]): TrendPoint[] =>
	months.map(({ month, value, numerator, denominator, target, yearEarlier }) => ({
		label: monthLabel(month),
		earlierLabel: monthLabel(yearEarlier.month),
		value,
		numerator,
		denominator,
		earlier: {
			value: yearEarlier.value,
			numerator: yearEarlier.numerator,
			denominator: yearEarlier.denominator
		},
		target
	}));

export interface TrendWords {
	current: string;
	earlier: string;
	target: string;
	campaign: string;
}

export interface TrendLayout {
	/**
	 * Label every nth month, counted back from the last; when not given, every other on a narrow
	 * chart and ECharts' choice on a wide one.
	 */
	monthEvery?: number;
}

export function trendOption(
	points: TrendPoint[],
	/** Index ranges of the months each campaign touches, inclusive. */
	campaigns: { first: number; last: number }[],
	locale: Locale,
	words: TrendWords,
	palette: Palette,
	/** The chart's width in px; 0 when not known (drawn as a wide chart). */
	width = 0,
	{ monthEvery = isNarrow(width) ? 2 : undefined }: TrendLayout = {}
): ChartOption {
	const narrow = isNarrow(width);
	const { link, ink } = palette;
	const percent = (v: number | null) => formatPercent(v, locale);
	const counts = (c: { value: number | null; numerator: number; denominator: number }) =>
		`${percent(c.value)} (${formatCounts(c, locale)})`;
	return {
		color: [link, palette.second, ink],
		legend: narrow
			? { top: 0, left: 0, orient: 'vertical', itemWidth: 28, itemGap: 6 }
			: { top: 0, itemWidth: 28 },
		grid: { left: 8, right: 16, top: narrow ? 76 : 40, bottom: 8, ...labelsInside },
		xAxis: [
			{
				type: 'category',
				// Each month a band: a campaign's shading covers its whole months.
				boundaryGap: true,
				data: points.map((p) => p.label),
				axisLabel: {
					color: ink,
					...(monthEvery && {
						// Counted back from the last month, the period's own, which is always labelled.
						interval: (index: number) => (points.length - 1 - index) % monthEvery === 0
					}),
					...(narrow && { formatter: shortMonth })
				}
			},
			{ type: 'value', min: 0, max: points.length, show: false }
		],
		yAxis: {
			type: 'value',
			// Monthly shares move by a few points: an axis from 0 would flatten them into one line.
			scale: true,
			axisLabel: { formatter: (v: number) => percent(v), color: ink }
		},
		tooltip: {
			trigger: 'axis',
			formatter: (params) => {
				// The month of the pointer: the monthly series' item, not a target step's (which sits
				// on the hidden value axis and has its own data index).
				const items = Array.isArray(params) ? params : [params];
				const item = items.find((i) => i.seriesIndex !== 2) ?? items[0];
				const p = points[item.dataIndex];
				const lines = [
					`<strong>${p.label}</strong>: ${counts(p)}`,
					`${p.earlierLabel}: ${counts(p.earlier)}`
				];
				if (p.target !== null) lines.push(`${words.target}: ${formatTarget(p.target, locale)}`);
				return lines.join('<br>');
			}
		},
		series: [
			{
				name: words.current,
				type: 'line',
				data: points.map((p) => p.value),
				symbol: 'circle',
				symbolSize: 7,
				lineStyle: { width: 3 }
			},
			{
				name: words.earlier,
				type: 'line',
				data: points.map((p) => p.earlier.value),
				symbol: 'triangle',
				symbolSize: 8,
				lineStyle: { width: 2, type: 'dashed' }
			},
			{
				name: words.target,
				type: 'line',
				xAxisIndex: 1,
				data: targetSteps(points.map((p) => p.target)),
				symbol: 'none',
				lineStyle: { width: 2, type: 'dotted' },
				markArea: {
					silent: true,
					itemStyle: { color: 'rgba(11, 79, 138, 0.08)' },
					label: { color: ink, position: 'insideTop' },
					data: campaigns.map(({ first, last }) => [
						{ xAxis: first, name: words.campaign },
						{ xAxis: last + 1 }
					])
				}
			}
		]
	};
}

/** "11/25" of "11/2025": a month on a phone's axis. */
export const shortMonth = (label: string) => label.replace(/^(\d{2})\/\d{2}(\d{2})$/, '$1/$2');

/** The chart's height in px at `width` px: a phone's legend takes three lines above the plot. */
export const trendHeight = (width: number) => (isNarrow(width) ? 380 : 360);

/** For each campaign, the first and last of `months` (first days, in order) it has a day in. */
export function campaignMonths(
	months: string[],
	campaigns: { starts_on: string; ends_on: string }[]
): { first: number; last: number }[] {
	const monthOf = (day: string) => `${day.slice(0, 7)}-01`;
	return campaigns.flatMap(({ starts_on, ends_on }) => {
		const first = months.findIndex((m) => m >= monthOf(starts_on));
		const last = months.findLastIndex((m) => m <= monthOf(ends_on));
		return first === -1 || last === -1 || first > last ? [] : [{ first, last }];
	});
}

/**
 * The target of each month as steps on the month edges: month i's target from i to i + 1, a gap
 * (null) where a month has none, so the line starts and ends where the campaign's months do.
 */
export function targetSteps(targets: (number | null)[]): [number, number | null][] {
	const steps: [number, number | null][] = [];
	targets.forEach((target, i) => {
		if (target === null) {
			steps.push([i + 0.5, null]);
			return;
		}
		steps.push([i, target], [i + 1, target]);
	});
	return steps;
}
