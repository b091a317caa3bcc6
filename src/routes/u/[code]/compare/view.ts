/**
 * The comparison page's view helpers: its URL state and the partial periods its key lists (the
 * ranking's bars and charts are charts/ranking-groups.ts, which the monthly report draws too).
 */
import { COMPARE } from '$lib/domain/url-params';
import { keptQuery, pageParams } from '$lib/url';

/** The parameters that follow the user from this page to the next. */
const KEPT = pageParams(COMPARE);

/** `?…` of the kept parameters of `current` with `changes` applied (null removes one). */
export const queryWith = (current: URLSearchParams, changes: Record<string, string | null>) =>
	keptQuery(current, KEPT, changes);

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
