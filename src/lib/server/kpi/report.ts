/**
 * The KPI report of a unit for a period (the `kpi --json` object of CONTRACT.md): every KPI over
 * the unit's subtree, by target level, and for each direct child valid during the period; each
 * with numerator, denominator, value (null when the denominator is 0) and target.
 */
import type { DateRange } from '../../domain/periods';
import type { Kysely } from 'kysely';
import { KPI_IDS, type KpiId } from '../../domain/kpi-ids';
import { TARGET_LEVELS, targetLevelOf, type TargetLevel, type UnitRef } from '../../domain/types';
import { remember, versionOf, type DataVersion } from '../db/cache';
import { catalogueCounts, sumLevels, type CatalogueCounts } from './catalogue';
import { DOSSIER_DEFINITIONS } from './definitions';
import { emptyTotals, subtreeBreakdown, subtreeTotals, type MeasureTotals } from './measures';
import { campaignTargets, targetFor, type AppliedTarget } from './targets';
import { childrenOf, resolveUnit, subtreeLevels, type UnitVersionRef } from '../units/versions';
import type { Database } from '../db/schema';

export interface KpiValue {
	numerator: number;
	denominator: number;
	value: number | null;
	target: number | null;
}

export type KpiValues = Record<KpiId, KpiValue>;

export interface KpiReport {
	unit: UnitRef;
	from: string;
	to: string;
	kpis: KpiValues;
	by_level: Record<TargetLevel, Partial<KpiValues>>;
	children: { unit: UnitRef; kpis: KpiValues }[];
}

export const ratio = (numerator: number, denominator: number): number | null =>
	denominator === 0 ? null : numerator / denominator;

/** The KPI values from measure totals and catalogue counts, with the targets of one level. */
export function kpiValues(
	totals: MeasureTotals,
	catalogue: CatalogueCounts,
	targets: AppliedTarget[],
	level: TargetLevel
): KpiValues {
	const values = {} as KpiValues;
	for (const d of DOSSIER_DEFINITIONS) {
		const numerator = totals[d.numerator];
		const denominator = totals[d.denominator];
		values[d.id] = { numerator, denominator, value: ratio(numerator, denominator), target: null };
	}
	for (const [id, { numerator, denominator }] of Object.entries(catalogue)) {
		values[id as KpiId] = {
			numerator,
			denominator,
			value: ratio(numerator, denominator),
			target: null
		};
	}
	for (const id of KPI_IDS) values[id].target = targetFor(targets, id, level);
	// Keep CONTRACT's order of keys.
	return Object.fromEntries(KPI_IDS.map((id) => [id, values[id]])) as KpiValues;
}

async function cachedCatalogue(
	db: Kysely<Database>,
	version: string,
	ids: number[],
	period: DateRange
) {
	const key = `catalogue|${version}|${ids.join()}|${period.from}|${period.to}`;
	return remember(db, key, () => catalogueCounts(db, ids, period));
}

async function cachedTargets(
	db: Kysely<Database>,
	version: string,
	ids: number[],
	period: DateRange
) {
	const key = `targets|${version}|${ids.join()}|${period.from}|${period.to}`;
	return remember(db, key, () => campaignTargets(db, ids, period));
}

const unitRef = (u: UnitVersionRef): UnitRef => ({ code: u.code, name: u.name, level: u.level });

/** Every KPI of one unit version's subtree in the period (no levels, no children). */
export async function unitKpis(
	db: Kysely<Database>,
	unit: UnitVersionRef,
	period: DateRange,
	dataVersion?: DataVersion
): Promise<KpiValues> {
	const version = await versionOf(db, dataVersion);
	const [totals, catalogue, targets] = await Promise.all([
		subtreeTotals(db, unit.id, period, version),
		cachedCatalogue(db, version, [unit.id], period),
		cachedTargets(db, version, [unit.id], period)
	]);
	return kpiValues(
		totals,
		sumLevels(catalogue.get(unit.id)!),
		targets.get(unit.id)!,
		targetLevelOf(unit.level)
	);
}

export async function kpiReport(
	db: Kysely<Database>,
	unitCode: string,
	period: DateRange,
	dataVersion?: DataVersion
): Promise<KpiReport> {
	// A page passes its request's version: the whole report (the unit and its children looked up
	// too) is then one answer per version, shared by every page and user that asks it.
	if (dataVersion === undefined) return computeReport(db, unitCode, period);
	return remember(db, `report|${dataVersion}|${unitCode}|${period.from}|${period.to}`, () =>
		computeReport(db, unitCode, period, dataVersion)
	);
}

async function computeReport(
	db: Kysely<Database>,
	unitCode: string,
	period: DateRange,
	dataVersion?: DataVersion
): Promise<KpiReport> {
	const unit = await resolveUnit(db, unitCode, period);
	const children = await childrenOf(db, unit, period);
	const ids = [unit.id, ...children.map((c) => c.id)];
	const version = await versionOf(db, dataVersion);
	const [breakdown, catalogues, allTargets, levels] = await Promise.all([
		subtreeBreakdown(
			db,
			unit.id,
			children.map((c) => c.id),
			period,
			version
		),
		cachedCatalogue(db, version, ids, period),
		cachedTargets(db, version, ids, period),
		remember(db, `levels|${version}|${unit.id}|${period.from}|${period.to}`, () =>
			subtreeLevels(db, unit.id, period)
		)
	]);
	const catalogue = catalogues.get(unit.id)!;
	const targets = allTargets.get(unit.id)!;
	const totals = breakdown.total;
	const byLevelReport = {} as KpiReport['by_level'];
	for (const level of TARGET_LEVELS) {
		// A level is reported while a unit of it is in the subtree, whether or not it had dossiers
		// (and while dossiers count at it: a June dossier of a dissolved district completed in July).
		const levelCatalogue = catalogue.get(level);
		byLevelReport[level] =
			levels.has(level) || breakdown.byLevel.has(level)
				? kpiValues(
						breakdown.byLevel.get(level) ?? emptyTotals(),
						sumLevels(new Map(levelCatalogue ? [[level, levelCatalogue]] : [])),
						targets,
						level
					)
				: {};
	}
	const childReports = children.map((child) => ({
		unit: unitRef(child),
		kpis: kpiValues(
			breakdown.byChild.get(child.id) ?? emptyTotals(),
			sumLevels(catalogues.get(child.id)!),
			allTargets.get(child.id)!,
			targetLevelOf(child.level)
		)
	}));
	return {
		unit: unitRef(unit),
		from: period.from,
		to: period.to,
		kpis: kpiValues(
			totals ?? emptyTotals(),
			sumLevels(catalogue),
			targets,
			targetLevelOf(unit.level)
		),
		by_level: byLevelReport,
		children: childReports
	};
}
