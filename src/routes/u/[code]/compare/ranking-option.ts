/**
 * The ranked bar chart of the comparison as an ECharts option: one horizontal bar per child with a
 * value, best on top, coloured by its status and labelled with the value and the status symbol
 * (colour is never the only cue), and one vertical line per distinct target.
 */
import { formatPercent, type Locale, formatCounts } from '$lib/domain/format';
import { dataIndexOf, escapeHtml, type ChartOption, type Palette } from '$lib/charts/option';
import type { Status } from '$lib/labels';

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

export const BAR_HEIGHT = 26;

export function rankingOption(
	bars: RankedBar[],
	targets: TargetLine[],
	locale: Locale,
	words: RankingWords,
	palette: Palette
): ChartOption {
	const colour: Record<Status | 'none', string> = {
		met: palette.met,
		close: palette.close,
		below: palette.below,
		none: palette.link
	};
	const { ink } = palette;
	const percent = (v: number) => formatPercent(v, locale);
	return {
		grid: { left: 8, right: 72, top: targets.length > 0 ? 36 : 12, bottom: 24, containLabel: true },
		xAxis: {
			type: 'value',
			min: 0,
			max: 1,
			axisLabel: { formatter: (v: number) => percent(v) }
		},
		yAxis: {
			type: 'category',
			inverse: true,
			data: bars.map((b) => b.label),
			axisTick: { show: false },
			axisLabel: { width: 220, overflow: 'truncate', color: ink }
		},
		tooltip: {
			trigger: 'item',
			formatter: (params) => {
				const bar = bars[dataIndexOf(params)];
				const counts = `${formatCounts(bar, locale)}`;
				const target =
					bar.target === null
						? ''
						: `<br>${words.target} ${percent(bar.target)}${bar.status ? ` · ${words.status(bar.status)}` : ''}`;
				return `<strong>${escapeHtml(bar.label)}</strong><br>${percent(bar.value)} (${counts})${target}`;
			}
		},
		series: [
			{
				type: 'bar',
				barMaxWidth: 18,
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
					data: targets.map((t) => ({ xAxis: t.target, name: t.label }))
				}
			}
		]
	};
}
