/** The comparison page's view helpers: its URL state, and the groupings its chart and key show. */
import { UNIT_LEVELS, type TargetLevel, type UnitLevel } from '$lib/domain/types';
import { COMPARE, type RankingShow } from '$lib/domain/url-params';
import { keptQuery, pageParams } from '$lib/url';

/** The parameters that follow the user from this page to the next. */
const KEPT = pageParams(COMPARE);

/** `?…` of the kept parameters of `current` with `changes` applied (null removes one). */
export const queryWith = (current: URLSearchParams, changes: Record<string, string | null>) =>
	keptQuery(current, KEPT, changes);

/** One target line per value: levels sharing a target share its line. */
export function targetsByValue(
	targets: { level: TargetLevel; target: number }[]
): { target: number; levels: TargetLevel[] }[] {
	const byValue = new Map<number, TargetLevel[]>();
	for (const t of targets) byValue.set(t.target, [...(byValue.get(t.target) ?? []), t.level]);
	return [...byValue].map(([target, levels]) => ({ target, levels }));
}

/** The distinct parts of the period that children existed in, with how many did. */
export function partialRanges(
	children: { partial: { from: string; to: string } | null }[]
): { from: string; to: string; count: number }[] {
	const ranges = new Map<string, { from: string; to: string; count: number }>();
	for (const { partial } of children) {
		if (!partial) continue;
		const key = `${partial.from}|${partial.to}`;
		ranges.set(key, { ...partial, count: (ranges.get(key)?.count ?? 0) + 1 });
	}
	return [...ranges.values()];
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
