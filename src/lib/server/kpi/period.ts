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

/**
 * Rows `(unit_version_id, day, <measures>)` covering the period: `day` is a month's first day for
 * the whole months (read from `kpi_monthly`), the day itself at the edges (`kpi_daily`).
 * With `daily`, every row comes from `kpi_daily` (for series by day or week).
 */
export function periodRows(period: Period, daily = false): RawBuilder<unknown> {
	const measures = sql.raw(MEASURES.map((m) => `"${m.id}"`).join(', '));
	const days = (from: string, to: string) =>
		sql`SELECT unit_version_id, day, ${measures} FROM kpi_daily
			WHERE day BETWEEN CAST(${from} AS DATE) AND CAST(${to} AS DATE)`;
	if (daily) return days(period.from, period.to);
	const wholeFrom =
		period.from === firstOfMonth(period.from) ? period.from : addDays(lastOfMonth(period.from), 1);
	const wholeTo =
		period.to === lastOfMonth(period.to) ? period.to : addDays(firstOfMonth(period.to), -1);
	if (wholeFrom > wholeTo) return days(period.from, period.to);
	const parts = [
		sql`SELECT unit_version_id, month AS day, ${measures} FROM kpi_monthly
			WHERE month BETWEEN CAST(${wholeFrom} AS DATE) AND CAST(${firstOfMonth(wholeTo)} AS DATE)`
	];
	if (period.from < wholeFrom) parts.push(days(period.from, addDays(wholeFrom, -1)));
	if (wholeTo < period.to) parts.push(days(addDays(wholeTo, 1), period.to));
	return sql.join(parts, sql` UNION ALL `);
}
