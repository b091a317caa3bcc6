/**
 * The periods the dashboard offers (a month, a quarter, a year, a campaign, any range) as
 * inclusive `YYYY-MM-DD` ranges, and back: which kind a range is, so a URL with only `from` and
 * `to` (CONTRACT: /u/<code>?from=&to=) shows the picker and the title it was made with.
 */
import { addDays, addYears, daysBetween, isIsoDate } from './dates';
import { monthFirstDay, monthIndex, monthLastDay } from './months';

export interface DateRange {
	from: string;
	to: string;
}

/**
 * The periods the dashboard answers, the one rule every page, the API and the CLI apply (CONTRACT:
 * "two ISO dates between 2000-01-01 and 2100-12-31, from ≤ to; anything else is 400"). No
 * dossier is older than 2000 (the importers refuse one), and years like 9999 or 0001 only ever
 * came from mistakes and probes, which made month loops run away (issue 10).
 */
export const PERIOD_FIRST_DAY = '2000-01-01';
export const PERIOD_LAST_DAY = '2100-12-31';

/**
 * The longest period: ten years, the span of the longest plan a reform team reports against (the
 * master programme of state administrative reform 2021–2030, Resolution 76/NQ-CP). Longer periods
 * answer no question anyone asks and only make every page do more work.
 */
export const MAX_PERIOD_YEARS = 10;

/** What is wrong with a period; values are cut to 40 characters so an answer stays small. */
export type PeriodProblem =
	| { kind: 'missing' }
	| { kind: 'not_a_date'; field: 'from' | 'to'; value: string }
	| { kind: 'out_of_range'; field: 'from' | 'to'; value: string }
	| { kind: 'reversed'; from: string; to: string }
	| { kind: 'too_long'; from: string; to: string }
	/** The period picker's fields make no period (a month 2025-13, a quarter 5, no campaign). */
	| { kind: 'picker' }
	/** `campaign=<id>` names no campaign the user may choose (unknown, or not for his units). */
	| { kind: 'unknown_campaign' };

const shown = (value: string) => value.slice(0, 40);

/** A real `YYYY-MM-DD` day (text order is date order) from PERIOD_FIRST_DAY to PERIOD_LAST_DAY. */
const withinBounds = (day: string) => day >= PERIOD_FIRST_DAY && day <= PERIOD_LAST_DAY;

/** A day a period may start or end on: a real `YYYY-MM-DD` date within the bounds. */
export const isPeriodDay = (text: string) => isIsoDate(text) && withinBounds(text);

/** Null for a period the dashboard answers, else what is wrong with it (the first thing). */
export function periodProblem(from: string | null, to: string | null): PeriodProblem | null {
	if (!from || !to) return { kind: 'missing' };
	for (const [field, value] of [
		['from', from],
		['to', to]
	] as const) {
		if (!isIsoDate(value)) return { kind: 'not_a_date', field, value: shown(value) };
	}
	for (const [field, value] of [
		['from', from],
		['to', to]
	] as const) {
		if (!withinBounds(value)) return { kind: 'out_of_range', field, value };
	}
	if (from > to) return { kind: 'reversed', from, to };
	if (to >= addYears(from, MAX_PERIOD_YEARS)) return { kind: 'too_long', from, to };
	return null;
}

/** The problem in English, for the API's JSON and the CLI (pages say it in their language). */
export function describePeriodProblem(problem: PeriodProblem): string {
	switch (problem.kind) {
		case 'missing':
			return 'give both from and to (YYYY-MM-DD)';
		case 'not_a_date':
			return `${problem.field} is not a date YYYY-MM-DD: ${problem.value}`;
		case 'out_of_range':
			return `${problem.field} ${problem.value} is outside ${PERIOD_FIRST_DAY} to ${PERIOD_LAST_DAY}`;
		case 'reversed':
			return `from ${problem.from} is after to ${problem.to}`;
		case 'too_long':
			return `a period is at most ${MAX_PERIOD_YEARS} years: ${problem.from} to ${problem.to} is longer`;
		case 'picker':
			return 'the period chosen is not a month, quarter, year, campaign or range of dates';
		case 'unknown_campaign':
			return 'unknown campaign';
	}
}

export type PeriodShape =
	| { kind: 'month'; year: number; month: number }
	| { kind: 'quarter'; year: number; quarter: number }
	| { kind: 'year'; year: number }
	| { kind: 'custom' };

const pad = (n: number, width = 2) => String(n).padStart(width, '0');
const lastDay = (year: number, month: number) =>
	Number(monthLastDay(monthIndex(`${pad(year, 4)}-${pad(month)}`)).slice(8));

export function monthRange(year: number, month: number): DateRange {
	const index = monthIndex(`${pad(year, 4)}-${pad(month)}`);
	return { from: monthFirstDay(index), to: monthLastDay(index) };
}

export function quarterRange(year: number, quarter: number): DateRange {
	const first = (quarter - 1) * 3 + 1;
	return { from: monthRange(year, first).from, to: monthRange(year, first + 2).to };
}

export function yearRange(year: number): DateRange {
	return { from: `${pad(year, 4)}-01-01`, to: `${pad(year, 4)}-12-31` };
}

export function shapeOf({ from, to }: DateRange): PeriodShape {
	const [fy, fm, fd] = from.split('-').map(Number);
	const [ty, tm, td] = to.split('-').map(Number);
	if (fy !== ty || fd !== 1 || td !== lastDay(ty, tm)) return { kind: 'custom' };
	if (fm === tm) return { kind: 'month', year: fy, month: fm };
	if (fm === 1 && tm === 12) return { kind: 'year', year: fy };
	if ((fm - 1) % 3 === 0 && tm === fm + 2)
		return { kind: 'quarter', year: fy, quarter: (fm + 2) / 3 };
	return { kind: 'custom' };
}

/** `YYYY-MM` → its range; null for anything else. */
export function parseMonth(text: string): DateRange | null {
	const match = /^(\d{4})-(\d{2})$/.exec(text);
	if (!match) return null;
	const month = Number(match[2]);
	return month >= 1 && month <= 12 ? monthRange(Number(match[1]), month) : null;
}

/** The range of the same shape just before (the previous month, quarter, year, or as many days). */
export function previousRange(range: DateRange): DateRange {
	const shape = shapeOf(range);
	if (shape.kind === 'month') {
		return shape.month === 1
			? monthRange(shape.year - 1, 12)
			: monthRange(shape.year, shape.month - 1);
	}
	if (shape.kind === 'quarter') {
		return shape.quarter === 1
			? quarterRange(shape.year - 1, 4)
			: quarterRange(shape.year, shape.quarter - 1);
	}
	if (shape.kind === 'year') return yearRange(shape.year - 1);
	const days = daysBetween(range.from, range.to) + 1;
	return { from: addDays(range.from, -days), to: addDays(range.from, -1) };
}

/**
 * The period picker's GET form (`kind` with `month`, `quarter`+`year`, `year`, `campaign` or
 * `from`+`to`) as the canonical query it stands for: `from` and `to` always, `campaign` when a
 * campaign was chosen, other parameters kept. Null when the query is not a picker submission (no
 * picker `kind`); the problem when its fields make no period the dashboard answers
 * (periodProblem).
 */
export function canonicalQuery(
	params: URLSearchParams,
	campaigns: { id: number; starts_on: string; ends_on: string }[]
): { query: URLSearchParams } | { problem: PeriodProblem } | null {
	const kind = params.get('kind');
	if (kind === null || !PICKER_KINDS.has(kind)) return null;
	const yearText = params.get('year') ?? '';
	// Four digits only: Number() would also read `0x7d0`, `2e3` or ` 2024` as a year.
	const year = /^\d{4}$/.test(yearText) ? Number(yearText) : NaN;
	const firstYear = Number(PERIOD_FIRST_DAY.slice(0, 4));
	const lastYear = Number(PERIOD_LAST_DAY.slice(0, 4));
	if ((kind === 'year' || kind === 'quarter') && !(year >= firstYear && year <= lastYear)) {
		if (!/^\d+$/.test(yearText)) return { problem: { kind: 'picker' } };
		return { problem: { kind: 'out_of_range', field: 'from', value: shown(yearText) } };
	}
	let range: DateRange | null = null;
	let campaign: string | null = null;
	if (kind === 'month') range = parseMonth(params.get('month') ?? '');
	else if (kind === 'quarter') {
		const quarter = params.get('quarter') ?? '';
		if (/^[1-4]$/.test(quarter)) range = quarterRange(year, Number(quarter));
	} else if (kind === 'year') range = yearRange(year);
	else if (kind === 'campaign') {
		const chosen = campaigns.find((c) => String(c.id) === params.get('campaign'));
		if (chosen) {
			range = { from: chosen.starts_on, to: chosen.ends_on };
			campaign = String(chosen.id);
		}
	} else range = { from: params.get('from') ?? '', to: params.get('to') ?? '' };
	if (!range) return { problem: { kind: 'picker' } };
	const problem = periodProblem(range.from, range.to);
	if (problem) return { problem };
	const query = new URLSearchParams();
	query.set('from', range.from);
	query.set('to', range.to);
	if (campaign) query.set('campaign', campaign);
	for (const [key, value] of params) if (!PICKER_FIELDS.has(key)) query.append(key, value);
	return { query };
}

const PICKER_KINDS = new Set(['month', 'quarter', 'year', 'campaign', 'custom']);
const PICKER_FIELDS = new Set(['kind', 'month', 'quarter', 'year', 'campaign', 'from', 'to']);
