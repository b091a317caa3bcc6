/**
 * The ranked bar chart of the comparison as an ECharts option: one horizontal bar per child with a
 * value, best on top, coloured by its status and labelled with the value and the status symbol
 * (colour is never the only cue), and one vertical line per distinct target.
 */
import { formatPercent, type Locale, formatCounts } from '$lib/domain/format';
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

/** The page's palette (app.css), read in the browser; the fallbacks are the same colours. */
function token(name: string, fallback: string): string {
	if (typeof document === 'undefined') return fallback;
	return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;
}

export const BAR_HEIGHT = 26;

export function rankingOption(
	bars: RankedBar[],
	targets: TargetLine[],
	locale: Locale,
	words: RankingWords
): Record<string, unknown> {
	const colour: Record<Status | 'none', string> = {
		met: token('--met', '#1b6e3c'),
		close: token('--close', '#8a5a00'),
		below: token('--below', '#a61b1b'),
		none: token('--link', '#0b4f8a')
	};
	const ink = token('--ink', '#1f2933');
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
			formatter: (item: { dataIndex: number }) => {
				const bar = bars[item.dataIndex];
				const counts = `${formatCounts(bar, locale)}`;
				const target =
					bar.target === null
						? ''
						: `<br>${words.target} ${percent(bar.target)}${bar.status ? ` · ${words.status(bar.status)}` : ''}`;
				return `<strong>${escape(bar.label)}</strong><br>${percent(bar.value)} (${counts})${target}`;
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
					formatter: (item: { dataIndex: number }) => {
						const bar = bars[item.dataIndex];
						return `${percent(bar.value)}${bar.status ? ` ${words.symbol(bar.status)}` : ''}`;
					}
				},
				markLine: {
					silent: true,
					symbol: 'none',
					lineStyle: { color: ink, type: 'dashed', width: 1.5 },
					label: { position: 'start', formatter: (p: { name: string }) => p.name, color: ink },
					data: targets.map((t) => ({ xAxis: t.target, name: t.label }))
				}
			}
		]
	};
}

/** Unit names come from imported files: never trusted as HTML in the tooltip. */
function escape(text: string): string {
	return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
