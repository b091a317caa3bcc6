/**
 * What the ranking charts show, from a comparison of child units (dashboard/compare.ts): the bars
 * of the children with a value, best first; one target line per distinct target; and which bars
 * go in which chart. Shared by the compare page and the monthly report (report/charts.ts), so the
 * printed ranking is the page's.
 */
import type { TargetStatus } from '../domain/figures';
import type { KpiId } from '../domain/kpi-ids';
import { UNIT_LEVELS, type TargetLevel, type UnitLevel } from '../domain/types';
import type { RankingShow } from '../domain/url-params';
import type { RankedBar } from './ranking';

/** A compared child as the ranking reads it (dashboard/compare.ts `ChildComparison`). */
export interface RankedChild {
	unit: { code: string; name: string; level: UnitLevel };
	/** 1 = highest on the ranked KPI; null without a value. */
	rank: number | null;
	kpis: Record<
		KpiId,
		{ value: number | null; numerator: number; denominator: number; target: number | null }
	>;
	status: Partial<Record<KpiId, TargetStatus>>;
}

/**
 * One bar per child with a value of `kpi`, in rank order (equal ranks by name, as Vietnamese sorts
 * it), labelled by `label` (the page marks a child that existed for part of the period).
 */
export function rankedBars<C extends RankedChild>(
	children: C[],
	kpi: KpiId,
	label: (child: C) => string
): (RankedBar & { level: UnitLevel })[] {
	return children
		.filter((c) => c.rank !== null && c.kpis[kpi].value !== null)
		.sort((a, b) => a.rank! - b.rank! || a.unit.name.localeCompare(b.unit.name, 'vi'))
		.map((c) => {
			const { value, numerator, denominator, target } = c.kpis[kpi];
			return {
				code: c.unit.code,
				level: c.unit.level,
				label: label(c),
				value: value!,
				numerator,
				denominator,
				target,
				status: c.status[kpi] ?? null
			};
		});
}

/** One target line per value: levels sharing a target share its line. */
export function targetsByValue(
	targets: { level: TargetLevel; target: number }[]
): { target: number; levels: TargetLevel[] }[] {
	const byValue = new Map<number, TargetLevel[]>();
	for (const t of targets) byValue.set(t.target, [...(byValue.get(t.target) ?? []), t.level]);
	return [...byValue].map(([target, levels]) => ({ target, levels }));
}

/** A chart of more units than this shows its ten lowest and ten highest unless asked for all. */
export const ENDS_ABOVE = 20;
const ENDS = 10;

export interface RankingSection<B> {
	/** `all`: every unit, best first; `lowest`: worst first; `highest`: best first. */
	kind: 'all' | 'lowest' | 'highest';
	bars: B[];
}

export interface RankingGroup<B> {
	level: UnitLevel;
	/** The units of the level with a value, all of them, whatever the sections show. */
	total: number;
	sections: RankingSection<B>[];
}

/**
 * The ranking's charts: one group per level of unit (departments are not ranked against
 * communes: their dossiers are of other procedures, issue 12), each with every unit or, above
 * ENDS_ABOVE units, its ten lowest (worst first, whom a reform team chases) and its ten highest.
 * `bars` come best first.
 */
export function rankingGroups<B extends { level: UnitLevel }>(
	bars: B[],
	show: RankingShow
): RankingGroup<B>[] {
	return UNIT_LEVELS.flatMap((level): RankingGroup<B>[] => {
		const ranked = bars.filter((b) => b.level === level);
		if (ranked.length === 0) return [];
		const sections: RankingSection<B>[] =
			show === 'all' || ranked.length <= ENDS_ABOVE
				? [{ kind: 'all', bars: ranked }]
				: [
						{ kind: 'lowest', bars: ranked.slice(-ENDS).reverse() },
						{ kind: 'highest', bars: ranked.slice(0, ENDS) }
					];
		return [{ level, total: ranked.length, sections }];
	});
}
