/**
 * The Procedures page (issue 6): for a unit's subtree in a period, each procedure's and each
 * field's dossier volume and the four service KPIs a reform team acts on, and "where to act" —
 * the procedures where the most dossiers would have to move online for the unit to reach its
 * online-submission target.
 *
 * Every figure is the engine's (kpi/procedures.ts: one grouped query by procedure and by field,
 * with each group's status and gap from kpi/figures.ts); this module only chooses, sorts and
 * pages the groups.
 */
import type { DateRange } from '../../domain/periods';
import type { Kysely } from 'kysely';
import type { TargetStatus } from '../../domain/figures';
import {
	NO_FIELD,
	PROCEDURE_SORTS,
	type ProcedureSort,
	type ProcedureState,
	type SortDirection
} from '../../domain/url-params';
import {
	emptyGroup,
	PROCEDURE_KPIS,
	procedureBreakdown,
	type FieldGroup,
	type GroupFigures,
	type ProcedureGroup,
	type ProcedureKpiId,
	type ProcedureKpis,
	type RankingTarget
} from '../kpi/procedures';
import type { UnitVersionRef } from '../units/versions';
import type { DataVersion } from '../db/cache';
import type { Database } from '../db/schema';

export { PROCEDURE_KPIS, type ProcedureKpiId, type ProcedureKpis, type RankingTarget };

export { NO_FIELD, PROCEDURE_SORTS, type ProcedureSort, type SortDirection };
export const PROCEDURES_PER_PAGE = 50;
export const WHERE_TO_ACT_SIZE = 10;

/** The field, sort and page (domain/url-params.ts, `PROCEDURES`). */
export type ProcedureQuery = ProcedureState;

/** What the page shows of a group of dossiers (a procedure, a field, all of them). */
export interface Figures extends GroupFigures {
	/**
	 * The online dossiers missing for the online-submission rate to reach the target (its gap);
	 * null when no target applies in the period or the group has no eligible dossier.
	 */
	extra_online_needed: number | null;
	/** The online-submission rate against that target (null without one, or without a rate). */
	online_status: TargetStatus | null;
}

export type ProcedureRow = Omit<ProcedureGroup, keyof GroupFigures> & Figures;

export type FieldRow = FieldGroup;

export interface ProceduresView {
	target: RankingTarget | null;
	/** The procedures of the chosen field (all of them without one) taken together. */
	overall: Figures & { procedures: number };
	/** Every field, busiest first (not narrowed by the chosen field: it is how one is chosen). */
	fields: FieldRow[];
	whereToAct: ProcedureRow[];
	table: { rows: ProcedureRow[]; total: number; page: number; pages: number; perPage: number };
	query: ProcedureQuery;
}

/** The engine's figures, with the online-submission rate's gap and status named for the page. */
const withOnline = <T extends GroupFigures>(group: T): T & Omit<Figures, keyof GroupFigures> => ({
	...group,
	extra_online_needed: group.kpis.online_submission_rate.gap,
	online_status: group.kpis.online_submission_rate.status
});

/** Busiest first, then by code, so equal values keep one order from page to page. */
const byVolume = (a: ProcedureRow, b: ProcedureRow) =>
	b.volume - a.volume || a.code.localeCompare(b.code);

function sortValue(row: ProcedureRow, sort: ProcedureSort): number | null {
	if (sort === 'volume') return row.volume;
	if (sort === 'extra') return row.extra_online_needed;
	if (sort === 'name') return null;
	return row.kpis[sort].value;
}

/** Rows sorted by the chosen column; an empty rate sorts last whichever the direction. */
export function sortProcedures(
	rows: ProcedureRow[],
	sort: ProcedureSort,
	dir: SortDirection
): ProcedureRow[] {
	const sign = dir === 'asc' ? 1 : -1;
	return [...rows].sort((a, b) => {
		if (sort === 'name') {
			const byName = (a.name ?? a.code).localeCompare(b.name ?? b.code, 'vi');
			return sign * (byName || a.code.localeCompare(b.code));
		}
		const x = sortValue(a, sort);
		const y = sortValue(b, sort);
		if (x === null || y === null) return x === y ? byVolume(a, b) : x === null ? 1 : -1;
		return sign * (x - y) || byVolume(a, b);
	});
}

export async function proceduresView(
	db: Kysely<Database>,
	unit: UnitVersionRef,
	period: DateRange,
	query: ProcedureQuery,
	/** The request's data version (UnitContext); looked up when not given. */
	version?: DataVersion,
	/** Rows per page of the table; an export asks for all of them on one page. */
	perPage = PROCEDURES_PER_PAGE
): Promise<ProceduresView> {
	const breakdown = await procedureBreakdown(db, unit, period, version);
	const field = query.field === NO_FIELD ? null : query.field;
	const inField = <T extends { field: string | null }>(g: T) =>
		query.field === null || g.field === field;
	const procedures: ProcedureRow[] = breakdown.procedures.filter(inField).map(withOnline);
	// The chosen field's own group (the engine counted it), or the whole without one.
	const overall =
		query.field === null
			? breakdown.total
			: (breakdown.fields.find(inField) ?? emptyGroup(field, breakdown.target));
	const whereToAct = sortProcedures(
		procedures.filter((p) => (p.extra_online_needed ?? 0) > 0),
		'extra',
		'desc'
	).slice(0, WHERE_TO_ACT_SIZE);
	const total = procedures.length;
	const pages = Math.max(1, Math.ceil(total / perPage));
	const page = Math.min(query.page, pages);
	const start = (page - 1) * perPage;
	return {
		target: breakdown.target,
		overall: withOnline(overall),
		fields: [...breakdown.fields].sort(
			(a, b) => b.volume - a.volume || (a.field ?? '').localeCompare(b.field ?? '', 'vi')
		),
		whereToAct,
		table: {
			rows: sortProcedures(procedures, query.sort, query.dir).slice(start, start + perPage),
			total,
			page,
			pages,
			perPage
		},
		query: { ...query, page }
	};
}
