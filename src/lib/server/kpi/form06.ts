/**
 * The official statistics table of the monthly report (issue 13): form 06 of Circular
 * 01/2020/TT-VPCP, "Tình hình, kết quả giải quyết TTHC", one row per procedure field of a unit's
 * subtree in a period, and a total row.
 *
 * Which dossiers a row counts: those the unit had to resolve during the period — received in it,
 * or carried over (received before it and without a result at its start). Each is then resolved
 * (a result in the period: early, on time or late, by the day of the result against the due day)
 * or still in progress at the period's end (within its deadline or overdue, as the Late page's
 * open-past-due: due before the end of the period's last day). So on every row:
 *   received = online + in person or by post + carried over = resolved + in progress,
 *   resolved = early + on time + late,   in progress = within + overdue.
 *
 * Returned and withdrawn dossiers carry no date of their return, so they cannot be placed in a
 * period: they are in no column (neither resolved nor in progress), and the README says so.
 */
import type { DateRange } from '../../domain/periods';
import { sql, type Kysely } from 'kysely';
import { addDays } from '../../domain/dates';
import type { Database } from '../db/schema';

export interface Form06Counts {
	/** Received total: online + in person or by post + carried over. */
	received: number;
	received_online: number;
	/** Received at the desk or by public post. */
	received_direct: number;
	/** Received before the period and without a result at its start. */
	carried_over: number;
	/** Resolved total: early + on time + late. */
	resolved: number;
	/** A result on a day before the due day. */
	resolved_early: number;
	/** A result on the due day, or no due date. */
	resolved_on_time: number;
	/** A result after the due day. */
	resolved_late: number;
	/** In progress at the period's end: within + overdue. */
	in_progress: number;
	in_progress_within: number;
	/** Due before the end of the period's last day, without a result. */
	in_progress_overdue: number;
}

export interface Form06Row extends Form06Counts {
	/** The procedure field; null for procedures the catalogue gives no field. */
	field: string | null;
}

export interface Form06 {
	rows: Form06Row[];
	total: Form06Counts;
}

export const FORM06_COLUMNS = [
	'received',
	'received_online',
	'received_direct',
	'carried_over',
	'resolved',
	'resolved_early',
	'resolved_on_time',
	'resolved_late',
	'in_progress',
	'in_progress_within',
	'in_progress_overdue'
] as const satisfies readonly (keyof Form06Counts)[];

/** Form 06 of the subtree of `unitVersionId` over `period`: fields A→Z, no field last. */
export async function form06(
	db: Kysely<Database>,
	unitVersionId: number,
	period: DateRange
): Promise<Form06> {
	const start = sql`CAST(${period.from} AS TIMESTAMP)`;
	const end = sql`CAST(${addDays(period.to, 1)} AS TIMESTAMP)`;
	const { rows } = await sql<Form06Row & { whole: number }>`
		WITH counted AS (
			SELECT p.field, d.channel,
				d.received_at >= ${start} AS new,
				d.completed_at IS NOT NULL AND d.completed_at < ${end} AS resolved,
				CAST(d.completed_at AS DATE) AS result_day, CAST(d.due_at AS DATE) AS due_day,
				d.due_at IS NOT NULL AND d.due_at < ${end} AS overdue
			FROM dossiers d
			JOIN unit_closure c ON c.descendant_id = d.unit_version_id AND c.ancestor_id = ${unitVersionId}
			LEFT JOIN procedures p ON p.code = d.procedure_code
			WHERE d.received_at < ${end}
				AND d.status NOT IN ('returned', 'withdrawn')
				-- Received in the period, or still without a result when it began.
				AND (d.received_at >= ${start} OR d.completed_at IS NULL OR d.completed_at >= ${start})
		)
		SELECT field, CAST(GROUPING(field) AS INTEGER) AS whole,
			CAST(count(*) AS INTEGER) AS received,
			CAST(count(*) FILTER (WHERE new AND channel = 'online') AS INTEGER) AS received_online,
			CAST(count(*) FILTER (WHERE new AND channel <> 'online') AS INTEGER) AS received_direct,
			CAST(count(*) FILTER (WHERE NOT new) AS INTEGER) AS carried_over,
			CAST(count(*) FILTER (WHERE resolved) AS INTEGER) AS resolved,
			CAST(count(*) FILTER (WHERE resolved AND result_day < due_day) AS INTEGER) AS resolved_early,
			CAST(count(*) FILTER (WHERE resolved AND (due_day IS NULL OR result_day = due_day))
				AS INTEGER) AS resolved_on_time,
			CAST(count(*) FILTER (WHERE resolved AND result_day > due_day) AS INTEGER) AS resolved_late,
			CAST(count(*) FILTER (WHERE NOT resolved) AS INTEGER) AS in_progress,
			CAST(count(*) FILTER (WHERE NOT resolved AND NOT overdue) AS INTEGER) AS in_progress_within,
			CAST(count(*) FILTER (WHERE NOT resolved AND overdue) AS INTEGER) AS in_progress_overdue
		FROM counted
		GROUP BY GROUPING SETS ((field), ())`.execute(db);
	const counts = (row: Form06Row): Form06Counts =>
		Object.fromEntries(FORM06_COLUMNS.map((c) => [c, row[c]])) as unknown as Form06Counts;
	const whole = rows.find((r) => r.whole === 1);
	return {
		rows: rows
			.filter((r) => r.whole === 0)
			.sort((a, b) =>
				a.field === null ? 1 : b.field === null ? -1 : a.field.localeCompare(b.field, 'vi')
			)
			.map((r) => ({ field: r.field, ...counts(r) })),
		total: whole
			? counts(whole)
			: (Object.fromEntries(FORM06_COLUMNS.map((c) => [c, 0])) as unknown as Form06Counts)
	};
}
