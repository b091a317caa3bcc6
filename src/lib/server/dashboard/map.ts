/**
 * The map page's figures (issue 6): one KPI for every commune of a unit's subtree, to colour the
 * commune polygons of static/geo/ (the communes formed on 1 July 2025, matched by code). The map
 * exists only for periods from that day on: before it, the units were other communes under
 * districts, and no polygons of them are provided (data README). Then, and for a subtree without
 * such communes (a department), the page gets the comparison of the unit's children instead.
 *
 * Only communes the principal may see carry figures (auth/scope.ts); every other polygon stays
 * grey and empty on the page.
 */
import type { DateRange } from '../../domain/periods';
import { sql, type Kysely } from 'kysely';
import type { KpiId } from '../../domain/kpi-ids';
import type { Principal, UnitLevel } from '../../domain/types';
import { inScope, scopeOf } from '../auth/scope';
import type { TargetStatus } from '../../domain/figures';
import { kpiFigure } from '../kpi/figures';
import { kpiReport, unitKpis, type KpiReport, type KpiValue } from '../kpi/report';
import { overlaps } from '../units/validity';
import { type UnitVersionRef } from '../units/versions';
import { versionOf, type DataVersion } from '../db/cache';
import type { Database } from '../db/schema';

/** The first day the commune polygons describe (the 2025 reorganisation). */
export const COMMUNE_MAP_FROM = '2025-07-01';

/** The commune polygons in static/geo/ for each province code (see the README there). */
export const COMMUNE_POLYGONS: Record<string, string> = { '42': 'ha-tinh-communes-2025.geojson' };

export interface UnitFigure extends KpiValue {
	code: string;
	name: string;
	level: UnitLevel;
	/** Against the target that applies to this unit; null without a target or a value. */
	status: TargetStatus | null;
}

/** Why the page shows a table rather than the map. */
export type NoMapReason = 'period' | 'no_communes' | 'no_polygons';

export type CommuneMap =
	| {
			kind: 'map';
			kpi: KpiId;
			/** The file in static/geo/ with the province's commune polygons. */
			polygons: string;
			/** The unit's whole subtree. */
			total: UnitFigure;
			/** The communes in the subtree and in scope, by name. */
			communes: UnitFigure[];
			/** The one target the communes share, for the legend; null when none or several. */
			target: number | null;
			statusCounts: Record<TargetStatus | 'none', number>;
	  }
	| {
			kind: 'children';
			kpi: KpiId;
			reason: NoMapReason;
			total: UnitFigure;
			/** The unit's direct children valid in the period, in scope, by level then name. */
			children: UnitFigure[];
	  };

export function unitFigure(
	unit: { code: string; name: string; level: UnitLevel },
	kpi: KpiValue
): UnitFigure {
	return {
		code: unit.code,
		name: unit.name,
		level: unit.level,
		numerator: kpi.numerator,
		denominator: kpi.denominator,
		value: kpi.value,
		target: kpi.target,
		status: kpiFigure(kpi).status
	};
}

/** The commune versions of the subtree valid during the period (the unit itself included). */
async function subtreeCommunes(
	db: Kysely<Database>,
	unitVersionId: number,
	period: DateRange
): Promise<UnitVersionRef[]> {
	const { rows } = await sql<UnitVersionRef>`SELECT u.id, u.code, u.name, u.level,
			u.valid_from, u.valid_to
		FROM unit_closure c JOIN unit_versions u ON u.id = c.descendant_id
		WHERE c.ancestor_id = ${unitVersionId} AND u.level = 'commune'
			AND ${overlaps('u', period)}`.execute(db);
	return rows.sort((a, b) => a.name.localeCompare(b.name, 'vi') || a.code.localeCompare(b.code));
}

/** The code of the root of the unit's tree (its province). */
async function provinceCode(db: Kysely<Database>, unitVersionId: number): Promise<string> {
	const { rows } = await sql<{ code: string }>`SELECT u.code
		FROM unit_closure c JOIN unit_versions u ON u.id = c.ancestor_id
		WHERE c.descendant_id = ${unitVersionId} ORDER BY c.depth DESC LIMIT 1`.execute(db);
	return rows[0].code;
}

async function visibleOnly<T extends { id: number }>(
	db: Kysely<Database>,
	principal: Principal,
	units: T[],
	version: DataVersion
): Promise<T[]> {
	const scope = await scopeOf(db, principal, version);
	return units.filter((u) => inScope(scope, u.id));
}

/** The report's children the principal may see (the report names them by code only). */
async function visibleChildren(
	db: Kysely<Database>,
	principal: Principal,
	unit: UnitVersionRef,
	period: DateRange,
	report: KpiReport,
	version: DataVersion
): Promise<KpiReport['children']> {
	const { rows } = await sql<{ id: number; code: string }>`SELECT id, code FROM unit_versions u
		WHERE parent_id = ${unit.id} AND ${overlaps('u', period)}`.execute(db);
	const visible = new Set((await visibleOnly(db, principal, rows, version)).map((r) => r.code));
	// A code shared by a visible and a hidden child in one period is left out: it cannot be told apart.
	const hidden = new Set(rows.filter((r) => !visible.has(r.code)).map((r) => r.code));
	return report.children.filter((c) => visible.has(c.unit.code) && !hidden.has(c.unit.code));
}

export async function communeMap(
	db: Kysely<Database>,
	principal: Principal,
	unit: UnitVersionRef,
	period: DateRange,
	kpi: KpiId,
	/** The request's data version (UnitContext); looked up here when not given. */
	dataVersion?: DataVersion
): Promise<CommuneMap> {
	const version = await versionOf(db, dataVersion);
	const [report, province] = await Promise.all([
		kpiReport(db, unit.code, period, version),
		provinceCode(db, unit.id)
	]);
	const total = unitFigure(unit, report.kpis[kpi]);
	const polygons = COMMUNE_POLYGONS[province] ?? null;
	const communes =
		period.from < COMMUNE_MAP_FROM
			? []
			: await visibleOnly(db, principal, await subtreeCommunes(db, unit.id, period), version);
	if (communes.length === 0 || polygons === null) {
		const reason: NoMapReason =
			period.from < COMMUNE_MAP_FROM
				? 'period'
				: communes.length === 0
					? 'no_communes'
					: 'no_polygons';
		const children = await visibleChildren(db, principal, unit, period, report, version);
		return {
			kind: 'children',
			kpi,
			reason,
			total,
			children: children.map((c) => unitFigure(c.unit, c.kpis[kpi]))
		};
	}
	// The report has the unit and its direct children; a commune deeper down is asked on its own.
	const known = new Map(report.children.map((c) => [c.unit.code, c.kpis[kpi]]));
	known.set(unit.code, report.kpis[kpi]);
	const figures = await Promise.all(
		communes.map(async (c) =>
			unitFigure(c, known.get(c.code) ?? (await unitKpis(db, c, period, version))[kpi])
		)
	);
	return { kind: 'map', kpi, polygons, total, ...communeFigures(figures) };
}

/** The communes' figures as the map shows them: the legend's one target, the counts per status. */
export function communeFigures(
	figures: UnitFigure[]
): Pick<Extract<CommuneMap, { kind: 'map' }>, 'communes' | 'target' | 'statusCounts'> {
	const targets = new Set(figures.map((f) => f.target));
	const statusCounts = { met: 0, close: 0, below: 0, none: 0 };
	for (const f of figures) statusCounts[f.status ?? 'none'] += 1;
	return {
		communes: figures,
		target: targets.size === 1 ? [...targets][0] : null,
		statusCounts
	};
}

/** The commune polygons of the province the unit version belongs to; null where none are provided. */
export async function polygonsOf(
	db: Kysely<Database>,
	unitVersionId: number
): Promise<string | null> {
	return COMMUNE_POLYGONS[await provinceCode(db, unitVersionId)] ?? null;
}
