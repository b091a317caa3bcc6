/**
 * Links that change part of the page's URL state: the current query with some parameters set or
 * removed (null or ''), and `page` dropped unless given, so a new view starts on its first page.
 */
export function changedQuery(
	current: URLSearchParams,
	changes: Record<string, string | null>
): string {
	const unchanged = [...current].filter(([name]) => !(name in changes) && name !== 'page');
	const changed = Object.entries(changes).filter((entry): entry is [string, string] =>
		Boolean(entry[1])
	);
	const text = [...unchanged, ...changed]
		.map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(value)}`)
		.join('&');
	return text ? `?${text}` : '';
}
