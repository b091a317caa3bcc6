/**
 * The KPIs of a unit's subtree in a period grouped by procedure and by field (the Procedures page,
 * the monthly report's tables by field): each group's dossier volume and the four service KPIs a
 * reform team acts on, with the status and gap of the online-submission rate against the unit's
 * target (figures.ts).
 *
 * One grouped query over `dossier_facts`: the measures' conditions are read from MEASURES, never
 * re-typed, so each grouping adds up to the unit's KPIs (tested), and the fields and the whole
 * are counted by DuckDB's GROUPING SETS in the same scan, not summed again here.
 */
import type { DateRange } from '../../domain/periods';
import { sql, type Kysely } from 'kysely';
import { addDays } from '../../domain/dates';
import type { KpiFigure } from '../../domain/figures';
import { targetLevelOf, type OnlineLevel, type TargetLevel } from '../../domain/types';
import { PROCEDURE_KPIS, type ProcedureKpiId } from '../../domain/kpi-ids';
import { remember, versionOf, type DataVersion } from '../db/cache';
import { condition, DOSSIER_DEFINITIONS, MEASURES, type MeasureId } from './definitions';
import { kpiFigure } from './figures';
import { campaignTargets } from './targets';
import type { UnitVersionRef } from '../units/versions';
import type { Database } from '../db/schema';

export { PROCEDURE_KPIS, type ProcedureKpiId };

const DEFINITIONS = PROCEDURE_KPIS.map((id) => DOSSIER_DEFINITIONS.find((d) => d.id === id)!);

/** The measures the groups carry: the volume (every dossier received) and the KPIs' terms. */
export const GROUP_MEASURES: MeasureId[] = [
	...new Set<MeasureId>(['dossiers', ...DEFINITIONS.flatMap((d) => [d.numerator, d.denominator])])
];

export type GroupCounts = Record<MeasureId, number>;

/** The online-submission target the groups are held to: the campaign's, at the unit's level. */
export interface RankingTarget {
	value: number;
	level: TargetLevel;
	campaign: string;
}

/** Each KPI's figure; only the online-submission rate has a target (the ranking's). */
export type ProcedureKpis = Record<ProcedureKpiId, KpiFigure>;

export interface GroupFigures {
	/** Dossiers received in the period. */
	volume: number;
	/** The group's measures, which a report's table by field prints too. */
	counts: GroupCounts;
	kpis: ProcedureKpis;
}

export interface ProcedureGroup extends GroupFigures {
	code: string;
	name: string | null;
	field: string | null;
	/** The catalogue's level; a dossier may carry its own (dossier_facts uses that one). */
	online_level: OnlineLevel | null;
}

export interface FieldGroup extends GroupFigures {
	field: string | null;
	/** Procedures of the field with a dossier counted in the period. */
	procedures: number;
}

export interface ProcedureBreakdown {
	target: RankingTarget | null;
	/** By procedure code. */
	procedures: ProcedureGroup[];
	/** Every field, a procedure without one in the group of `field: null`. */
	fields: FieldGroup[];
	/** The whole subtree. */
	total: FieldGroup;
}

/** Counts of one grouping set, as the query returns them. */
interface GroupRow {
	code: string | null;
	field: string | null;
	/** GROUPING(code, field): 0 for a procedure row, 2 for a field row (code rolled up), 3 for the whole. */
	grouping: number;
	procedures: number;
}

const measureName = (id: MeasureId) => sql.id(id);

/** `column` on a day of the period (local wall-clock timestamps, period days inclusive). */
const onDayOf = (column: 'received_at' | 'completed_at', period: DateRange) =>
	sql`(${sql.ref(`f.${column}`)} >= CAST(${period.from} AS TIMESTAMP)
		AND ${sql.ref(`f.${column}`)} < CAST(${addDays(period.to, 1)} AS TIMESTAMP))`;

/**
 * The group measures by procedure, by field and over the whole subtree of one unit version:
 * received measures count the dossiers received in the period, completed ones those completed in
 * it, as the aggregates do (aggregates.ts `dailyCounts`).
 */
export async function groupedCounts(
	db: Kysely<Database>,
	unitVersionId: number,
	period: DateRange
): Promise<(GroupRow & { counts: GroupCounts })[]> {
	const received = onDayOf('received_at', period);
	const completed = onDayOf('completed_at', period);
	const counts = GROUP_MEASURES.map((id) => {
		const measure = MEASURES.find((m) => m.id === id)!;
		const inPeriod = measure.basis === 'received' ? received : completed;
		return sql`CAST(count(*) FILTER (WHERE ${inPeriod} AND ${condition(measure.when)}) AS INTEGER) AS ${measureName(id)}`;
	});
	// The catalogue's field joins under another name: the conditions name dossier_facts' columns
	// unqualified (online_level is in both).
	const { rows } = await sql<GroupRow & GroupCounts>`
		SELECT f.procedure_code AS code, catalogue_field AS field,
			CAST(GROUPING(f.procedure_code, catalogue_field) AS INTEGER) AS grouping,
			CAST(count(DISTINCT f.procedure_code) AS INTEGER) AS procedures,
			${sql.join(counts)}
		FROM dossier_facts f
		JOIN unit_closure c ON c.descendant_id = f.unit_version_id AND c.ancestor_id = ${unitVersionId}
		LEFT JOIN (SELECT code AS catalogue_code, field AS catalogue_field FROM procedures) p
			ON p.catalogue_code = f.procedure_code
		WHERE ${received} OR ${completed}
		GROUP BY GROUPING SETS ((f.procedure_code, catalogue_field), (catalogue_field), ())
		ORDER BY grouping, code, field`.execute(db);
	return rows.map((row) => ({
		code: row.code,
		field: row.field,
		grouping: row.grouping,
		procedures: row.procedures,
		counts: Object.fromEntries(GROUP_MEASURES.map((id) => [id, row[id]])) as GroupCounts
	}));
}

export async function rankingTarget(
	db: Kysely<Database>,
	unit: UnitVersionRef,
	period: DateRange
): Promise<RankingTarget | null> {
	const level = targetLevelOf(unit.level);
	const applied = (await campaignTargets(db, [unit.id], period)).get(unit.id) ?? [];
	const target = applied.find((t) => t.kpi === 'online_submission_rate' && t.level === level);
	return target ? { value: target.target, level, campaign: target.campaign } : null;
}

/** A group's figures: each KPI's counts, and the online-submission rate against the target. */
export function groupFigures(counts: GroupCounts, target: RankingTarget | null): GroupFigures {
	const kpis = Object.fromEntries(
		DEFINITIONS.map((d) => {
			const numerator = counts[d.numerator];
			const denominator = counts[d.denominator];
			const value = denominator === 0 ? null : numerator / denominator;
			const goal = d.id === 'online_submission_rate' ? (target?.value ?? null) : null;
			return [d.id, kpiFigure({ numerator, denominator, value, target: goal })];
		})
	) as ProcedureKpis;
	return { volume: counts.dossiers, counts, kpis };
}

/** A field (or the whole) without a dossier in the period: every count 0, no value. */
export function emptyGroup(field: string | null, target: RankingTarget | null): FieldGroup {
	const zeros = Object.fromEntries(GROUP_MEASURES.map((id) => [id, 0])) as GroupCounts;
	return { field, procedures: 0, ...groupFigures(zeros, target) };
}

/** The breakdown of a unit's subtree, remembered per data version (it changes only with an import). */
export async function procedureBreakdown(
	db: Kysely<Database>,
	unit: UnitVersionRef,
	period: DateRange,
	version?: DataVersion
): Promise<ProcedureBreakdown> {
	const key = `procedures|${await versionOf(db, version)}|${unit.id}|${period.from}|${period.to}`;
	return remember(db, key, async () => {
		const [rows, target, catalogue] = await Promise.all([
			groupedCounts(db, unit.id, period),
			rankingTarget(db, unit, period),
			sql<{
				code: string;
				name: string;
				online_level: OnlineLevel;
			}>`SELECT code, name, online_level FROM procedures`.execute(db)
		]);
		const names = new Map(catalogue.rows.map((p) => [p.code, p]));
		const whole = rows.find((r) => r.grouping === 3);
		return {
			target,
			procedures: rows
				.filter((r) => r.grouping === 0)
				.map((r) => ({
					code: r.code!,
					name: names.get(r.code!)?.name ?? null,
					field: r.field,
					online_level: names.get(r.code!)?.online_level ?? null,
					...groupFigures(r.counts, target)
				})),
			fields: rows
				.filter((r) => r.grouping === 2)
				.map((r) => ({
					field: r.field,
					procedures: r.procedures,
					...groupFigures(r.counts, target)
				})),
			total: whole
				? { field: null, procedures: whole.procedures, ...groupFigures(whole.counts, target) }
				: emptyGroup(null, target)
		};
	});
}

/**
 * Dossiers received per procedure code, over all time, in the subtrees of every version of
 * `unitCode` (every dossier when null): the `dossiers` measure, read through its condition like
 * every other figure, for the procedures catalogue. Remembered per data version.
 */
export async function dossiersByProcedure(
	db: Kysely<Database>,
	unitCode: string | null,
	version?: DataVersion
): Promise<Map<string, number>> {
	const key = `procedure-dossiers|${await versionOf(db, version)}|${unitCode ?? ''}`;
	return remember(db, key, async () => {
		const received = MEASURES.find((m) => m.id === 'dossiers')!;
		const subtree =
			unitCode === null
				? sql`true`
				: sql`unit_version_id IN (SELECT c.descendant_id FROM unit_closure c
					JOIN unit_versions own ON own.id = c.ancestor_id WHERE own.code = ${unitCode})`;
		const { rows } = await sql<{ code: string; dossiers: number }>`SELECT procedure_code AS code,
				CAST(count(*) FILTER (WHERE ${condition(received.when)}) AS INTEGER) AS dossiers
			FROM dossier_facts WHERE ${subtree} GROUP BY procedure_code`.execute(db);
		return new Map(rows.map((r) => [r.code, r.dossiers]));
	});
}
