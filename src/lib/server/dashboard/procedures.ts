/**
 * The Procedures page (issue 6): for a unit's subtree in a period, each procedure's and each
 * field's dossier volume and the four service KPIs a reform team acts on, and "where to act" —
 * the procedures where the most dossiers would have to move online for the unit to reach its
 * online-submission target.
 *
 * The counts are the KPI engine's measures (kpi/definitions.ts) over `dossier_facts`, grouped by
 * procedure instead of by unit and day: the conditions are read from MEASURES, never re-typed, so
 * the per-procedure counts add up to the unit's KPIs (tested).
 */
import { sql, type Kysely } from 'kysely';
import { addDays } from '../../domain/dates';
import { targetLevelOf, type OnlineLevel, type TargetLevel } from '../../domain/types';
import {
	NO_FIELD,
	PROCEDURE_KPIS,
	PROCEDURE_SORTS,
	type ProcedureKpiId,
	type ProcedureSort,
	type ProcedureState,
	type SortDirection
} from '../../domain/url-params';
import { dataVersion, remember } from '../kpi/cache';
import { DOSSIER_DEFINITIONS, MEASURES, type MeasureId } from '../kpi/definitions';
import type { Period } from '../kpi/period';
import { targetStatus, type TargetStatus } from '../kpi/progress';
import { ratio } from '../kpi/report';
import { campaignTargets } from '../kpi/targets';
import type { UnitVersionRef } from '../kpi/units';

export { PROCEDURE_KPIS, type ProcedureKpiId };

const DEFINITIONS = PROCEDURE_KPIS.map((id) => DOSSIER_DEFINITIONS.find((d) => d.id === id)!);

/** The measures the page reads: the volume (every dossier received) and the KPIs' terms. */
const PAGE_MEASURES: MeasureId[] = [
	...new Set<MeasureId>(['dossiers', ...DEFINITIONS.flatMap((d) => [d.numerator, d.denominator])])
];

export type ProcedureCounts = Record<MeasureId, number>;

export interface ProcedureCountRow {
	code: string;
	name: string | null;
	field: string | null;
	/** The catalogue's level; a dossier may carry its own (dossier_facts uses that one). */
	online_level: OnlineLevel | null;
	counts: ProcedureCounts;
}

const measureName = (id: MeasureId) => sql.raw(`"${id}"`);

/** `column` on a day of the period (local wall-clock timestamps, period days inclusive). */
const onDayOf = (column: 'received_at' | 'completed_at', period: Period) =>
	sql`(f.${sql.raw(column)} >= CAST(${period.from} AS TIMESTAMP)
		AND f.${sql.raw(column)} < CAST(${addDays(period.to, 1)} AS TIMESTAMP))`;

/**
 * The page's measures per procedure over the dossiers of one unit version's subtree: received
 * measures count the dossiers received in the period, completed ones those completed in it, as
 * the aggregates do (aggregates.ts `dailyCounts`).
 */
export async function procedureCounts(
	db: Kysely<unknown>,
	unitVersionId: number,
	period: Period
): Promise<ProcedureCountRow[]> {
	const received = onDayOf('received_at', period);
	const completed = onDayOf('completed_at', period);
	const counts = PAGE_MEASURES.map((id) => {
		const measure = MEASURES.find((m) => m.id === id)!;
		const inPeriod = measure.basis === 'received' ? received : completed;
		return sql`count(*) FILTER (WHERE ${inPeriod} AND (${sql.raw(measure.when)})) AS ${measureName(id)}`;
	});
	// Counted before the catalogue is joined: the conditions name dossier_facts' columns unqualified.
	const { rows } = await sql<Omit<ProcedureCountRow, 'counts'> & ProcedureCounts>`
		SELECT f.code, p.name, p.field, p.online_level, f.* EXCLUDE (code)
		FROM (
			SELECT f.procedure_code AS code, ${sql.join(counts)}
			FROM dossier_facts f
			JOIN unit_closure c ON c.descendant_id = f.unit_version_id AND c.ancestor_id = ${unitVersionId}
			WHERE ${received} OR ${completed}
			GROUP BY f.procedure_code
		) f
		LEFT JOIN procedures p ON p.code = f.code
		ORDER BY f.code`.execute(db);
	return rows.map((row) => ({
		code: row.code,
		name: row.name,
		field: row.field,
		online_level: row.online_level,
		counts: Object.fromEntries(PAGE_MEASURES.map((id) => [id, row[id]])) as ProcedureCounts
	}));
}

/** Binary fractions of decimal targets (0.7 × 10 = 7.000000000000001) must not ask for one more. */
const EPSILON = 1e-6;

/**
 * How many more online dossiers a group needed for its online-submission rate to reach the
 * target with the same volume: `ceil(target × eligible) − online`, 0 when it is met.
 */
export function extraOnlineNeeded(online: number, eligible: number, target: number): number {
	return Math.max(0, Math.ceil(target * eligible - EPSILON) - online);
}

export interface Ratio {
	numerator: number;
	denominator: number;
	/** null when the denominator is 0 (DOMAIN.md: empty, not 0). */
	value: number | null;
}

export type ProcedureKpis = Record<ProcedureKpiId, Ratio>;

export function procedureKpis(counts: ProcedureCounts): ProcedureKpis {
	return Object.fromEntries(
		DEFINITIONS.map((d) => {
			const numerator = counts[d.numerator];
			const denominator = counts[d.denominator];
			return [d.id, { numerator, denominator, value: ratio(numerator, denominator) }];
		})
	) as ProcedureKpis;
}

/** The online-submission target the ranking uses: the campaign's, at the unit's target level. */
export interface RankingTarget {
	value: number;
	level: TargetLevel;
	campaign: string;
}

export async function rankingTarget(
	db: Kysely<unknown>,
	unit: UnitVersionRef,
	period: Period
): Promise<RankingTarget | null> {
	const level = targetLevelOf(unit.level);
	const applied = (await campaignTargets(db, [unit.id], period)).get(unit.id) ?? [];
	const target = applied.find((t) => t.kpi === 'online_submission_rate' && t.level === level);
	return target ? { value: target.target, level, campaign: target.campaign } : null;
}

/** The page's counts, remembered per data version: a period's answer changes only with an import. */
export async function cachedProcedureCounts(
	db: Kysely<unknown>,
	unit: UnitVersionRef,
	period: Period
): Promise<{ rows: ProcedureCountRow[]; target: RankingTarget | null }> {
	const key = `procedures|${await dataVersion(db)}|${unit.id}|${period.from}|${period.to}`;
	return remember(db, key, async () => {
		const [rows, target] = await Promise.all([
			procedureCounts(db, unit.id, period),
			rankingTarget(db, unit, period)
		]);
		return { rows, target };
	});
}

export { NO_FIELD, PROCEDURE_SORTS, type ProcedureSort, type SortDirection };
export const PROCEDURES_PER_PAGE = 50;
export const WHERE_TO_ACT_SIZE = 10;

/** The field, sort and page (domain/url-params.ts, `PROCEDURES`). */
export type ProcedureQuery = ProcedureState;

/** What the page shows of a group of dossiers (a procedure, a field, all of them). */
export interface Figures {
	volume: number;
	kpis: ProcedureKpis;
	/** null when no online-submission target applies in the period. */
	extra_online_needed: number | null;
	/** The online-submission rate against that target (null without one, or without a rate). */
	online_status: TargetStatus | null;
}

export type ProcedureRow = Omit<ProcedureCountRow, 'counts'> & Figures;

export interface FieldRow {
	field: string | null;
	procedures: number;
	volume: number;
	kpis: ProcedureKpis;
}

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

function sumCounts(rows: { counts: ProcedureCounts }[]): ProcedureCounts {
	const total = Object.fromEntries(PAGE_MEASURES.map((id) => [id, 0])) as ProcedureCounts;
	for (const row of rows) for (const id of PAGE_MEASURES) total[id] += row.counts[id];
	return total;
}

function figures(counts: ProcedureCounts, target: RankingTarget | null): Figures {
	const kpis = procedureKpis(counts);
	return {
		volume: counts.dossiers,
		kpis,
		extra_online_needed:
			target && extraOnlineNeeded(counts.eligible_online, counts.eligible, target.value),
		online_status: target && targetStatus(kpis.online_submission_rate.value, target.value)
	};
}

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

function fieldRows(rows: ProcedureCountRow[]): FieldRow[] {
	const groups = new Map<string | null, ProcedureCountRow[]>();
	for (const row of rows) groups.set(row.field, [...(groups.get(row.field) ?? []), row]);
	return [...groups]
		.map(([field, members]) => {
			const counts = sumCounts(members);
			return {
				field,
				procedures: members.length,
				volume: counts.dossiers,
				kpis: procedureKpis(counts)
			};
		})
		.sort((a, b) => b.volume - a.volume || (a.field ?? '').localeCompare(b.field ?? '', 'vi'));
}

export async function proceduresView(
	db: Kysely<unknown>,
	unit: UnitVersionRef,
	period: Period,
	query: ProcedureQuery
): Promise<ProceduresView> {
	const { rows, target } = await cachedProcedureCounts(db, unit, period);
	const chosen =
		query.field === null
			? rows
			: rows.filter((r) => (query.field === NO_FIELD ? r.field === null : r.field === query.field));
	const procedures: ProcedureRow[] = chosen.map(({ counts, ...procedure }) => ({
		...procedure,
		...figures(counts, target)
	}));
	const whereToAct = sortProcedures(
		procedures.filter((p) => (p.extra_online_needed ?? 0) > 0),
		'extra',
		'desc'
	).slice(0, WHERE_TO_ACT_SIZE);
	const total = procedures.length;
	const pages = Math.max(1, Math.ceil(total / PROCEDURES_PER_PAGE));
	const page = Math.min(query.page, pages);
	const start = (page - 1) * PROCEDURES_PER_PAGE;
	return {
		target,
		overall: { procedures: total, ...figures(sumCounts(chosen), target) },
		fields: fieldRows(rows),
		whereToAct,
		table: {
			rows: sortProcedures(procedures, query.sort, query.dir).slice(
				start,
				start + PROCEDURES_PER_PAGE
			),
			total,
			page,
			pages,
			perPage: PROCEDURES_PER_PAGE
		},
		query: { ...query, page }
	};
}
