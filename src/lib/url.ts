/**
 * The query strings of links between dashboard pages: which parameters of the current URL a link
 * carries (the view's state), and which it changes. One place, so every page keeps the same state.
 */

/** What follows the user from page to page and unit to unit: period, campaign, comparison. */
export const VIEW_PARAMS = ['from', 'to', 'campaign', 'vs'] as const;

type Changes = Record<string, string | null>;

function query(entries: [string, string][]): string {
	const text = entries
		.map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`)
		.join('&');
	return text ? `?${text}` : '';
}

/** `?…` of the `kept` parameters of `current`, with `changes` applied (null or '' removes one). */
export function keptQuery(
	current: URLSearchParams,
	kept: readonly string[] = VIEW_PARAMS,
	changes: Changes = {}
): string {
	const entries = kept
		.filter((name) => !(name in changes) && current.has(name))
		.map((name): [string, string] => [name, current.get(name)!]);
	for (const [name, value] of Object.entries(changes)) if (value) entries.push([name, value]);
	return query(entries);
}

/**
 * `?…` of every parameter of `current` with `changes` applied, and `page` dropped unless given,
 * so a new view starts on its first page.
 */
export function changedQuery(current: URLSearchParams, changes: Changes): string {
	const unchanged = [...current].filter(([name]) => !(name in changes) && name !== 'page');
	const changed = Object.entries(changes).filter((entry): entry is [string, string] =>
		Boolean(entry[1])
	);
	return query([...unchanged, ...changed]);
}
