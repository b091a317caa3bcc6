/**
 * The campaigns pages of a unit (issue 14, item 5), for the reform team and administrators: the
 * list of the campaigns that apply to the unit or are set below it, and one campaign's editor
 * (its name and dates, the KPI × level grid of targets, the units it covers). What may be edited
 * is what the save may change (jobs/campaign-edit.ts): a campaign every unit of which is in the
 * principal's scope. A campaign set above the scope is listed (it applies to the unit) without
 * the name of the unit above.
 */
import type { Kysely } from 'kysely';
import { targetToPercent, type GridTarget, type UndoRefusal } from '../../domain/campaign-form';
import { KPI_IDS, type KpiId } from '../../domain/kpi-ids';
import {
	MANAGING_ROLES,
	TARGET_LEVELS,
	type Principal,
	type TargetLevel
} from '../../domain/types';
import { managesEvery, OutOfScope, scopeOf, inScope } from '../auth/scope';
import type { DataVersion } from '../db/cache';
import type { Database } from '../db/schema';
import {
	campaignGrid,
	campaignIdsAround,
	campaignRecord,
	campaignRecords,
	coveredUnits,
	subtreeUnits,
	type CampaignRecord,
	type CoveredUnit,
	type GridCell,
	type UnitChoice
} from '../kpi/campaigns';
import { KPI_DEFINITIONS, type Text } from '../kpi/definitions';
import type { UnitVersionRef } from '../units/versions';
import { campaignsFor } from './context';

export interface SetOnUnit {
	code: string;
	/** Null for a unit above the principal's scope: not his to read. */
	name: string | null;
}

export interface CampaignRow {
	id: number;
	name: string;
	starts_on: string;
	ends_on: string;
	setOn: SetOnUnit[];
	covered: number;
	targets: number;
	/** Every unit it is set on is in the principal's scope: he may edit and copy it. */
	editable: boolean;
}

export interface CampaignsPage {
	campaigns: CampaignRow[];
	/** Where a new campaign may be set: the unit and its subtree. */
	units: UnitChoice[];
}

/** The reform team and administrators only; anyone else is told there is no such page. */
function assertManager(principal: Principal): void {
	if (!MANAGING_ROLES.includes(principal.role)) throw new OutOfScope();
}

/** The latest name of each code the principal may see. */
async function visibleNames(
	db: Kysely<Database>,
	principal: Principal,
	codes: string[]
): Promise<Map<string, string>> {
	if (codes.length === 0) return new Map();
	const scope = await scopeOf(db, principal);
	const versions = await db
		.selectFrom('unit_versions')
		.select(['id', 'code', 'name', 'valid_from'])
		.where('code', 'in', codes)
		.orderBy('valid_from')
		.execute();
	const names = new Map<string, string>();
	for (const v of versions) if (inScope(scope, v.id)) names.set(v.code, v.name);
	return names;
}

async function rowsOf(
	db: Kysely<Database>,
	principal: Principal,
	records: CampaignRecord[]
): Promise<CampaignRow[]> {
	const names = await visibleNames(db, principal, [...new Set(records.flatMap((r) => r.setOn))]);
	return Promise.all(
		records.map(async (r) => ({
			id: r.id,
			name: r.name,
			starts_on: r.starts_on,
			ends_on: r.ends_on,
			setOn: r.setOn.map((code) => ({ code, name: names.get(code) ?? null })),
			covered: r.covered,
			targets: r.targets,
			editable: await managesEvery(db, principal, r.setOn)
		}))
	);
}

export async function campaignsPage(
	db: Kysely<Database>,
	principal: Principal,
	unit: UnitVersionRef,
	version: DataVersion
): Promise<CampaignsPage> {
	assertManager(principal);
	const [visible, around, records, units] = await Promise.all([
		campaignsFor(db, principal, version),
		campaignIdsAround(db, unit.id),
		campaignRecords(db),
		subtreeUnits(db, unit.id)
	]);
	const ids = new Set(visible.filter((c) => around.has(c.id)).map((c) => c.id));
	return {
		campaigns: await rowsOf(
			db,
			principal,
			records.filter((r) => ids.has(r.id))
		),
		units
	};
}

export interface KpiRow {
	id: KpiId;
	name: Text;
}

export interface CampaignEditor {
	campaign: CampaignRow;
	/** The unit whose targets the grid edits: the one it is set on (the first, set from the top). */
	gridUnit: SetOnUnit;
	grid: GridCell[];
	kpis: KpiRow[];
	coverage: {
		byLevel: { level: TargetLevel; count: number }[];
		units: CoveredUnit[];
	};
}

/** The grid's rows: every KPI, in the order of kpi-ids.ts, with its name. */
export const gridKpis = (): KpiRow[] =>
	KPI_IDS.map((id) => ({ id, name: KPI_DEFINITIONS.find((d) => d.id === id)!.name }));

/**
 * A campaign the principal may edit, by the id in the URL (a positive integer of at most 9
 * digits); OutOfScope (404) for any other, one he may not edit, or one that does not apply
 * around the unit of the URL.
 */
export async function editableCampaign(
	db: Kysely<Database>,
	principal: Principal,
	unit: UnitVersionRef,
	idText: string
): Promise<CampaignRecord> {
	assertManager(principal);
	if (!/^[1-9]\d{0,8}$/.test(idText)) throw new OutOfScope();
	const id = Number(idText);
	const record = await campaignRecord(db, id);
	if (!record || !(await campaignIdsAround(db, unit.id)).has(id)) throw new OutOfScope();
	if (!(await managesEvery(db, principal, record.setOn))) throw new OutOfScope();
	return record;
}

export async function campaignEditor(
	db: Kysely<Database>,
	principal: Principal,
	record: CampaignRecord
): Promise<CampaignEditor> {
	const [row] = await rowsOf(db, principal, [record]);
	const gridUnit = row.setOn[0];
	const [grid, units] = await Promise.all([
		gridUnit ? campaignGrid(db, record.id, gridUnit.code) : Promise.resolve([]),
		coveredUnits(db, record.setOn, record.starts_on, record.ends_on)
	]);
	return {
		campaign: row,
		gridUnit,
		grid,
		kpis: gridKpis(),
		coverage: {
			byLevel: TARGET_LEVELS.map((level) => ({
				level,
				count: units.filter((u) => u.targetLevel === level).length
			})),
			units
		}
	};
}

/**
 * The targets a copy starts with: the source's grid on the unit it is set on (the first, from
 * the top), for a campaign the principal may see around the unit; null for any other.
 */
export async function copySource(
	db: Kysely<Database>,
	principal: Principal,
	unit: UnitVersionRef,
	version: DataVersion,
	idText: string
): Promise<GridTarget[] | null> {
	if (!/^[1-9]\d{0,8}$/.test(idText)) return null;
	const id = Number(idText);
	const visible = await campaignsFor(db, principal, version);
	if (!visible.some((c) => c.id === id) || !(await campaignIdsAround(db, unit.id)).has(id)) {
		return null;
	}
	const record = await campaignRecord(db, id);
	if (!record) return null;
	const from = await readableSetOn(db, principal, unit, record.setOn);
	if (from === null) return [];
	const grid = await campaignGrid(db, id, from);
	return grid.map((t) => ({ kpi: t.kpi, level: t.level, percent: targetToPercent(t.target) }));
}

/**
 * The first unit a campaign is set on whose targets the principal may read: one in his scope, or
 * one above the unit of the page (its targets apply there). A campaign imported on Nghi Xuân and
 * Can Lộc, copied by Can Lộc's team, starts from Can Lộc's targets, never Nghi Xuân's.
 */
async function readableSetOn(
	db: Kysely<Database>,
	principal: Principal,
	unit: UnitVersionRef,
	setOn: string[]
): Promise<string | null> {
	if (setOn.length === 0) return null;
	const above = await db
		.selectFrom('unit_closure')
		.innerJoin('unit_versions', 'unit_versions.id', 'unit_closure.ancestor_id')
		.select('unit_versions.code')
		.where('unit_closure.descendant_id', '=', unit.id)
		.execute();
	const ancestors = new Set(above.map((r) => r.code));
	for (const code of setOn) {
		if (ancestors.has(code) || (await managesEvery(db, principal, [code]))) return code;
	}
	return null;
}

/**
 * Whether import `batchId` is a save of campaign `campaignId` in the editor (its create or a later
 * save, as audited by jobs/campaign-edit.ts): the only imports its page undoes.
 */
export async function isSaveOf(
	db: Kysely<Database>,
	campaignId: number,
	batchId: number
): Promise<boolean> {
	const rows = await db
		.selectFrom('audit_log')
		.select('detail')
		.where('action', '=', 'campaign_save')
		.where('detail', 'like', `%"batch":${batchId},%`)
		.execute();
	return rows.some((r) => {
		const detail = JSON.parse(r.detail ?? 'null') as { campaign?: unknown; batch?: unknown } | null;
		return detail?.campaign === campaignId && detail.batch === batchId;
	});
}

export async function undoRefusal(
	db: Kysely<Database>,
	batchId: number,
	refused: { blocking: { id: number } | null }
): Promise<UndoRefusal> {
	if (refused.blocking) return { reason: 'blocked', batch: Number(refused.blocking.id) };
	const batch = await db
		.selectFrom('import_batches')
		.select('status')
		.where('id', '=', batchId)
		.executeTakeFirst();
	return { reason: batch?.status === 'undone' ? 'undone' : 'other' };
}
