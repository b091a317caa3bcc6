/** How the scorecard writes points and rules (one place for its page and components). */
import { formatIndexPoints, formatNumber, formatTarget, type Locale } from '$lib/domain/format';
import type { IndexRule } from '$lib/domain/service-index';
import { m } from '$lib/paraglide/messages';

/** Points as the pages print them (domain/format.ts `formatIndexPoints`): `63,4`, `1,25`. */
export const points = (n: number, locale: Locale): string => formatIndexPoints(n, locale);

/** The rule in words: "điểm × tỉ lệ", or full points from a threshold. */
export function ruleWords(rule: IndexRule, threshold: number | null, locale: Locale): string {
	if (rule === 'linear' || threshold === null) return m.index_rule_linear();
	return m.index_rule_threshold({ threshold: formatTarget(threshold, locale) });
}

/**
 * A rank's change as the rankings show it (previous rank − rank: positive when it climbed): ▲2 or
 * ▼1, — without one or when it held, and the words a screen reader says.
 */
export function rankChange(
	change: number | null,
	locale: Locale
): { symbol: string; words: string } {
	if (change === null) return { symbol: '—', words: m.index_rank_change_none() };
	if (change === 0) return { symbol: '—', words: m.index_rank_change_same() };
	const steps = formatNumber(Math.abs(change), locale);
	return change > 0
		? { symbol: `▲${steps}`, words: m.index_rank_change_up({ steps }) }
		: { symbol: `▼${steps}`, words: m.index_rank_change_down({ steps }) };
}
