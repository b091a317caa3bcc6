import { describe, expect, it } from 'vitest';
import { changedQuery, keptParams, keptQuery, VIEW_PARAMS } from './url';

const params = (text: string) => new URLSearchParams(text);

describe('the query strings of links between dashboard pages', () => {
	it('keeps the period, campaign and comparison, with the changes applied', () => {
		expect(keptQuery(params('from=2025-06-01&to=2025-06-30&vs=year&kpi=x'))).toBe(
			'?from=2025-06-01&to=2025-06-30&vs=year'
		);
		expect(keptQuery(params('from=2025-06-01&to=2025-06-30'), VIEW_PARAMS, { to: null })).toBe(
			'?from=2025-06-01'
		);
	});

	it("changes a page's own state, dropping the page number unless given", () => {
		const kept = [...VIEW_PARAMS, 'sort', 'field'];
		expect(
			changedQuery(params('from=2025-06-01&sort=name&page=3'), { field: 'Hộ tịch' }, kept)
		).toBe('?from=2025-06-01&sort=name&field=H%E1%BB%99%20t%E1%BB%8Bch');
		expect(changedQuery(params('sort=name&page=3'), { page: '4' }, kept)).toBe('?sort=name&page=4');
	});

	it('carries no parameter outside the page vocabulary and no value longer than 200 characters', () => {
		// One such value repeated in every link of a page made it megabytes.
		const long = 'x'.repeat(201);
		const kept = [...VIEW_PARAMS, 'sort'];
		expect(changedQuery(params(`junk=1&sort=name&vs=${long}`), { page: '2' }, kept)).toBe(
			'?sort=name&page=2'
		);
		expect(keptQuery(params(`from=2025-06-01&vs=${long}`))).toBe('?from=2025-06-01');
		expect(keptQuery(params(`vs=${'y'.repeat(200)}`))).toBe(`?vs=${'y'.repeat(200)}`);
		expect(
			keptParams(params(`kpi=on_time_rate&sort=${long}&vs=year`), ['vs', 'kpi', 'sort'])
		).toEqual([
			['vs', 'year'],
			['kpi', 'on_time_rate']
		]);
	});
});
