/**
 * A period checked against the one bound (domain/periods.ts, `DateRange`: inclusive
 * Asia/Ho_Chi_Minh dates as `YYYY-MM-DD`) and the aggregate rows that cover one: whole months from `kpi_monthly`, the days at either edge from `kpi_daily`.
 */
import { sql, type RawBuilder } from 'kysely';
import { monthFirstDay, monthIndex, monthLastDay } from '../../domain/months';
import {
	describePeriodProblem,
	periodProblem,
	type PeriodProblem,
	type DateRange
} from '../../domain/periods';
import { MEASURES } from './definitions';
import { KpiQueryError } from '../units/versions';

/** A period the dashboard does not answer (domain/periods.ts): 400, with the problem to word. */
export class PeriodError extends KpiQueryError {
	constructor(readonly problem: PeriodProblem) {
		super(describePeriodProblem(problem));
	}
}

/** `from` and `to` as given in a URL or on the command line, if they make a period in bounds. */
export function checkedPeriod(from: string | null, to: string | null): DateRange {
	const problem = periodProblem(from, to);
	if (problem) throw new PeriodError(problem);
	return { from: from!, to: to! };
}

/** The whole months inside a period (first days of the first and last), and the edge days. */
export function splitMonths(period: DateRange): { months: DateRange | null; edges: DateRange[] } {
	// Month numbers, not text: the whole months run from the first month starting inside the period
	// to the last month ending inside it.
	const fromMonth = monthIndex(period.from);
	const toMonth = monthIndex(period.to);
	const first = period.from === monthFirstDay(fromMonth) ? fromMonth : fromMonth + 1;
	const last = period.to === monthLastDay(toMonth) ? toMonth : toMonth - 1;
	if (first > last) return { months: null, edges: [period] };
	const edges: DateRange[] = [];
	if (first > fromMonth) edges.push({ from: period.from, to: monthLastDay(fromMonth) });
	if (last < toMonth) edges.push({ from: monthFirstDay(toMonth), to: period.to });
	return { months: { from: monthFirstDay(first), to: monthFirstDay(last) }, edges };
}

const measureList = (alias?: string) =>
	sql.join(MEASURES.map((m) => (alias ? sql.id(alias, m.id) : sql.id(m.id))));

/**
 * Rows `(unit_version_id, day, <measures>)` covering the period: `day` is a month's first day for
 * the whole months (read from `kpi_monthly`), the day itself at the edges (`kpi_daily`).
 * With `daily`, every row comes from `kpi_daily` (for series by day or week).
 */
export function periodRows(period: DateRange, daily = false): RawBuilder<unknown> {
	const measures = measureList();
	const days = (p: DateRange) =>
		sql`SELECT unit_version_id, day, ${measures} FROM kpi_daily
			WHERE day BETWEEN CAST(${p.from} AS DATE) AND CAST(${p.to} AS DATE)`;
	const { months, edges } = daily ? { months: null, edges: [period] } : splitMonths(period);
	const parts = edges.map(days);
	if (months) {
		parts.unshift(sql`SELECT unit_version_id, month AS day, ${measures} FROM kpi_monthly
			WHERE month BETWEEN CAST(${months.from} AS DATE) AND CAST(${months.to} AS DATE)`);
	}
	return sql.join(parts, sql` UNION ALL `);
}

/**
 * Rows `(owner, day, <measures>)`: the counts of the subtree of each of `owners` in the period —
 * whole months straight from `kpi_monthly_subtree`, edge days (or every day, with `daily`) from
 * `kpi_daily` through the closure table.
 */
export function subtreeRows(
	period: DateRange,
	owners: number[],
	daily = false
): RawBuilder<unknown> {
	const measures = measureList();
	const ids = sql.join(owners);
	const days = (p: DateRange) =>
		sql`SELECT c.ancestor_id AS owner, d.day, ${measureList('d')}
			FROM kpi_daily d JOIN unit_closure c ON c.descendant_id = d.unit_version_id
			WHERE c.ancestor_id IN (${ids})
			AND d.day BETWEEN CAST(${p.from} AS DATE) AND CAST(${p.to} AS DATE)`;
	const { months, edges } = daily ? { months: null, edges: [period] } : splitMonths(period);
	const parts = edges.map(days);
	if (months) {
		parts.unshift(sql`SELECT ancestor_id AS owner, month AS day, ${measures} FROM kpi_monthly_subtree
			WHERE ancestor_id IN (${ids})
			AND month BETWEEN CAST(${months.from} AS DATE) AND CAST(${months.to} AS DATE)`);
	}
	return sql.join(parts, sql` UNION ALL `);
}
