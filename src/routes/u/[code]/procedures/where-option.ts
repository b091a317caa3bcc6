/**
 * The "where to act" bar chart as an ECharts option: one horizontal bar per procedure, the most
 * online dossiers missing on top, labelled with that count. Procedure names are long (a hundred
 * characters is common): on a wide chart they are the axis labels, cut short at 35% of the width;
 * on a narrow one (a phone) each is written above its bar across the whole width, cut short past
 * it. The tooltip has the whole name, its code and the count.
 */
import {
	dataIndexOf,
	escapeHtml,
	isNarrow,
	labelsInside,
	namesAboveBars,
	plotIsGrid,
	type ChartOption,
	type Palette
} from '$lib/charts/option';
import { formatNumber, type Locale } from '$lib/domain/format';

export interface WhereBar {
	code: string;
	/** The procedure's name; null when the catalogue has none (the code is shown). */
	name: string | null;
	/** Online dossiers missing to reach the target. */
	extra: number;
}

export const WHERE_ROW = 34;
export const NARROW_WHERE_ROW = 46;

/** The chart's height in px for `bars` bars at `width` px. */
export const whereHeight = (bars: number, width: number) =>
	bars * (isNarrow(width) ? NARROW_WHERE_ROW : WHERE_ROW) + 40;

/** The name on the axis of a wide chart: cut short in the middle of nowhere, the tooltip has it all. */
export const whereNameWidth = (width: number) =>
	width > 0 ? Math.min(300, Math.round(width * 0.35)) : 300;

export function whereOption(
	bars: WhereBar[],
	locale: Locale,
	/** The series' name: "online dossiers missing". */
	seriesName: string,
	palette: Palette,
	width = 0
): ChartOption {
	const narrow = isNarrow(width);
	const count = (n: number) => formatNumber(n, locale);
	const { ink } = palette;
	return {
		grid: narrow
			? { left: 4, right: 48, top: 8, bottom: 28, ...plotIsGrid }
			: { left: 8, right: 56, top: 8, bottom: 8, ...labelsInside },
		tooltip: {
			trigger: 'item',
			formatter: (params) => {
				const bar = bars[dataIndexOf(params)];
				const name = bar.name
					? `${escapeHtml(bar.name)} (${escapeHtml(bar.code)})`
					: escapeHtml(bar.code);
				return `<strong>${name}</strong><br>${escapeHtml(seriesName)}: ${count(bar.extra)}`;
			},
			// The whole name of a procedure wraps inside the tooltip instead of running off a phone.
			extraCssText: 'white-space: normal; max-width: 20rem;'
		},
		xAxis: {
			type: 'value',
			minInterval: 1,
			splitNumber: narrow ? 3 : 5,
			axisLabel: { formatter: (n: number) => count(n), hideOverlap: true, color: ink }
		},
		yAxis: {
			type: 'category',
			inverse: true,
			data: bars.map((b) => b.name ?? b.code),
			axisTick: { show: false },
			axisLabel: narrow
				? namesAboveBars(width, ink)
				: { width: whereNameWidth(width), overflow: 'truncate', color: ink }
		},
		series: [
			{
				type: 'bar',
				name: seriesName,
				data: bars.map((b) => ({ value: b.extra, name: b.name ?? b.code, code: b.code })),
				barMaxWidth: narrow ? 12 : 22,
				itemStyle: { color: palette.link },
				label: {
					show: true,
					position: 'right',
					color: ink,
					formatter: (params) => count(bars[params.dataIndex].extra)
				}
			}
		]
	};
}
