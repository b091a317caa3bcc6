/**
 * The comparison of a unit's children (issue 6, /u/<code>/compare): every KPI of each child valid
 * in the period, its status against the child's own target, its change against the comparison
 * period, and its rank for one KPI. District heads compare their communes with each other
 * (DOMAIN.md: who uses it); the ranking answers "which units pull the province down".
 *
 * URL: `kpi=<id>` (the ranked KPI, default the headline KPI), `sort=<kpi id>|name` and
 * `dir=asc|desc` (default: the ranked KPI, best first), read by `COMPARE` (domain/url-params.ts). Sorting is done here so that the page
 * works without JavaScript and a copied URL shows the same order.
 */
import { sql, type Kysely } from 'kysely';
import type { DateRange } from '../../domain/periods';
import { KPI_IDS, type KpiId } from '../../domain/kpi-ids';
import type { CompareState, SortDirection } from '../../domain/url-params';
import { targetLevelOf, type TargetLevel, type UnitLevel } from '../../domain/types';
import { remember, versionOf, type DataVersion } from '../db/cache';
import { catalogueCounts, sumLevels } from '../kpi/catalogue';
import { emptyTotals, subtreeBreakdown } from '../kpi/measures';
import type { TargetStatus } from '../../domain/figures';
import { kpiFigure } from '../kpi/figures';
import { kpiValues, type KpiValues } from '../kpi/report';
import { campaignTargets } from '../kpi/targets';
import { byLevelThenName } from '../units/levels';
import { overlaps } from '../units/validity';
import { childrenOf, type UnitVersionRef } from '../units/versions';
import type { Database } from '../db/schema';

export type SortKey = CompareState['sort'];
export type { SortDirection };

/** The ranked KPI, the sort column and direction (domain/url-params.ts, `COMPARE`). */
export type CompareQuery = CompareState;

export interface ChildComparison {
	unit: {
		code: string;
		name: string;
		level: UnitLevel;
		valid_from: string | null;
		valid_to: string | null;
	};
	/** The days of the period the child existed, when that is not the whole period. */
	partial: DateRange | null;
	/** Whether it has children of its own in the period (drill down to its comparison). */
	hasChildren: boolean;
	kpis: KpiValues;
	/** Against the child's own target (its target level); absent where no target applies. */
	status: Partial<Record<KpiId, TargetStatus>>;
	/** False when the child did not exist in the comparison period: no change to show. */
	existedThen: boolean;
	/**
	 * The printed value now minus the printed value then (a fraction: 0.021 is 2.1 percentage
	 * points, kpi/figures.ts); null if either is empty.
	 */
	change: Record<KpiId, number | null>;
	/** Rank for the chosen KPI, 1 = highest; equal values share a rank; null without a value. */
	rank: number | null;
}

export interface ChildrenComparison extends CompareQuery {
	children: ChildComparison[];
	/** The distinct targets of the chosen KPI among the children (one per target level). */
	targets: { level: TargetLevel; target: number }[];
}

interface ComparedFrame {
	period: DateRange;
	comparison: { period: DateRange };
	/** The request's data version (UnitContext); looked up here when not given. */
	dataVersion?: DataVersion;
}

interface Frame extends ComparedFrame {
	unit: UnitVersionRef;
}

/** Units compared together, with the ancestor of all of them their figures are read under. */
interface UnitGroup {
	ancestorId: number;
	units: UnitVersionRef[];
}

export async function compareChildren(
	db: Kysely<Database>,
	frame: Frame,
	query: CompareQuery
): Promise<ChildrenComparison> {
	const children = await childrenOf(db, frame.unit, frame.period);
	return compareGroups(db, [{ ancestorId: frame.unit.id, units: children }], frame, query);
}

/**
 * Any units side by side, as the children are (issue 12: the communes a dissolved district
 * became, which are not the children of one unit); each under its own parent.
 */
export async function compareUnits(
	db: Kysely<Database>,
	units: UnitVersionRef[],
	frame: ComparedFrame,
	query: CompareQuery
): Promise<ChildrenComparison> {
	const parents = new Map<number, number>();
	if (units.length > 0) {
		const { rows } = await sql<{ id: number; ancestor: number }>`SELECT id,
				coalesce(parent_id, id) AS ancestor
			FROM unit_versions WHERE id IN (${sql.join(units.map((u) => u.id))})`.execute(db);
		for (const row of rows) parents.set(row.id, row.ancestor);
	}
	const groups = new Map<number, UnitVersionRef[]>();
	for (const unit of units) {
		const ancestorId = parents.get(unit.id)!;
		groups.set(ancestorId, [...(groups.get(ancestorId) ?? []), unit]);
	}
	const list = [...groups].map(([ancestorId, members]) => ({ ancestorId, units: members }));
	return compareGroups(db, list, frame, query);
}

async function compareGroups(
	db: Kysely<Database>,
	groups: UnitGroup[],
	frame: ComparedFrame,
	query: CompareQuery
): Promise<ChildrenComparison> {
	const { period } = frame;
	const then = frame.comparison.period;
	const children = groups.flatMap((g) => g.units).sort(byLevelThenName);
	const version = await versionOf(db, frame.dataVersion);
	const kpisOf = async (p: DateRange, existing: (u: UnitVersionRef) => boolean) => {
		const maps = await Promise.all(
			groups.map((g) => childKpis(db, g.ancestorId, g.units.filter(existing), p, version))
		);
		return new Map(maps.flatMap((m) => [...m]));
	};
	const [now, before, parents] = await Promise.all([
		kpisOf(period, () => true),
		kpisOf(then, (c) => existsIn(c, then)),
		withChildren(db, children, period)
	]);
	const rows = children.map((child): ChildComparison => {
		const kpis = now.get(child.id)!;
		const previous = before.get(child.id) ?? null;
		const status: ChildComparison['status'] = {};
		const change = {} as ChildComparison['change'];
		for (const id of KPI_IDS) {
			const figure = kpiFigure(kpis[id], previous?.[id] ?? null);
			if (figure.status) status[id] = figure.status;
			change[id] = figure.change;
		}
		return {
			unit: {
				code: child.code,
				name: child.name,
				level: child.level,
				valid_from: child.valid_from,
				valid_to: child.valid_to
			},
			partial: partOf(child, period),
			hasChildren: parents.has(child.id),
			kpis,
			status,
			existedThen: previous !== null,
			change,
			rank: null
		};
	});
	rank(rows, query.kpi);
	sortRows(rows, query.sort, query.dir);
	return { ...query, children: rows, targets: distinctTargets(children, now, query.kpi) };
}

const existsIn = (u: UnitVersionRef, p: DateRange) =>
	(u.valid_from === null || u.valid_from <= p.to) && (u.valid_to === null || u.valid_to >= p.from);

function partOf(u: UnitVersionRef, period: DateRange): DateRange | null {
	const from = u.valid_from !== null && u.valid_from > period.from ? u.valid_from : period.from;
	const to = u.valid_to !== null && u.valid_to < period.to ? u.valid_to : period.to;
	return from === period.from && to === period.to ? null : { from, to };
}

/**
 * Every KPI of each child's subtree in one period, with its target: the engine's pieces the
 * report uses, asked once for all children (one scan, not one per child).
 */
async function childKpis(
	db: Kysely<Database>,
	ancestorId: number,
	children: UnitVersionRef[],
	period: DateRange,
	version: DataVersion
): Promise<Map<number, KpiValues>> {
	if (children.length === 0) return new Map();
	const ids = children.map((c) => c.id);
	const key = `${version}|${ids.join()}|${period.from}|${period.to}`;
	const [breakdown, catalogues, targets] = await Promise.all([
		subtreeBreakdown(db, ancestorId, ids, period, version),
		remember(db, `compare-catalogue|${key}`, () => catalogueCounts(db, ids, period)),
		remember(db, `compare-targets|${key}`, () => campaignTargets(db, ids, period))
	]);
	return new Map(
		children.map((c) => [
			c.id,
			kpiValues(
				breakdown.byChild.get(c.id) ?? emptyTotals(),
				sumLevels(catalogues.get(c.id)!),
				targets.get(c.id)!,
				targetLevelOf(c.level)
			)
		])
	);
}

async function withChildren(
	db: Kysely<Database>,
	units: UnitVersionRef[],
	period: DateRange
): Promise<Set<number>> {
	if (units.length === 0) return new Set();
	const { rows } = await sql<{ parent_id: number }>`SELECT DISTINCT parent_id
		FROM unit_versions u
		WHERE parent_id IN (${sql.join(units.map((u) => u.id))}) AND ${overlaps('u', period)}`.execute(db);
	return new Set(rows.map((r) => r.parent_id));
}

/** Competition ranking (1, 2, 2, 4): every KPI is better higher; children without a value are unranked. */
function rank(rows: ChildComparison[], kpi: KpiId): void {
	const values = rows.map((r) => r.kpis[kpi].value).filter((v): v is number => v !== null);
	for (const row of rows) {
		const value = row.kpis[kpi].value;
		row.rank = value === null ? null : values.filter((v) => v > value).length + 1;
	}
}

/** Empty values last in either direction (an empty value is not a low one); ties by name. */
function sortRows(rows: ChildComparison[], sort: SortKey, dir: SortDirection): void {
	const sign = dir === 'asc' ? 1 : -1;
	const byName = (a: ChildComparison, b: ChildComparison) =>
		a.unit.name.localeCompare(b.unit.name, 'vi');
	rows.sort((a, b) => {
		if (sort === 'name') return sign * byName(a, b);
		const x = a.kpis[sort].value;
		const y = b.kpis[sort].value;
		if (x === null || y === null) return x === y ? byName(a, b) : x === null ? 1 : -1;
		return x === y ? byName(a, b) : sign * (x - y);
	});
}

function distinctTargets(
	children: UnitVersionRef[],
	kpis: Map<number, KpiValues>,
	kpi: KpiId
): { level: TargetLevel; target: number }[] {
	const found = new Map<string, { level: TargetLevel; target: number }>();
	for (const child of children) {
		const target = kpis.get(child.id)![kpi].target;
		const level = targetLevelOf(child.level);
		if (target !== null) found.set(`${level}|${target}`, { level, target });
	}
	return [...found.values()];
}
