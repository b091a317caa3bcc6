import { describe, expect, it } from 'vitest';
import { DOSSIER_KPI_IDS, KPI_IDS } from './kpi-ids';
import {
	COMPARE,
	LATE,
	MAP,
	parseParams,
	pickerKept,
	PROCEDURE_CATALOGUE,
	PROCEDURE_SORTS,
	PROCEDURES,
	REPORTS,
	serialiseParams,
	TRENDS,
	UNIT_CATALOGUE,
	VIEW,
	type CompareState,
	type LateState,
	type ProcedureState,
	type Vocabulary
} from './url-params';

const parse = <S>(vocabulary: Vocabulary<S>, text: string) =>
	parseParams(vocabulary, new URLSearchParams(text));

const query = <S>(vocabulary: Vocabulary<S>, state: NoInfer<S>) =>
	new URLSearchParams(serialiseParams(vocabulary, state)).toString();

/** parse(serialise(state)) for each state: the state a link writes is the state the page reads. */
function expectRoundTrips<S>(vocabulary: Vocabulary<S>, states: S[]) {
	for (const state of states) {
		const written = new URLSearchParams(serialiseParams(vocabulary, state));
		expect(parseParams(vocabulary, written), written.toString()).toEqual({ state });
	}
}

const COMPARE_STATES: CompareState[] = KPI_IDS.flatMap((kpi) =>
	(['name', kpi, 'on_time_rate'] as const).flatMap((sort) =>
		(['asc', 'desc'] as const).flatMap((dir) =>
			(['ends', 'all'] as const).map((show) => ({ kpi, sort, dir, show }))
		)
	)
);

const PROCEDURE_STATES: ProcedureState[] = PROCEDURE_SORTS.flatMap((sort) =>
	(['asc', 'desc'] as const).flatMap((dir) =>
		[null, 'Hộ tịch', '-', 'a&b=c'].map((field, i) => ({ field, sort, dir, page: i * 7 + 1 }))
	)
);

const LATE_STATES: LateState[] = (['open', 'completed'] as const).flatMap((list) => [
	{ list, received: 'period', unit: null, procedure: null, by: 'count', page: 1 },
	{
		list,
		received: 'any',
		unit: 1234,
		procedure: '1.001234.000.00.00.H28',
		by: 'oldest',
		page: 99
	}
]);

describe('each page’s state written into a URL reads back as the same state', () => {
	it('the comparison: every KPI, sorted by name, by itself or another KPI, either way', () => {
		expectRoundTrips(COMPARE, COMPARE_STATES);
	});

	it('the trends and the map: every KPI each accepts', () => {
		expectRoundTrips(
			TRENDS,
			DOSSIER_KPI_IDS.map((kpi) => ({ kpi }))
		);
		expectRoundTrips(
			MAP,
			KPI_IDS.map((kpi) => ({ kpi }))
		);
	});

	it('the procedures: every sort, either way, with or without a field, on any page', () => {
		expectRoundTrips(PROCEDURES, PROCEDURE_STATES);
	});

	it('the late dossiers: either kind, with and without filters', () => {
		expectRoundTrips(LATE, LATE_STATES);
	});

	it('the view every page shares: the period, the campaign, the comparison', () => {
		expectRoundTrips(VIEW, [
			{ from: null, to: null, campaign: null, vs: 'previous' },
			{ from: '2025-06-01', to: '2025-06-30', campaign: '3', vs: 'year' }
		]);
	});
});

describe('a URL reads as its state, and writes back without the defaults', () => {
	it('reads an empty URL as the default view of each page', () => {
		expect(parse(COMPARE, '')).toEqual({
			state: {
				kpi: 'online_submission_rate',
				sort: 'online_submission_rate',
				dir: 'desc',
				show: 'ends'
			}
		});
		expect(parse(PROCEDURES, '')).toEqual({
			state: { field: null, sort: 'volume', dir: 'desc', page: 1 }
		});
		expect(parse(LATE, '')).toEqual({
			state: {
				list: 'open',
				received: 'period',
				unit: null,
				procedure: null,
				by: 'count',
				page: 1
			}
		});
		expect(parse(VIEW, '')).toEqual({
			state: { from: null, to: null, campaign: null, vs: 'previous' }
		});
	});

	it('reads an empty value as the default, as a form sends an unset field', () => {
		expect(parse(MAP, 'kpi=')).toEqual({ state: { kpi: 'online_submission_rate' } });
		expect(parse(LATE, 'unit=&procedure=%20%20&list=completed&received=')).toEqual({
			state: {
				list: 'completed',
				received: 'period',
				unit: null,
				procedure: null,
				by: 'count',
				page: 1
			}
		});
	});

	it('sorts by the ranked KPI unless told otherwise, names A to Z and KPIs best first', () => {
		expect(parse(COMPARE, 'kpi=on_time_rate')).toEqual({
			state: { kpi: 'on_time_rate', sort: 'on_time_rate', dir: 'desc', show: 'ends' }
		});
		expect(parse(COMPARE, 'sort=name')).toMatchObject({ state: { sort: 'name', dir: 'asc' } });
		expect(parse(PROCEDURES, 'sort=name')).toMatchObject({ state: { sort: 'name', dir: 'asc' } });
	});

	it('writes only what differs from the default the earlier values give', () => {
		expect(
			query(COMPARE, { kpi: 'on_time_rate', sort: 'on_time_rate', dir: 'desc', show: 'ends' })
		).toBe('kpi=on_time_rate');
		expect(
			query(COMPARE, { kpi: 'online_submission_rate', sort: 'name', dir: 'asc', show: 'all' })
		).toBe('sort=name&show=all');
		expect(query(PROCEDURES, { field: 'Hộ tịch', sort: 'volume', dir: 'asc', page: 2 })).toBe(
			'field=H%E1%BB%99+t%E1%BB%8Bch&dir=asc&page=2'
		);
		expect(
			query(LATE, {
				list: 'open',
				received: 'period',
				unit: null,
				procedure: null,
				by: 'count',
				page: 1
			})
		).toBe('');
	});

	it('ignores a parameter the page does not declare', () => {
		expect(parse(TRENDS, 'sort=nonsense&junk=1')).toEqual({
			state: { kpi: 'online_submission_rate' }
		});
	});
});

describe('a value a page does not accept is a problem naming the parameter, never a fallback', () => {
	const problem = (
		name: string,
		value: string,
		accepted: readonly string[] | null,
		tooLong = false
	) => ({ problem: { kind: 'param', name, value, accepted, tooLong } });

	it('refuses an unknown KPI on the comparison, the trends and the map', () => {
		expect(parse(COMPARE, 'kpi=online')).toEqual(problem('kpi', 'online', KPI_IDS));
		expect(parse(MAP, 'kpi=online_rate')).toEqual(problem('kpi', 'online_rate', KPI_IDS));
		// Catalogue KPIs have no months.
		expect(parse(TRENDS, 'kpi=online_service_coverage')).toEqual(
			problem('kpi', 'online_service_coverage', DOSSIER_KPI_IDS)
		);
	});

	it('refuses an unknown sort column or direction', () => {
		expect(parse(COMPARE, 'sort=rank')).toMatchObject(problem('sort', 'rank', expect.any(Array)));
		expect(parse(COMPARE, 'dir=up')).toEqual(problem('dir', 'up', ['asc', 'desc']));
		expect(parse(PROCEDURES, 'sort=rank')).toEqual(problem('sort', 'rank', PROCEDURE_SORTS));
		expect(parse(PROCEDURES, 'dir=sideways')).toEqual(problem('dir', 'sideways', ['asc', 'desc']));
	});

	it('refuses a page number that is not 1, 2, 3, …', () => {
		for (const page of ['0', '-1', '1e308', '2.5', 'abc', '007', '99999999999999999999']) {
			expect(parse(PROCEDURES, `page=${page}`), page).toEqual(problem('page', page, null));
			expect(parse(LATE, `page=${page}`), page).toEqual(problem('page', page, null));
		}
		// A page past the last is a number: the page shows its last page.
		expect(parse(LATE, 'page=99999999')).toMatchObject({ state: { page: 99999999 } });
	});

	it('refuses an unknown late kind, a unit that is no id, an unknown comparison or campaign id', () => {
		expect(parse(LATE, 'list=x')).toEqual(problem('list', 'x', ['open', 'completed']));
		expect(parse(LATE, 'received=all')).toEqual(problem('received', 'all', ['period', 'any']));
		expect(parse(LATE, 'by=days')).toEqual(
			problem('by', 'days', ['count', 'share', 'oldest', 'name'])
		);
		expect(parse(LATE, 'unit=abc')).toEqual(problem('unit', 'abc', null));
		expect(parse(VIEW, 'vs=month')).toEqual(problem('vs', 'month', ['previous', 'year']));
		expect(parse(VIEW, 'campaign=autumn')).toEqual(problem('campaign', 'autumn', null));
	});

	it('reads the month of the published reports from 2000-01 to 2100-12, and refuses any other', () => {
		expect(parse(REPORTS, 'for=2026-10&page=2')).toEqual({ state: { for: '2026-10', page: 2 } });
		expect(parse(REPORTS, '')).toEqual({ state: { for: null, page: 1 } });
		for (const month of [
			'9999-12',
			'1999-12',
			'2101-01',
			'2026-13',
			'2026-1',
			'10/2026',
			'2026-10-01'
		]) {
			expect(parse(REPORTS, `for=${encodeURIComponent(month)}`)).toEqual(
				problem('for', month, null)
			);
		}
		expect(parse(REPORTS, 'page=-1')).toEqual(problem('page', '-1', null));
	});

	it('refuses a text longer than 200 characters, echoing only its first 40', () => {
		const long = 'x'.repeat(201);
		expect(parse(PROCEDURES, `field=${long}`)).toEqual(
			problem('field', 'x'.repeat(40), null, true)
		);
		expect(parse(PROCEDURES, `field=${'x'.repeat(200)}`)).toMatchObject({
			state: { field: 'x'.repeat(200) }
		});
	});
});

describe('the parameters the period picker keeps', () => {
	it('keeps the comparison and the page’s own choices, the late list and its filter too, not its page number', () => {
		expect(pickerKept('/u/[code]/compare')).toEqual(['vs', 'kpi', 'sort', 'dir', 'show']);
		expect(pickerKept('/u/[code]/procedures')).toEqual(['vs', 'field', 'sort', 'dir']);
		expect(pickerKept('/u/[code]/late')).toEqual([
			'vs',
			'list',
			'received',
			'unit',
			'procedure',
			'by'
		]);
		expect(pickerKept('/u/[code]')).toEqual(['vs', 'kpi']);
		expect(pickerKept(null)).toEqual(['vs']);
	});
});

describe('the catalogue pages’ parameters', () => {
	it('read a search, filters and page back as the same state, leaving out the defaults', () => {
		const units = { q: 'can loc', level: 'commune', status: 'ended', page: 2 } as const;
		const written = new URLSearchParams(serialiseParams(UNIT_CATALOGUE, units));
		expect(written.toString()).toBe('q=can+loc&level=commune&status=ended&page=2');
		expect(parseParams(UNIT_CATALOGUE, written)).toEqual({ state: units });
		const procedures = parseParams(
			PROCEDURE_CATALOGUE,
			new URLSearchParams('q=khai+sinh&fee=no&sort=dossiers')
		);
		expect(procedures).toEqual({
			state: {
				q: 'khai sinh',
				field: null,
				level: null,
				online: null,
				fee: 'no',
				payment: null,
				owner: null,
				sort: 'dossiers',
				dir: 'desc',
				page: 1
			}
		});
	});

	it('refuses an unknown level, status or yes/no, naming what is accepted', () => {
		expect(parseParams(UNIT_CATALOGUE, new URLSearchParams('level=village'))).toEqual({
			problem: {
				kind: 'param',
				name: 'level',
				value: 'village',
				accepted: ['province', 'department', 'district', 'commune'],
				tooLong: false
			}
		});
		expect(parseParams(PROCEDURE_CATALOGUE, new URLSearchParams('payment=maybe'))).toMatchObject({
			problem: { name: 'payment', accepted: ['yes', 'no'] }
		});
	});
});
