/**
 * What a unit version became, and what it was formed from, across a reorganisation (unit_lineage,
 * migration 003): a district dissolved on 1 July 2025 became the new communes its communes went
 * into; an old commune became the new commune it was merged into; a new commune was formed from
 * old ones. The scope check (auth/scope.ts) follows the same steps.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../db/schema';
import { byLevelThenName } from './levels';
import { validOn } from './validity';
import type { UnitVersionRef } from './versions';

/**
 * Every step of the lineage as a pair of versions: the old code's version valid on the day before
 * the change, the new code's on the day itself (codes are reused, so a code alone names nothing).
 */
export const lineageSteps: RawBuilder<{ old_id: number; new_id: number; changed_on: string }> =
	sql`SELECT o.id AS old_id, n.id AS new_id, l.changed_on
		FROM unit_lineage l
		JOIN unit_versions o ON o.code = l.old_code
			AND ${validOn('o', sql`CAST(l.changed_on - INTERVAL 1 DAY AS DATE)`)}
		JOIN unit_versions n ON n.code = l.new_code AND ${validOn('n', sql`l.changed_on`)}`;

/** A unit on the other side of a change, with the day the change took effect. */
export interface LineageLink extends UnitVersionRef {
	changed_on: string;
}

/**
 * What the version became when it ended: the units formed, on the day after its last, from it or
 * from a unit of its subtree (a district's successors are the communes its communes went into),
 * by level then name; each once. A unit still valid has none, whatever its communes became.
 */
export async function successorsOf(
	db: Kysely<Database>,
	unitVersionId: number
): Promise<LineageLink[]> {
	return (await successorsOfEach(db, [unitVersionId])).get(unitVersionId)!;
}

/** successorsOf for each of several versions, in one query (the catalogue's page of units). */
export async function successorsOfEach(
	db: Kysely<Database>,
	unitVersionIds: number[]
): Promise<Map<number, LineageLink[]>> {
	if (unitVersionIds.length === 0) return new Map();
	const { rows } = await sql<LineageLink & { of_id: number }>`SELECT DISTINCT v.id AS of_id,
			n.id, n.code, n.name, n.level,
			n.valid_from, n.valid_to, CAST(s.changed_on AS VARCHAR) AS changed_on
		FROM (${lineageSteps}) s
		JOIN unit_closure c ON c.descendant_id = s.old_id AND c.ancestor_id IN (${sql.join(unitVersionIds)})
		JOIN unit_versions v ON v.id = c.ancestor_id
		JOIN unit_versions n ON n.id = s.new_id
		WHERE s.changed_on = v.valid_to + INTERVAL 1 DAY`.execute(db);
	return groupLinks(unitVersionIds, rows);
}

/** The units the version was formed from, by level then name. */
export async function predecessorsOf(
	db: Kysely<Database>,
	unitVersionId: number
): Promise<LineageLink[]> {
	return (await predecessorsOfEach(db, [unitVersionId])).get(unitVersionId)!;
}

/** predecessorsOf for each of several versions, in one query. */
export async function predecessorsOfEach(
	db: Kysely<Database>,
	unitVersionIds: number[]
): Promise<Map<number, LineageLink[]>> {
	if (unitVersionIds.length === 0) return new Map();
	const { rows } = await sql<LineageLink & { of_id: number }>`SELECT DISTINCT s.new_id AS of_id,
			o.id, o.code, o.name, o.level,
			o.valid_from, o.valid_to, CAST(s.changed_on AS VARCHAR) AS changed_on
		FROM (${lineageSteps}) s JOIN unit_versions o ON o.id = s.old_id
		WHERE s.new_id IN (${sql.join(unitVersionIds)})`.execute(db);
	return groupLinks(unitVersionIds, rows);
}

function groupLinks(
	unitVersionIds: number[],
	rows: (LineageLink & { of_id: number })[]
): Map<number, LineageLink[]> {
	const links = new Map<number, LineageLink[]>(unitVersionIds.map((id) => [id, []]));
	for (const { of_id, ...link } of rows) links.get(of_id)!.push(link);
	for (const list of links.values()) list.sort(byLevelThenName);
	return links;
}

/** The newest version of a code among `visible` (a scope's test), or null when it sees none. */
export async function newestVersion(
	db: Kysely<Database>,
	code: string,
	visible: (unitVersionId: number) => boolean
): Promise<UnitVersionRef | null> {
	const { rows } = await sql<UnitVersionRef>`SELECT id, code, name, level, valid_from, valid_to
		FROM unit_versions WHERE code = ${code} ORDER BY valid_from DESC NULLS LAST`.execute(db);
	return rows.find((r) => visible(r.id)) ?? null;
}
