/**
 * Campaigns as the campaigns editor reads them (issue 14, item 5): where each is set, which
 * units it covers, its grid of targets. A campaign is set on the unit the editor set it on
 * (`campaigns.unit_code`, migration 10) and on every unit its targets name (a CONTRACT targets
 * file may name several); it covers the subtrees of those units, every version valid on at least
 * one day of the campaign (the targets that apply to them: targets.ts).
 */
import { sql, type Kysely } from 'kysely';
import type { KpiId } from '../../domain/kpi-ids';
import { UNIT_LEVELS, type TargetLevel, type UnitLevel } from '../../domain/types';
import type { Database } from '../db/schema';
import { byLevelThenName, targetLevelOfUnit } from '../units/levels';
import { validFrom, validTo } from '../units/validity';

export interface CampaignRecord {
	id: number;
	name: string;
	starts_on: string;
	ends_on: string;
	/** The unit the editor set it on; null for a campaign only imported. */
	unit_code: string | null;
	/** Every unit it is set on: its own unit first, then those its targets name, from the top down. */
	setOn: string[];
	/** Unit versions covered (the subtrees of setOn valid during the campaign). */
	covered: number;
	targets: number;
}

/** Each campaign's set-on units: its own and those of its targets (SQL of campaign_id, unit_code). */
const setOnUnits = sql`SELECT id AS campaign_id, unit_code FROM campaigns WHERE unit_code IS NOT NULL
	UNION SELECT DISTINCT campaign_id, unit_code FROM targets`;

/** Every campaign with where it is set and how many units and targets it has (one query each). */
export async function campaignRecords(db: Kysely<Database>): Promise<CampaignRecord[]> {
	const { rows } = await sql<Omit<CampaignRecord, 'setOn'> & { set_on: string[] | null }>`
		WITH set_on AS (${setOnUnits}),
		covered AS (
			SELECT s.campaign_id, count(DISTINCT d.id) AS covered
			FROM set_on s JOIN campaigns k ON k.id = s.campaign_id
			JOIN unit_versions o ON o.code = s.unit_code
			JOIN unit_closure c ON c.ancestor_id = o.id
			JOIN unit_versions d ON d.id = c.descendant_id
			WHERE ${validFrom('d')} <= k.ends_on AND ${validTo('d')} >= k.starts_on
			GROUP BY s.campaign_id
		)
		SELECT k.id, k.name, CAST(k.starts_on AS VARCHAR) AS starts_on,
			CAST(k.ends_on AS VARCHAR) AS ends_on, k.unit_code,
			(SELECT list(s.unit_code ORDER BY (SELECT min(list_position(string_split(${UNIT_LEVELS.join(',')}, ','), u.level)) FROM unit_versions u WHERE u.code = s.unit_code), s.unit_code)
				FROM set_on s WHERE s.campaign_id = k.id) AS set_on,
			coalesce((SELECT covered FROM covered WHERE covered.campaign_id = k.id), 0) AS covered,
			(SELECT count(*) FROM targets t WHERE t.campaign_id = k.id) AS targets
		FROM campaigns k ORDER BY k.starts_on DESC, k.name`.execute(db);
	return rows.map(({ set_on, ...c }) => ({
		...c,
		covered: Number(c.covered),
		targets: Number(c.targets),
		setOn: [...new Set([...(c.unit_code ? [c.unit_code] : []), ...(set_on ?? [])])]
	}));
}

export async function campaignRecord(
	db: Kysely<Database>,
	id: number
): Promise<CampaignRecord | null> {
	return (await campaignRecords(db)).find((c) => c.id === id) ?? null;
}

/**
 * The campaigns set on one of `unitVersionId`'s ancestors, on itself or on a unit of its subtree:
 * those the unit's campaigns page lists.
 */
export async function campaignIdsAround(
	db: Kysely<Database>,
	unitVersionId: number
): Promise<Set<number>> {
	const { rows } = await sql<{ campaign_id: number }>`WITH set_on AS (${setOnUnits})
		SELECT DISTINCT s.campaign_id FROM set_on s JOIN unit_versions o ON o.code = s.unit_code
		WHERE o.id IN (SELECT ancestor_id FROM unit_closure WHERE descendant_id = ${unitVersionId})
			OR o.id IN (SELECT descendant_id FROM unit_closure WHERE ancestor_id = ${unitVersionId})`.execute(
		db
	);
	return new Set(rows.map((r) => r.campaign_id));
}

export interface CoveredUnit {
	id: number;
	code: string;
	name: string;
	level: UnitLevel;
	targetLevel: TargetLevel;
}

/** The unit versions a campaign set on `codes` covers from `startsOn` to `endsOn`, by level then name. */
export async function coveredUnits(
	db: Kysely<Database>,
	codes: string[],
	startsOn: string,
	endsOn: string
): Promise<CoveredUnit[]> {
	if (codes.length === 0) return [];
	const { rows } = await sql<CoveredUnit>`SELECT DISTINCT d.id, d.code, d.name, d.level,
			${targetLevelOfUnit('d')} AS "targetLevel"
		FROM unit_versions o JOIN unit_closure c ON c.ancestor_id = o.id
		JOIN unit_versions d ON d.id = c.descendant_id
		WHERE o.code IN (${sql.join(codes)})
			AND ${validFrom('d')} <= CAST(${endsOn} AS DATE)
			AND ${validTo('d')} >= CAST(${startsOn} AS DATE)`.execute(db);
	return rows.sort(byLevelThenName);
}

export interface GridCell {
	kpi: KpiId;
	level: TargetLevel;
	target: number;
}

/** The targets a campaign sets on one unit: the grid the editor shows. */
export async function campaignGrid(
	db: Kysely<Database>,
	campaignId: number,
	unitCode: string
): Promise<GridCell[]> {
	const rows = await db
		.selectFrom('targets')
		.select(['kpi', 'level', 'target'])
		.where('campaign_id', '=', campaignId)
		.where('unit_code', '=', unitCode)
		.execute();
	return rows as GridCell[];
}

export interface UnitChoice {
	code: string;
	name: string;
	level: UnitLevel;
}

/** The units of a version's subtree (itself first), one per code: where a campaign may be set. */
export async function subtreeUnits(
	db: Kysely<Database>,
	unitVersionId: number
): Promise<UnitChoice[]> {
	const { rows } = await sql<UnitChoice & { depth: number }>`SELECT d.code,
			arg_max(d.name, coalesce(d.valid_from, DATE '0001-01-01')) AS name,
			arg_max(d.level, coalesce(d.valid_from, DATE '0001-01-01')) AS level, min(c.depth) AS depth
		FROM unit_closure c JOIN unit_versions d ON d.id = c.descendant_id
		WHERE c.ancestor_id = ${unitVersionId} GROUP BY d.code`.execute(db);
	return rows
		.sort((a, b) => a.depth - b.depth || byLevelThenName(a, b))
		.map(({ code, name, level }) => ({ code, name, level }));
}
