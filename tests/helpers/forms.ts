/** Forms posted to the real server as a browser without JavaScript posts them. */
import { cellField } from '../../src/lib/domain/campaign-form';
import { KPI_IDS } from '../../src/lib/domain/kpi-ids';
import { TARGET_LEVELS } from '../../src/lib/domain/types';

/** A form action's post: a redirect or a page back (not enhance's JSON), from the page's origin. */
export function postForm(
	origin: string,
	url: string,
	cookie: string,
	fields: Record<string, string>,
	headers: Record<string, string> = {}
): Promise<Response> {
	return fetch(`${origin}${url}`, {
		method: 'POST',
		redirect: 'manual',
		headers: {
			cookie,
			accept: 'text/html',
			origin,
			'content-type': 'application/x-www-form-urlencoded',
			...headers
		},
		body: new URLSearchParams(fields)
	});
}

/** Every cell of the campaigns editor's grid, empty but those given. */
export function gridFields(cells: Record<string, string> = {}): Record<string, string> {
	const fields: Record<string, string> = {};
	for (const kpi of KPI_IDS) for (const level of TARGET_LEVELS) fields[cellField(kpi, level)] = '';
	return { ...fields, ...cells };
}
