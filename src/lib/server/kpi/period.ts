/**
 * Inclusive calendar periods (Asia/Ho_Chi_Minh dates as `YYYY-MM-DD`) and the aggregate rows that
 * cover one: whole months from `kpi_monthly`, the days at either edge from `kpi_daily`.
 */
import { sql, type RawBuilder } from 'kysely';
import { addDays, addYears, daysBetween } from '../../domain/dates';
import { MEASURES } from './definitions';

export interface Period {
	from: string;
	to: string;
}

/** The same number of days just before, and the same dates a year earlier (for deltas). */
export function comparablePeriods(period: Period): { previous: Period; yearEarlier: Period } {
	const length = daysBetween(period.from, period.to) + 1;
	return {
		previous: { from: addDays(period.from, -length), to: addDays(period.from, -1) },
		yearEarlier: { from: addYears(period.from, -1), to: addYears(period.to, -1) }
	};
}

const firstOfMonth = (iso: string) => `${iso.slice(0, 8)}01`;
const lastOfMonth = (iso: string) => addDays(firstOfMonth(addDays(firstOfMonth(iso), 32)), -1);

/** The whole months inside a period (first days of the first and last), and the edge days. */
export function splitMonths(period: Period): { months: Period | null; edges: Period[] } {
	const wholeFrom =
		period.from === firstOfMonth(period.from) ? period.from : addDays(lastOfMonth(period.from), 1);
	const wholeTo =
		period.to === lastOfMonth(period.to) ? period.to : addDays(firstOfMonth(period.to), -1);
	if (wholeFrom > wholeTo) return { months: null, edges: [period] };
	const edges: Period[] = [];
	if (period.from < wholeFrom) edges.push({ from: period.from, to: addDays(wholeFrom, -1) });
	if (wholeTo < period.to) edges.push({ from: addDays(wholeTo, 1), to: period.to });
	return { months: { from: wholeFrom, to: firstOfMonth(wholeTo) }, edges };
}

const measureList = () => sql.raw(MEASURES.map((m) => `"${m.id}"`).join(', '));

/**
 * Rows `(unit_version_id, day, <measures>)` covering the period: `day` is a month's first day for
 * the whole months (read from `kpi_monthly`), the day itself at the edges (`kpi_daily`).
 * With `daily`, every row comes from `kpi_daily` (for series by day or week).
 */
export function periodRows(period: Period, daily = false): RawBuilder<unknown> {
	const measures = measureList();
	const days = (p: Period) =>
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
export function subtreeRows(period: Period, owners: number[], daily = false): RawBuilder<unknown> {
	const measures = measureList();
	const ids = sql.join(owners);
	const days = (p: Period) =>
		sql`SELECT c.ancestor_id AS owner, d.day, ${sql.raw(MEASURES.map((m) => `d."${m.id}"`).join(', '))}
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
