/**
 * The service index's groups as a radar (issue 16): one axis per group, each at the share of the
 * group's measured points it scored (0–100%), so a group of 20 points and one of 4 are read on the
 * same scale. A group with nothing measured has no share: its axis is drawn, its point sits at the
 * centre and the label says "not measured" (the scorecard's table says the same in figures).
 */
import type { ChartOption, Palette } from './option';
import { formatPercent, type Locale } from '../domain/format';

export interface RadarGroup {
	/** The group's name in the page's language. */
	name: string;
	score: number | null;
	measured_points: number;
}

/** score / measured points, or null when nothing is measured. */
export const groupShare = (g: Pick<RadarGroup, 'score' | 'measured_points'>): number | null =>
	g.score === null || g.measured_points === 0 ? null : g.score / g.measured_points;

/** A long name on two lines, broken at the space nearest its middle (a phone's radar). */
function twoLines(name: string): string {
	const spaces = [...name.matchAll(/ /g)].map((m) => m.index);
	if (name.length <= 14 || spaces.length === 0) return name;
	const middle = name.length / 2;
	const at = spaces.reduce((best, i) =>
		Math.abs(i - middle) < Math.abs(best - middle) ? i : best
	);
	return `${name.slice(0, at)}\n${name.slice(at + 1)}`;
}

export function radarOption(
	groups: readonly RadarGroup[],
	locale: Locale,
	words: { series: string; notMeasured: string },
	palette: Pick<Palette, 'link' | 'ink'>,
	width: number
): ChartOption {
	const narrow = width > 0 && width < 480;
	const shares = groups.map(groupShare);
	return {
		tooltip: { trigger: 'item' },
		radar: {
			// A phone's radar leaves room for the names at its sides.
			radius: narrow ? '54%' : '66%',
			center: ['50%', '52%'],
			indicator: groups.map((g, i) => ({
				name: `${narrow ? twoLines(g.name) : g.name}\n${shares[i] === null ? words.notMeasured : formatPercent(shares[i], locale)}`,
				min: 0,
				max: 1
			})),
			axisName: { color: palette.ink, fontSize: narrow ? 11 : 13, lineHeight: narrow ? 14 : 17 },
			splitNumber: 4
		},
		series: [
			{
				type: 'radar',
				name: words.series,
				symbol: 'circle',
				symbolSize: 6,
				lineStyle: { color: palette.link, width: 2 },
				itemStyle: { color: palette.link },
				areaStyle: { color: palette.link, opacity: 0.15 },
				data: [{ name: words.series, value: shares.map((s) => s ?? 0) }],
				tooltip: {
					valueFormatter: (value) => formatPercent(Number(value), locale)
				}
			}
		]
	};
}

/** The chart's height for its width: square-ish, never taller than a phone's screen wants. */
export const radarHeight = (width: number): number =>
	width > 0 && width < 480 ? Math.max(280, Math.round(width * 0.95)) : 360;
