/** The URL state a link from the map page carries to a unit's overview (the layout's own set). */
const KEPT = ['from', 'to', 'campaign', 'vs'];

/** `?…` of the kept parameters of `current`, with `changes` applied (null removes one). */
export function keptQuery(
	current: URLSearchParams,
	changes: Record<string, string | null> = {}
): string {
	const params = new URLSearchParams();
	for (const name of KEPT) {
		const value = current.get(name);
		if (value !== null) params.set(name, value);
	}
	for (const [name, value] of Object.entries(changes)) {
		if (value === null) params.delete(name);
		else params.set(name, value);
	}
	const text = params.toString();
	return text ? `?${text}` : '';
}
