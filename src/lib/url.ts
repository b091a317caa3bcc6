/**
 * The query strings of links between dashboard pages: which parameters of the current URL a link
 * carries (the view's state), and which it changes. One place, so every page keeps the same state.
 */

import { MAX_PARAM_LENGTH, VIEW_PARAMS } from './domain/url-params';

/** What follows the user from page to page and unit to unit: period, campaign, comparison. */
export { VIEW_PARAMS };

/** The names a page's links carry: the view's, then the page's own (its vocabulary). */
export const pageParams = (vocabulary: object): string[] => [
	...VIEW_PARAMS,
	...Object.keys(vocabulary)
];

type Changes = Record<string, string | null>;

/**
 * The longest value a link carries on from the current URL, the longest a page accepts: a longer
 * one would be repeated in every link of the page (issue 10).
 */
const MAX_CARRIED_VALUE = MAX_PARAM_LENGTH;

const carried = (current: URLSearchParams, name: string) =>
	current.has(name) && current.get(name)!.length <= MAX_CARRIED_VALUE;

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
		.filter((name) => !(name in changes) && carried(current, name))
		.map((name): [string, string] => [name, current.get(name)!]);
	for (const [name, value] of Object.entries(changes)) if (value) entries.push([name, value]);
	return query(entries);
}

/**
 * `?…` of the `kept` parameters of `current` (the page's vocabulary) with `changes` applied, and
 * `page` dropped unless given, so a new view starts on its first page.
 */
export function changedQuery(
	current: URLSearchParams,
	changes: Changes,
	kept: readonly string[]
): string {
	const unchanged = kept
		.filter((name) => !(name in changes) && name !== 'page' && carried(current, name))
		.map((name): [string, string] => [name, current.get(name)!]);
	const changed = Object.entries(changes).filter((entry): entry is [string, string] =>
		Boolean(entry[1])
	);
	return query([...unchanged, ...changed]);
}

/** The `kept` parameters of `current` as name–value pairs, for a form's hidden fields. */
export function keptParams(current: URLSearchParams, kept: readonly string[]): [string, string][] {
	return kept
		.filter((name) => carried(current, name))
		.map((name): [string, string] => [name, current.get(name)!]);
}
