/**
 * The dashboard's URL vocabulary: every query parameter of every page of a unit, declared once —
 * its name, how its text is read, its default and how it is written back (the idea of Rill's
 * `url-state/url-params.ts`). Pages read their state with `parseParams`, links write it with
 * `serialiseParams`, and both sides agree because they use the same declaration (round-trip tests
 * beside this file).
 *
 * One rule for a bad value, on every page: a parameter present with a value it does not accept is
 * a `ParamProblem`, answered 400 with the reason in the page's language and the period picker
 * still there (page.ts, routes/u/[code]/+error.svelte). An empty value (`?kpi=`, as a form sends
 * an unset field) is the default; a parameter the page does not declare is ignored.
 */
import {
	DOSSIER_KPI_IDS,
	HEADLINE_KPI,
	isKpiId,
	KPI_IDS,
	PROCEDURE_KPIS,
	type DossierKpiId,
	type KpiId,
	type ProcedureKpiId
} from './kpi-ids';
import type { PeriodProblem } from './periods';
import {
	ONLINE_LEVELS,
	TARGET_LEVELS,
	UNIT_LEVELS,
	type OnlineLevel,
	type TargetLevel,
	type UnitLevel
} from './types';

export { HEADLINE_KPI, PROCEDURE_KPIS, type ProcedureKpiId };

/** A parameter with a value its page does not accept; `value` cut to 40 characters. */
export interface ParamProblem {
	kind: 'param';
	name: string;
	value: string;
	/** The values accepted, when they are a short list; null for "a number", "a text". */
	accepted: readonly string[] | null;
	/** Refused for its length alone (MAX_PARAM_LENGTH). */
	tooLong: boolean;
}

/**
 * Why a page's URL cannot be answered: its period (or campaign, or picker fields), one of its
 * parameters, or its unit, which is not valid in the period (or its code names two units then).
 */
export type UrlProblem = PeriodProblem | ParamProblem | { kind: 'unit_period' };

/**
 * One parameter of `S`, the state of a page. `fallback` gives the value when the URL has none; it
 * may read the values declared before it in the vocabulary (the comparison sorts by its KPI).
 */
export interface Param<S, T> {
	parse: (text: string) => T | undefined;
	fallback: (earlier: S) => T;
	serialise: (value: T) => string;
	/** For the message of a refused value. */
	accepted: readonly string[] | null;
}

export type Vocabulary<S> = { [K in keyof S]: Param<S, S[K]> };

/**
 * The longest text a parameter accepts or a link carries: a field's name or a procedure code is
 * far shorter, and one parameter of a few kilobytes repeated in every link made pages of
 * megabytes (issue 10).
 */
export const MAX_PARAM_LENGTH = 200;

const shown = (value: string) => value.slice(0, 40);

/** The page's state from its URL, or the first parameter with a value it refuses. */
export function parseParams<S>(
	vocabulary: Vocabulary<S>,
	params: URLSearchParams
): { state: S } | { problem: ParamProblem } {
	const state = {} as S;
	for (const name of Object.keys(vocabulary) as (keyof S & string)[]) {
		const param = vocabulary[name];
		const text = params.get(name);
		if (text === null || text === '') {
			state[name] = param.fallback(state);
			continue;
		}
		const tooLong = text.length > MAX_PARAM_LENGTH;
		const value = tooLong ? undefined : param.parse(text);
		if (value === undefined) {
			const { accepted } = param;
			return { problem: { kind: 'param', name, value: shown(text), accepted, tooLong } };
		}
		state[name] = value;
	}
	return { state };
}

/** The state as query pairs, in declaration order, leaving out every value that is its default. */
export function serialiseParams<S>(vocabulary: Vocabulary<S>, state: S): [string, string][] {
	const pairs: [string, string][] = [];
	for (const name of Object.keys(vocabulary) as (keyof S & string)[]) {
		const param = vocabulary[name];
		const text = param.serialise(state[name]);
		// The default given the earlier values: `sort` equal to `kpi` is left out, as is `dir`
		// in the natural direction of its `sort`.
		const fallback = param.serialise(param.fallback(state));
		if (text !== '' && text !== fallback) pairs.push([name, text]);
	}
	return pairs;
}

// The kinds of parameter.

function oneOf<S, T extends string>(
	values: readonly T[],
	fallback: (earlier: S) => T
): Param<S, T> {
	return {
		parse: (text) => ((values as readonly string[]).includes(text) ? (text as T) : undefined),
		fallback,
		serialise: (value) => value,
		accepted: values
	};
}

/** A page number, a unit version id: 1, 2, … (no sign, no exponent, no leading zero). */
const positiveInteger = (text: string): number | undefined =>
	/^[1-9]\d{0,15}$/.test(text) && Number.isSafeInteger(Number(text)) ? Number(text) : undefined;

const pageNumber = <S>(): Param<S, number> => ({
	parse: positiveInteger,
	fallback: () => 1,
	serialise: String,
	accepted: null
});

/** A free text (a field's name, a procedure code), trimmed; null when absent. */
const text = <S>(): Param<S, string | null> => ({
	parse: (value) => value.trim() || null,
	fallback: () => null,
	serialise: (value) => value ?? '',
	accepted: null
});

export type SortDirection = 'asc' | 'desc';
const DIRECTIONS = ['asc', 'desc'] as const;

// The state every page of a unit shares, carried from page to page and unit to unit.

export type Comparison = 'previous' | 'year';

export interface ViewState {
	/** Both or neither (the default period); checked together by periodProblem (periods.ts). */
	from: string | null;
	to: string | null;
	/** A campaign's id; the unit context refuses one the user may not choose. */
	campaign: string | null;
	vs: Comparison;
}

const periodDay = <S>(): Param<S, string | null> => ({
	// Any text: periodProblem (periods.ts) says what is wrong with a day, with both days at hand.
	parse: (value) => value,
	fallback: () => null,
	serialise: (value) => value ?? '',
	accepted: null
});

export const VIEW: Vocabulary<ViewState> = {
	from: periodDay(),
	to: periodDay(),
	campaign: {
		parse: (value) => (/^[1-9]\d{0,15}$/.test(value) ? value : undefined),
		fallback: () => null,
		serialise: (value) => value ?? '',
		accepted: null
	},
	vs: oneOf(['previous', 'year'], () => 'previous')
};

/** The names that follow the user between pages (tabs, breadcrumbs, drill-downs). */
export const VIEW_PARAMS = Object.keys(VIEW) as (keyof ViewState)[];

// Each page's own state.

export const RANKING_SHOWS = ['ends', 'all'] as const;
export type RankingShow = (typeof RANKING_SHOWS)[number];

export interface CompareState {
	/** The ranked KPI. */
	kpi: KpiId;
	sort: KpiId | 'name';
	dir: SortDirection;
	/** The chart of a long list: its ten lowest and ten highest, or every unit. */
	show: RankingShow;
}

/** Names sort A→Z first, KPIs best first: the order a reader expects on the first click. */
export const defaultDirection = (sort: string): SortDirection => (sort === 'name' ? 'asc' : 'desc');

export const COMPARE: Vocabulary<CompareState> = {
	kpi: oneOf(KPI_IDS, () => HEADLINE_KPI),
	sort: {
		parse: (value) => (value === 'name' || isKpiId(value) ? value : undefined),
		fallback: (earlier) => earlier.kpi,
		serialise: (value) => value,
		accepted: ['name', ...KPI_IDS]
	},
	dir: oneOf(DIRECTIONS, (earlier) => defaultDirection(earlier.sort)),
	show: oneOf(RANKING_SHOWS, () => 'ends')
};

export interface TrendState {
	/** Catalogue KPIs have no months. */
	kpi: DossierKpiId;
}

export const TRENDS: Vocabulary<TrendState> = { kpi: oneOf(DOSSIER_KPI_IDS, () => HEADLINE_KPI) };

export interface MapState {
	kpi: KpiId;
}

export const MAP: Vocabulary<MapState> = { kpi: oneOf(KPI_IDS, () => HEADLINE_KPI) };

export const PROCEDURE_SORTS = ['volume', 'extra', ...PROCEDURE_KPIS, 'name'] as const;
export type ProcedureSort = (typeof PROCEDURE_SORTS)[number];

/** `?field=` for the procedures the catalogue gives no field. */
export const NO_FIELD = '-';

export interface ProcedureState {
	/** A field's name, NO_FIELD, or null for every field. */
	field: string | null;
	sort: ProcedureSort;
	dir: SortDirection;
	page: number;
}

export const PROCEDURES: Vocabulary<ProcedureState> = {
	field: text(),
	sort: oneOf(PROCEDURE_SORTS, () => 'volume'),
	dir: oneOf(DIRECTIONS, (earlier) => defaultDirection(earlier.sort)),
	page: pageNumber()
};

export const LATE_KINDS = ['open', 'completed'] as const;
export type LateKind = (typeof LATE_KINDS)[number];

/**
 * Which open dossiers the list holds: those received in the period (the default: what the period
 * is about), or every dossier still open past due at its end, whenever received (issue 12: the
 * list had opened on 2023's dossiers at districts abolished since).
 */
export const LATE_RECEIVED = ['period', 'any'] as const;
export type LateReceived = (typeof LATE_RECEIVED)[number];

/** The per-unit ranking's order: most late, largest share late, longest overdue, or by name. */
export const LATE_RANKINGS = ['count', 'share', 'oldest', 'name'] as const;
export type LateRanking = (typeof LATE_RANKINGS)[number];

export interface LateState {
	/**
	 * Open past due, or completed late in the period. Not `kind`: that is the period picker's own
	 * field, and the view must outlive a change of period.
	 */
	list: LateKind;
	received: LateReceived;
	/** A unit version of the subtree (codes are reused across versions: DOMAIN.md, Units). */
	unit: number | null;
	procedure: string | null;
	by: LateRanking;
	page: number;
}

export const LATE: Vocabulary<LateState> = {
	list: oneOf(LATE_KINDS, () => 'open'),
	received: oneOf(LATE_RECEIVED, () => 'period'),
	unit: {
		parse: positiveInteger,
		fallback: () => null,
		serialise: (value) => (value === null ? '' : String(value)),
		accepted: null
	},
	procedure: text(),
	by: oneOf(LATE_RANKINGS, () => 'count'),
	page: pageNumber()
};

export interface OverviewState {
	/** The KPI "who pulls us down" ranks the children by; null: the one the unit misses most. */
	kpi: KpiId | null;
}

export const OVERVIEW: Vocabulary<OverviewState> = {
	kpi: {
		parse: (value) => (isKpiId(value) ? value : undefined),
		fallback: () => null,
		serialise: (value) => value ?? '',
		accepted: KPI_IDS
	}
};

/** `YYYY-MM` from 2000-01 to 2100-12, the months a report can be made for (periods.ts bounds). */
const reportMonth = <S>(): Param<S, string | null> => ({
	parse: (value) =>
		/^\d{4}-(0[1-9]|1[0-2])$/.test(value) && value >= '2000-01' && value <= '2100-12'
			? value
			: undefined,
	fallback: () => null,
	serialise: (value) => value ?? '',
	accepted: null
});

export interface ReportsState {
	/**
	 * One month's published reports (`?for=2026-10`); null for every month. Not `month`: that is
	 * the period picker's own field, and the list's filter must outlive a change of period.
	 */
	for: string | null;
	page: number;
}

export const REPORTS: Vocabulary<ReportsState> = { for: reportMonth(), page: pageNumber() };

/** One of `values`, or null (every value) when absent. */
function optionalOneOf<S, T extends string>(values: readonly T[]): Param<S, T | null> {
	return {
		parse: (text) => ((values as readonly string[]).includes(text) ? (text as T) : undefined),
		fallback: () => null,
		serialise: (value) => value ?? '',
		accepted: values
	};
}

// The catalogue pages (issue 14, item 6), outside any unit.

/** Whether a unit (a code) still has a version valid today, or has ended. */
export const UNIT_STATUSES = ['existing', 'ended'] as const;
export type UnitStatus = (typeof UNIT_STATUSES)[number];

export interface UnitCatalogueState {
	/** A name, code or agency code, accents ignored. */
	q: string | null;
	level: UnitLevel | null;
	status: UnitStatus | null;
	page: number;
}

export const UNIT_CATALOGUE: Vocabulary<UnitCatalogueState> = {
	q: text(),
	level: optionalOneOf(UNIT_LEVELS),
	status: optionalOneOf(UNIT_STATUSES),
	page: pageNumber()
};

export const YES_NO = ['yes', 'no'] as const;
export type YesNo = (typeof YES_NO)[number];

export const PROCEDURE_CATALOGUE_SORTS = [
	'code',
	'name',
	'field',
	'level',
	'online_level',
	'dossiers'
] as const;
export type ProcedureCatalogueSort = (typeof PROCEDURE_CATALOGUE_SORTS)[number];

export interface ProcedureCatalogueState {
	/** A code or name, accents ignored. */
	q: string | null;
	/** A field's name, NO_FIELD, or null for every field. */
	field: string | null;
	level: TargetLevel | null;
	online: OnlineLevel | null;
	fee: YesNo | null;
	payment: YesNo | null;
	/** The owner's unit code, NO_FIELD for none, or null for every owner. */
	owner: string | null;
	sort: ProcedureCatalogueSort;
	dir: SortDirection;
	page: number;
}

export const PROCEDURE_CATALOGUE: Vocabulary<ProcedureCatalogueState> = {
	q: text(),
	field: text(),
	level: optionalOneOf(TARGET_LEVELS),
	online: optionalOneOf(ONLINE_LEVELS),
	fee: optionalOneOf(YES_NO),
	payment: optionalOneOf(YES_NO),
	owner: text(),
	sort: oneOf(PROCEDURE_CATALOGUE_SORTS, () => 'code'),
	// Counts largest first; names and codes A→Z.
	dir: oneOf(DIRECTIONS, (earlier) => (earlier.sort === 'dossiers' ? 'desc' : 'asc')),
	page: pageNumber()
};

/**
 * The dossiers behind a dossier KPI's shortfall (`/u/<code>/dossiers`, issue 16): in the KPI's
 * denominator for the period, not in its numerator; a page of the list.
 */
export interface ShortfallState {
	kpi: DossierKpiId;
	page: number;
}

export const SHORTFALL: Vocabulary<ShortfallState> = {
	kpi: oneOf(DOSSIER_KPI_IDS, () => HEADLINE_KPI),
	page: pageNumber()
};

/** The data page has no parameter of its own. */
export const NONE: Vocabulary<Record<never, never>> = {};

/**
 * Each page's vocabulary by its route, for what the layout needs of the page below it: which of
 * the page's parameters the period picker keeps (all but the page number, so that a new period
 * starts on its first page).
 */
export const PAGE_VOCABULARIES = {
	'/u/[code]': OVERVIEW,
	'/u/[code]/compare': COMPARE,
	'/u/[code]/trends': TRENDS,
	'/u/[code]/procedures': PROCEDURES,
	'/u/[code]/late': LATE,
	'/u/[code]/map': MAP,
	'/u/[code]/data': NONE,
	'/u/[code]/reports': REPORTS,
	'/u/[code]/index': NONE,
	'/u/[code]/dossiers': SHORTFALL,
	'/u/[code]/successors': COMPARE
} as const;

export type PageRoute = keyof typeof PAGE_VOCABULARIES;

/** The page's parameters the period picker's form keeps, with the comparison (`vs`). */
export function pickerKept(route: string | null): string[] {
	const vocabulary: object = PAGE_VOCABULARIES[route as PageRoute] ?? NONE;
	return ['vs', ...Object.keys(vocabulary).filter((name) => name !== 'page')];
}
