/** How the scorecard writes points and rules (one place for its page and components). */
import { formatIndexPoints, formatTarget, type Locale } from '$lib/domain/format';
import type { IndexRule } from '$lib/domain/service-index';
import { m } from '$lib/paraglide/messages';

/** Points as the pages print them (domain/format.ts `formatIndexPoints`): `63,4`, `1,25`. */
export const points = (n: number, locale: Locale): string => formatIndexPoints(n, locale);

/** The rule in words: "điểm × tỉ lệ", or full points from a threshold. */
export function ruleWords(rule: IndexRule, threshold: number | null, locale: Locale): string {
	if (rule === 'linear' || threshold === null) return m.index_rule_linear();
	return m.index_rule_threshold({ threshold: formatTarget(threshold, locale) });
}
