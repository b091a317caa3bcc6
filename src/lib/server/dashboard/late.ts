/**
 * The Late dossiers page (issue 6): the dossiers a reform team chases, in a unit's subtree —
 * those still open past their due date, and those completed late in the period — filterable by a
 * unit of the subtree and by procedure, a page of 50 at a time, with a ranking of the unit's
 * children by their late dossiers.
 *
 * Chasing is about units that can still act (issue 12): the list leads with the dossiers of units
 * that exist at the period's end, most overdue first, then those of units that ended (abolished
 * districts, merged communes) — shown, never hidden. Open dossiers are by default those received
 * in the period; `received=any` lists every dossier still open past due, whenever received.
 *
 * "Open" is counted at the end of the as-of day: the period's last day, or the last day with data
 * when that is earlier (dossiers cannot be known to be open after the last import). A dossier
 * received by then, due before then, and without a result by then is open: one completed later
 * was open at the end of a past period. Returned and withdrawn dossiers have no result and are
 * not open. "Completed late" is the complement of the on-time measure (kpi/definitions.ts):
 * completed in the period with a due date, and not by it, so these counts match on_time_rate.
 */
import type { DateRange } from '../../domain/periods';
import { sql, type Kysely, type RawBuilder } from 'kysely';
import { addDays } from '../../domain/dates';
import type { UnitLevel } from '../../domain/types';
import {
	LATE_KINDS,
	type LateKind,
	type LateRanking,
	type LateReceived,
	type LateState
} from '../../domain/url-params';
import { OutOfScope } from '../auth/scope';
import { measureCondition as measure } from '../kpi/definitions';
import { ratio } from '../kpi/report';
import { byLevelThenName } from '../units/levels';
import { overlaps } from '../units/validity';
import type { UnitVersionRef } from '../units/versions';
import { remember, type DataVersion } from '../db/cache';
import type { Database } from '../db/schema';

export { LATE_KINDS, type LateKind, type LateRanking, type LateReceived };
export const LATE_PER_PAGE = 50;

/** The page's filters and page number (domain/url-params.ts, `LATE`). */
export type LateQuery = LateState;

export interface LateDossier {
	dossier_code: string;
	procedure_code: string;
	procedure_name: string | null;
	unit_code: string;
	unit_name: string;
	/** The last day of the unit's version, when it ended before the period's end (else null). */
	unit_ended: string | null;
	received_at: string;
	due_at: string;
	/** For an open dossier, a result given after the as-of day, if any. */
	completed_at: string | null;
	/** Calendar days from the due day to the completion day (or the as-of day): 0 = the same day. */
	days_late: number;
}

export interface UnitOption {
	id: number;
	code: string;
	name: string;
	level: UnitLevel;
	valid_to: string | null;
	/** Depth below the page's unit (1 = a direct child). */
	depth: number;
	late: number;
}

/** A child of the page's unit, with the late dossiers of its subtree (under the procedure filter). */
export interface UnitLateness {
	id: number;
	code: string;
	name: string;
	level: UnitLevel;
	/** The last day of the unit, when it ended before the period's end; it has no page then. */
	ended: string | null;
	late: number;
	/** The dossiers the late ones are part of (LateView `shareOf`). */
	dossiers: number;
	/** late / dossiers; null without dossiers. */
	share: number | null;
	/** The earliest received of its late dossiers, and the most days one of them is late. */
	oldest_received: string | null;
	most_days_late: number | null;
}

export interface ProcedureOption {
	code: string;
	name: string | null;
	late: number;
}

export interface LateView {
	/** The day open dossiers are counted at the end of. */
	asOf: string;
	query: LateQuery;
	/** Per kind, the dossiers matching the unit and procedure filters. */
	counts: Record<LateKind, number>;
	rows: LateDossier[];
	page: number;
	pages: number;
	perPage: number;
	/** Units of the subtree with late dossiers of the kind shown (and the chosen unit), in tree order. */
	units: UnitOption[];
	procedures: ProcedureOption[];
	/** The page's unit's children by their late dossiers, in the order `query.by`. */
	ranking: UnitLateness[];
}

/** The day open dossiers are counted at: the period's end, or the last data day if earlier. */
export function asOfDay(period: DateRange, lastDataDay: string | null): string {
	return lastDataDay !== null && lastDataDay < period.to ? lastDataDay : period.to;
}

/**
 * The dossiers a list's late ones are a share of (the ranking's denominator), and which of them
 * are late: open lists count the dossiers received in the period (or, for `any`, every dossier
 * open at the end of the as-of day); completed lists the completions with a due date in the
 * period, as the on-time rate does.
 */
function listConditions(kind: LateKind, received: LateReceived, period: DateRange, asOf: string) {
	const end = sql`CAST(${addDays(asOf, 1)} AS TIMESTAMP)`;
	const openAtEnd = sql`received_at < ${end}
		AND ((completed_at IS NULL AND status IN ('received', 'processing')) OR completed_at >= ${end})`;
	if (kind === 'completed') {
		return {
			base: sql`completed_at >= CAST(${period.from} AS TIMESTAMP)
				AND completed_at < CAST(${addDays(period.to, 1)} AS TIMESTAMP)
				AND ${measure('completed_with_due')}`,
			late: sql`NOT ${measure('completed_on_time')}`
		};
	}
	const lateOpen = sql`due_at < ${end} AND ${openAtEnd}`;
	return received === 'any'
		? { base: openAtEnd, late: sql`due_at < ${end}` }
		: {
				base: sql`received_at >= CAST(${period.from} AS TIMESTAMP) AND received_at < ${end}`,
				late: lateOpen
			};
}

const inSubtree = (scopeId: number) =>
	sql`unit_version_id IN (SELECT descendant_id FROM unit_closure WHERE ancestor_id = ${scopeId})`;

/**
 * The late dossiers of one list in the subtree of `scopeId`, with `days_late`: a derived table
 * over `late_candidates` (kpi/aggregates.ts: every dossier late at some moment, one in eighteen)
 * whose columns the MEASURES conditions name directly.
 */
function lateDossiers(
	kind: LateKind,
	received: LateReceived,
	scopeId: number,
	period: DateRange,
	asOf: string
) {
	const { base, late } = listConditions(kind, received, period, asOf);
	const lateDay = kind === 'open' ? sql`CAST(${asOf} AS DATE)` : sql`CAST(completed_at AS DATE)`;
	return sql`SELECT dossier_code, procedure_code, unit_version_id, received_at, due_at, completed_at,
			date_diff('day', CAST(due_at AS DATE), ${lateDay}) AS days_late
		FROM late_candidates
		WHERE ${inSubtree(scopeId)} AND ${base} AND ${late}`;
}

/**
 * Per unit of the subtree of `scopeId` (as an ancestor), the dossiers the list's late ones are a
 * share of, under the procedure filter. Dossiers received in the period and completions with a
 * due date are the daily counts' `dossiers` and `completed_with_due` (kpi/aggregates.ts); only a
 * procedure filter, or every dossier open at a day's end, needs the dossiers themselves.
 */
function shareCounts(
	query: LateQuery,
	scopeId: number,
	period: DateRange,
	asOf: string
): RawBuilder<unknown> {
	const { list: kind, received } = query;
	const byAncestor = (source: RawBuilder<unknown>, counted: RawBuilder<unknown>) =>
		sql`SELECT up.ancestor_id AS id, ${counted} AS dossiers
			FROM (${source}) l JOIN unit_closure up ON up.descendant_id = l.unit_version_id
			WHERE ${filterSql(query, 'unit')}
			GROUP BY up.ancestor_id`;
	if (query.procedure === null && (kind === 'completed' || received === 'period')) {
		const column = kind === 'completed' ? sql`completed_with_due` : sql`dossiers`;
		const to = kind === 'completed' ? period.to : asOf;
		return byAncestor(
			sql`SELECT unit_version_id, ${column} AS n FROM kpi_daily
				WHERE ${inSubtree(scopeId)} AND day >= CAST(${period.from} AS DATE)
					AND day <= CAST(${to} AS DATE)`,
			sql`sum(l.n)`
		);
	}
	const { base } = listConditions(kind, received, period, asOf);
	return byAncestor(
		sql`SELECT procedure_code, unit_version_id FROM dossiers WHERE ${inSubtree(scopeId)} AND ${base}`,
		sql`count(*)`
	);
}

interface Filters {
	unit: number | null;
	procedure: string | null;
}

/** The filters over a late table aliased `l`; `skip` leaves one out (for that filter's options). */
function filterSql({ unit, procedure }: Filters, skip?: keyof Filters): RawBuilder<unknown> {
	const parts = [sql`true`];
	if (unit !== null && skip !== 'unit') {
		parts.push(sql`l.unit_version_id IN
			(SELECT descendant_id FROM unit_closure WHERE ancestor_id = ${unit})`);
	}
	if (procedure !== null && skip !== 'procedure') parts.push(sql`l.procedure_code = ${procedure}`);
	return sql.join(parts, sql` AND `);
}

/** A unit filter names a unit version of the page's subtree, or the page is not found. */
async function checkUnitFilter(db: Kysely<Database>, scopeId: number, unitId: number | null) {
	if (unitId === null) return;
	const { rows } = await sql`SELECT 1 FROM unit_closure
		WHERE ancestor_id = ${scopeId} AND descendant_id = ${unitId}`.execute(db);
	if (rows.length === 0) throw new OutOfScope();
}

/**
 * The page's view; with the request's data version it is remembered (db/cache.ts): its six
 * questions are answered once per version for every user who opens the same view.
 */
export async function lateView(
	db: Kysely<Database>,
	unit: UnitVersionRef,
	period: DateRange,
	lastDataDay: string | null,
	query: LateQuery,
	version?: DataVersion
): Promise<LateView> {
	if (version === undefined) return computeLateView(db, unit, period, lastDataDay, query);
	const key = `late|${version}|${unit.id}|${period.from}|${period.to}|${lastDataDay}|${JSON.stringify(query)}`;
	return remember(db, key, () => computeLateView(db, unit, period, lastDataDay, query));
}

async function computeLateView(
	db: Kysely<Database>,
	unit: UnitVersionRef,
	period: DateRange,
	lastDataDay: string | null,
	query: LateQuery
): Promise<LateView> {
	await checkUnitFilter(db, unit.id, query.unit);
	const asOf = asOfDay(period, lastDataDay);
	const late = (kind: LateKind) => lateDossiers(kind, query.received, unit.id, period, asOf);
	const { rows: countRows } = await sql<Record<LateKind, number>>`SELECT
		(SELECT count(*) FROM (${late('open')}) l WHERE ${filterSql(query)}) AS open,
		(SELECT count(*) FROM (${late('completed')}) l WHERE ${filterSql(query)}) AS completed`.execute(db);
	const counts = countRows[0];
	const pages = Math.max(1, Math.ceil(counts[query.list] / LATE_PER_PAGE));
	const page = Math.min(query.page, pages);
	const shown = late(query.list);
	const shares = shareCounts(query, unit.id, period, asOf);
	const [rows, units, procedures, ranking] = await Promise.all([
		listedDossiers(db, shown, query, period, LATE_PER_PAGE, (page - 1) * LATE_PER_PAGE),
		unitOptions(db, unit.id, shown, query),
		sql<ProcedureOption>`SELECT l.procedure_code AS code, any_value(p.name) AS name,
				count(*) AS late
			FROM (${shown}) l LEFT JOIN procedures p ON p.code = l.procedure_code
			WHERE ${filterSql(query, 'procedure')}
			GROUP BY l.procedure_code ORDER BY name, code`.execute(db),
		lateRanking(db, unit.id, shown, shares, query, period)
	]);
	return {
		asOf,
		query: { ...query, page },
		counts,
		rows,
		page,
		pages,
		perPage: LATE_PER_PAGE,
		units,
		procedures: procedures.rows,
		ranking
	};
}

/** The late dossiers of the list under the filters, in the list's order, `limit` from `offset`. */
async function listedDossiers(
	db: Kysely<Database>,
	shown: RawBuilder<unknown>,
	query: LateQuery,
	period: DateRange,
	limit: number,
	offset: number
): Promise<LateDossier[]> {
	const ended = sql`u.valid_to IS NOT NULL AND u.valid_to < CAST(${period.to} AS DATE)`;
	// Units that exist at the period's end first (they can act on it), then the most overdue.
	const { rows } = await sql<LateDossier>`SELECT l.dossier_code, l.procedure_code,
			p.name AS procedure_name, u.code AS unit_code, u.name AS unit_name,
			CASE WHEN ${ended} THEN u.valid_to END AS unit_ended, l.received_at, l.due_at,
			l.completed_at, l.days_late
		FROM (${shown}) l
		JOIN unit_versions u ON u.id = l.unit_version_id
		LEFT JOIN procedures p ON p.code = l.procedure_code
		WHERE ${filterSql(query)}
		ORDER BY ${ended}, l.days_late DESC, l.due_at, l.dossier_code
		LIMIT ${limit} OFFSET ${offset}`.execute(db);
	return rows;
}

export interface LateExport {
	rows: LateDossier[];
	/** The dossiers of the list: more than `rows` when the limit cut it. */
	total: number;
	limit: number;
	units: UnitOption[];
	procedures: ProcedureOption[];
}

/** The most dossiers an export of the late list holds (a note row says when more were cut). */
export const LATE_EXPORT_LIMIT = 50_000;

/**
 * Every dossier of the list the page shows (its kind and filters, all its pages), up to `limit`,
 * with the total: what the page's export writes.
 */
export async function lateRows(
	db: Kysely<Database>,
	unit: UnitVersionRef,
	period: DateRange,
	lastDataDay: string | null,
	query: LateQuery,
	limit = LATE_EXPORT_LIMIT
): Promise<LateExport> {
	const view = await lateView(db, unit, period, lastDataDay, { ...query, page: 1 });
	const shown = lateDossiers(query.list, query.received, unit.id, period, view.asOf);
	const rows = await listedDossiers(db, shown, query, period, limit, 0);
	const { units, procedures } = view;
	return { rows, total: view.counts[query.list], limit, units, procedures };
}

/**
 * The units below the page's unit holding late dossiers (counted over their subtrees, under the
 * procedure filter), and the chosen unit; each after its parent, siblings by level then name.
 */
async function unitOptions(
	db: Kysely<Database>,
	scopeId: number,
	shown: RawBuilder<unknown>,
	query: LateQuery
): Promise<UnitOption[]> {
	const { rows } = await sql<UnitOption & { parent_id: number | null }>`
		WITH counted AS (
			SELECT up.ancestor_id AS id, count(*) AS late
			FROM (${shown}) l JOIN unit_closure up ON up.descendant_id = l.unit_version_id
			WHERE ${filterSql(query, 'unit')}
			GROUP BY up.ancestor_id
		)
		SELECT u.id, u.code, u.name, u.level, u.valid_to, u.parent_id, s.depth,
			coalesce(counted.late, 0) AS late
		FROM unit_closure s JOIN unit_versions u ON u.id = s.descendant_id
		LEFT JOIN counted ON counted.id = u.id
		WHERE s.ancestor_id = ${scopeId} AND s.depth > 0
			AND (counted.late > 0 OR u.id = ${query.unit ?? -1})`.execute(db);
	const children = new Map<number | null, typeof rows>();
	for (const row of rows)
		children.set(row.parent_id, [...(children.get(row.parent_id) ?? []), row]);
	const ordered: UnitOption[] = [];
	const visit = (parentId: number) => {
		const siblings = (children.get(parentId) ?? []).sort(byLevelThenName);
		for (const { parent_id: _, ...option } of siblings) {
			ordered.push(option);
			visit(option.id);
		}
	};
	visit(scopeId);
	// The chosen unit without late dossiers may hang below units without any: it goes last.
	const placed = new Set(ordered.map((o) => o.id));
	for (const { parent_id: _, ...option } of rows) if (!placed.has(option.id)) ordered.push(option);
	return ordered;
}

/**
 * The page's unit's children, each with the late dossiers of its subtree and the dossiers they are
 * a share of (under the procedure filter; the unit filter is for the list below): the children
 * valid in the period, and any other child holding late dossiers (a district that ended, in the
 * list of every open dossier). Two grouped queries over the closure, whatever the number of units.
 */
async function lateRanking(
	db: Kysely<Database>,
	scopeId: number,
	shown: RawBuilder<unknown>,
	shares: RawBuilder<unknown>,
	query: LateQuery,
	period: DateRange
): Promise<UnitLateness[]> {
	const { rows } = await sql<UnitLateness>`
		WITH late AS (
			SELECT up.ancestor_id AS id, count(*) AS late, min(l.received_at) AS oldest_received,
				max(l.days_late) AS most_days_late
			FROM (${shown}) l JOIN unit_closure up ON up.descendant_id = l.unit_version_id
			WHERE ${filterSql(query, 'unit')}
			GROUP BY up.ancestor_id
		), counted AS (${shares})
		SELECT u.id, u.code, u.name, u.level,
			CASE WHEN u.valid_to IS NOT NULL AND u.valid_to < CAST(${period.to} AS DATE)
				THEN u.valid_to END AS ended,
			CAST(coalesce(late.late, 0) AS INTEGER) AS late,
			CAST(coalesce(counted.dossiers, 0) AS INTEGER) AS dossiers,
			late.oldest_received, late.most_days_late
		FROM unit_versions u
		LEFT JOIN late ON late.id = u.id
		LEFT JOIN counted ON counted.id = u.id
		WHERE u.parent_id = ${scopeId}
			AND (late.late > 0 OR ${overlaps('u', period)})`.execute(db);
	const ranked = rows.map((r) => ({ ...r, share: ratio(r.late, r.dossiers) }));
	return sortRanking(ranked, query.by);
}

/** Largest first (names A→Z); a share without dossiers last; ties by count, then by name. */
export function sortRanking(rows: UnitLateness[], by: LateRanking): UnitLateness[] {
	const byName = (a: UnitLateness, b: UnitLateness) =>
		a.name.localeCompare(b.name, 'vi') || a.code.localeCompare(b.code);
	const value = (r: UnitLateness): number | null =>
		by === 'count' ? r.late : by === 'share' ? r.share : r.most_days_late;
	return [...rows].sort((a, b) => {
		if (by === 'name') return byName(a, b);
		const x = value(a);
		const y = value(b);
		if (x === null || y === null) return x === y ? byName(a, b) : x === null ? 1 : -1;
		return y - x || b.late - a.late || byName(a, b);
	});
}
