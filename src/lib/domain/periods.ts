/**
 * The periods the dashboard offers (a month, a quarter, a year, a campaign, any range) as
 * inclusive `YYYY-MM-DD` ranges, and back: which kind a range is, so a URL with only `from` and
 * `to` (CONTRACT: /u/<code>?from=&to=) shows the picker and the title it was made with.
 */
import { addDays, isIsoDate } from './dates';

export interface DateRange {
	from: string;
	to: string;
}

export type PeriodShape =
	| { kind: 'month'; year: number; month: number }
	| { kind: 'quarter'; year: number; quarter: number }
	| { kind: 'year'; year: number }
	| { kind: 'custom' };

const pad = (n: number) => String(n).padStart(2, '0');
const lastDay = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();

export function monthRange(year: number, month: number): DateRange {
	return {
		from: `${year}-${pad(month)}-01`,
		to: `${year}-${pad(month)}-${pad(lastDay(year, month))}`
	};
}

export function quarterRange(year: number, quarter: number): DateRange {
	const first = (quarter - 1) * 3 + 1;
	return { from: monthRange(year, first).from, to: monthRange(year, first + 2).to };
}

export function yearRange(year: number): DateRange {
	return { from: `${year}-01-01`, to: `${year}-12-31` };
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
	const days = (Date.parse(range.to) - Date.parse(range.from)) / 86_400_000 + 1;
	return { from: addDays(range.from, -days), to: addDays(range.from, -1) };
}

export const isRange = (from: string, to: string) => isIsoDate(from) && isIsoDate(to) && from <= to;

/**
 * The period picker's GET form (`kind` with `month`, `quarter`+`year`, `year`, `campaign` or
 * `from`+`to`) as the canonical query it stands for: `from` and `to` always, `campaign` when a
 * campaign was chosen, other parameters kept. Null when the query is not a picker submission or
 * its fields do not make a period (the page then says what is wrong with from/to).
 */
export function canonicalQuery(
	params: URLSearchParams,
	campaigns: { id: number; starts_on: string; ends_on: string }[]
): URLSearchParams | null {
	const kind = params.get('kind');
	if (kind === null) return null;
	const year = Number(params.get('year'));
	let range: DateRange | null = null;
	let campaign: string | null = null;
	if (kind === 'month') range = parseMonth(params.get('month') ?? '');
	else if (kind === 'quarter' && Number.isInteger(year)) {
		const quarter = Number(params.get('quarter'));
		if (quarter >= 1 && quarter <= 4) range = quarterRange(year, quarter);
	} else if (kind === 'year' && Number.isInteger(year) && year > 1900) range = yearRange(year);
	else if (kind === 'campaign') {
		const chosen = campaigns.find((c) => String(c.id) === params.get('campaign'));
		if (chosen) {
			range = { from: chosen.starts_on, to: chosen.ends_on };
			campaign = String(chosen.id);
		}
	} else if (kind === 'custom') {
		const from = params.get('from') ?? '';
		const to = params.get('to') ?? '';
		if (isRange(from, to)) range = { from, to };
	}
	if (!range) return null;
	const query = new URLSearchParams();
	query.set('from', range.from);
	query.set('to', range.to);
	if (campaign) query.set('campaign', campaign);
	const picker = new Set(['kind', 'month', 'quarter', 'year', 'campaign', 'from', 'to']);
	for (const [key, value] of params) if (!picker.has(key)) query.append(key, value);
	return query;
}
