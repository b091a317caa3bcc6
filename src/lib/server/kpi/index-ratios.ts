/**
 * The three ratios of the service index (Decision 766) that no KPI gives (domain/service-index.ts
 * `OWN_RATIO_IDS`), for a unit version's subtree in a period; the SQL of all three is here.
 *
 * - `resolved_on_time_or_not_due` (2.1): (completed in the period on time + open at its end and
 *   not yet due) / (completed in the period + open at its end). The completed part is the engine's
 *   measures (`completed`, `completed_with_due`, `completed_on_time`: a dossier completed without
 *   a due date had no deadline to miss, so it counts as on time); only the stock at the end is
 *   counted here. "Open at the end" is a stock, not a flow: received by the end of the period's
 *   last day (whenever before), not completed by then (completed later, or not yet), and not
 *   returned or withdrawn; "not yet due" means due after that moment, or never.
 * - `online_procedures_used` (3.2): the unit's online procedures (full or partial) with at least
 *   one dossier filed online in the period in its subtree / its online procedures.
 * - `fee_procedures_paid_online` (3.5b): its fee procedures with at least one dossier paid online
 *   in the period in its subtree / its fee procedures.
 * "The unit's procedures" are those its catalogue KPIs count (catalogue.ts `countedProcedures`).
 */
import { sql, type Kysely } from 'kysely';
import type { DateRange } from '../../domain/periods';
import type { OwnRatioId } from '../../domain/service-index';
import type { Database } from '../db/schema';
import { countedProcedures } from './catalogue';
import type { Counts } from './figures';
import type { MeasureTotals } from './measures';

export type OwnRatios = Record<OwnRatioId, Counts>;

/** The counts this module reads from the dossiers, per unit version (before adding the measures). */
export interface OwnCounts {
	open_at_end: number;
	open_not_due: number;
	online_procedures: number;
	online_procedures_used: number;
	fee_procedures: number;
	fee_procedures_paid_online: number;
}

const emptyCounts = (): OwnCounts => ({
	open_at_end: 0,
	open_not_due: 0,
	online_procedures: 0,
	online_procedures_used: 0,
	fee_procedures: 0,
	fee_procedures_paid_online: 0
});

/** For each of `unitVersionIds`, the counts over its subtree in the period (two queries). */
export async function ownCounts(
	db: Kysely<Database>,
	unitVersionIds: number[],
	period: DateRange
): Promise<Map<number, OwnCounts>> {
	const result = new Map(unitVersionIds.map((id) => [id, emptyCounts()]));
	if (unitVersionIds.length === 0) return result;
	const ids = sql.join(unitVersionIds);
	// Dossier times are Vietnam wall-clock timestamps: the period ends at the midnight after `to`.
	const start = sql`CAST(${period.from} AS DATE)`;
	const end = sql`(CAST(${period.to} AS DATE) + INTERVAL 1 DAY)`;
	const [stock, procedures] = await Promise.all([
		sql<{ unit_id: number; open_at_end: number; open_not_due: number }>`
			SELECT c.ancestor_id AS unit_id,
				CAST(count(*) AS INTEGER) AS open_at_end,
				CAST(count(*) FILTER (WHERE d.due_at IS NULL OR d.due_at >= ${end}) AS INTEGER) AS open_not_due
			FROM dossiers d JOIN unit_closure c ON c.descendant_id = d.unit_version_id
			WHERE c.ancestor_id IN (${ids}) AND d.received_at < ${end}
				AND (d.completed_at IS NULL OR d.completed_at >= ${end})
				AND d.status NOT IN ('returned', 'withdrawn')
			GROUP BY c.ancestor_id`.execute(db),
		sql<Omit<OwnCounts, 'open_at_end' | 'open_not_due'> & { unit_id: number }>`
			WITH ${countedProcedures(unitVersionIds, period)}, filed AS (
				SELECT c.ancestor_id AS unit_id, d.procedure_code,
					bool_or(d.channel = 'online') AS online,
					bool_or(d.fee_required AND d.paid_online) AS paid_online
				FROM dossiers d JOIN unit_closure c ON c.descendant_id = d.unit_version_id
				WHERE c.ancestor_id IN (${ids}) AND d.received_at >= ${start} AND d.received_at < ${end}
				GROUP BY ALL
			)
			SELECT p.unit_id,
				CAST(count(*) FILTER (WHERE p.online_level IN ('full', 'partial')) AS INTEGER)
					AS online_procedures,
				CAST(count(*) FILTER (WHERE p.online_level IN ('full', 'partial') AND f.online)
					AS INTEGER) AS online_procedures_used,
				CAST(count(*) FILTER (WHERE p.has_fee) AS INTEGER) AS fee_procedures,
				CAST(count(*) FILTER (WHERE p.has_fee AND f.paid_online) AS INTEGER)
					AS fee_procedures_paid_online
			FROM counted p LEFT JOIN filed f ON f.unit_id = p.unit_id AND f.procedure_code = p.code
			GROUP BY p.unit_id`.execute(db)
	]);
	for (const { unit_id, ...row } of stock.rows) Object.assign(result.get(unit_id)!, row);
	for (const { unit_id, ...row } of procedures.rows) Object.assign(result.get(unit_id)!, row);
	return result;
}

/** The three ratios from this module's counts and the engine's measure totals of the same unit. */
export function ownRatios(counts: OwnCounts, totals: MeasureTotals): OwnRatios {
	const completedWithoutDue = totals.completed - totals.completed_with_due;
	return {
		resolved_on_time_or_not_due: {
			numerator: totals.completed_on_time + completedWithoutDue + counts.open_not_due,
			denominator: totals.completed + counts.open_at_end
		},
		online_procedures_used: {
			numerator: counts.online_procedures_used,
			denominator: counts.online_procedures
		},
		fee_procedures_paid_online: {
			numerator: counts.fee_procedures_paid_online,
			denominator: counts.fee_procedures
		}
	};
}
