/**
 * The units catalogue (issue 14, item 6): the unit codes a principal may see, searched by name,
 * code or agency code (accents ignored; issue 15), by level and by whether they still exist, each with its versions as the
 * principal may see them, what a version was formed from and what an ended one became. A version
 * outside the scope is never named: the lineage beyond it is a count.
 */
import { sql, type Kysely } from 'kysely';
import { vietnamToday } from '../../domain/dates';
import type { UnitCatalogueState } from '../../domain/url-params';
import type { UnitLevel } from '../../domain/types';
import { inScope, type Scope } from '../auth/scope';
import type { Database } from '../db/schema';
import { containsText, folded } from '../db/search';
import { predecessorsOfEach, successorsOfEach, type LineageLink } from '../units/lineage';
import { validOn } from '../units/validity';

export const UNITS_PER_PAGE = 20;

/** Units on the other side of a change: those in scope by name, the others counted. */
export interface LineageSide {
	changedOn: string;
	units: LineageLink[];
	hidden: number;
}

export interface CatalogueVersion {
	id: number;
	name: string;
	level: UnitLevel;
	parent: { code: string; name: string } | null;
	validFrom: string | null;
	validTo: string | null;
	/** The agency's electronic identifier (`000.00.18.H28`), when the units file gave one. */
	agencyCode: string | null;
	/** Its last day is before today. */
	ended: boolean;
	/** Formed on its first day from other units (a post-2025 commune); null otherwise. */
	formedFrom: LineageSide | null;
	/** What it became on the day after its last; null for a version still valid. */
	became: LineageSide | null;
}

export interface CatalogueUnit {
	code: string;
	/** The latest visible version's name and level. */
	name: string;
	level: UnitLevel;
	/** A version is valid today. */
	existing: boolean;
	/** Oldest first. */
	versions: CatalogueVersion[];
}

export interface UnitCataloguePage {
	units: CatalogueUnit[];
	total: number;
	/** The page shown: the one asked for, or the last when it asked past the end. */
	page: number;
	pages: number;
}

const LEVEL_ORDER = sql`list_position(['province', 'department', 'district', 'commune'], level)`;

export async function unitCatalogue(
	db: Kysely<Database>,
	scope: Scope,
	state: UnitCatalogueState,
	today = vietnamToday()
): Promise<UnitCataloguePage> {
	const visible = scope.all
		? sql`true`
		: scope.versions.size === 0
			? sql`false`
			: sql`id IN (${sql.join([...scope.versions])})`;
	const matching = sql`SELECT code,
			arg_max(name, coalesce(valid_from, DATE '0001-01-01')) AS name,
			arg_max(level, coalesce(valid_from, DATE '0001-01-01')) AS level,
			bool_or(${validOn('v', sql`CAST(${today} AS DATE)`)}) AS existing,
			bool_or(${containsText([sql.ref('v.name'), sql.ref('v.code'), sql.ref('v.agency_code')], state.q)}
				AND ${state.level === null ? sql`true` : sql`v.level = ${state.level}`}) AS matches
		FROM unit_versions v WHERE ${visible} GROUP BY code`;
	const status = state.status === null ? sql`true` : sql`existing = ${state.status === 'existing'}`;
	const { rows: counted } = await sql<{ total: number }>`SELECT CAST(count(*) AS INTEGER) AS total
		FROM (${matching}) WHERE matches AND ${status}`.execute(db);
	const total = counted[0].total;
	const pages = Math.max(1, Math.ceil(total / UNITS_PER_PAGE));
	const page = Math.min(state.page, pages);
	const { rows: codes } = await sql<{
		code: string;
		name: string;
		level: UnitLevel;
		existing: boolean;
	}>`SELECT code, name, level, existing FROM (${matching}) WHERE matches AND ${status}
		ORDER BY ${LEVEL_ORDER}, ${folded(sql.ref('name'))}, code
		LIMIT ${UNITS_PER_PAGE} OFFSET ${(page - 1) * UNITS_PER_PAGE}`.execute(db);
	const versions = await versionsOf(
		db,
		scope,
		codes.map((c) => c.code),
		today
	);
	return {
		units: codes.map((c) => ({ ...c, versions: versions.get(c.code) ?? [] })),
		total,
		page,
		pages
	};
}

/** The visible versions of each code, oldest first, with their parents and lineage. */
async function versionsOf(
	db: Kysely<Database>,
	scope: Scope,
	codes: string[],
	today: string
): Promise<Map<string, CatalogueVersion[]>> {
	const byCode = new Map<string, CatalogueVersion[]>();
	if (codes.length === 0) return byCode;
	const { rows } = await sql<{
		id: number;
		code: string;
		name: string;
		level: UnitLevel;
		parent_id: number | null;
		parent_code: string | null;
		parent_name: string | null;
		parent_level: UnitLevel | null;
		valid_from: string | null;
		valid_to: string | null;
		agency_code: string | null;
	}>`SELECT v.id, v.code, v.name, v.level, v.agency_code, p.id AS parent_id, p.code AS parent_code,
			p.name AS parent_name, p.level AS parent_level,
			CAST(v.valid_from AS VARCHAR) AS valid_from, CAST(v.valid_to AS VARCHAR) AS valid_to
		FROM unit_versions v LEFT JOIN unit_versions p ON p.id = v.parent_id
		WHERE v.code IN (${sql.join(codes)})
		ORDER BY v.valid_from NULLS FIRST`.execute(db);
	const shown = rows.filter((r) => inScope(scope, r.id));
	const ids = shown.map((r) => r.id);
	const [predecessors, successors] = await Promise.all([
		predecessorsOfEach(db, ids),
		successorsOfEach(db, ids)
	]);
	const side = (links: LineageLink[], changedOn: string): LineageSide => {
		const named = links.filter((l) => inScope(scope, l.id));
		return { changedOn, units: named, hidden: links.length - named.length };
	};
	for (const r of shown) {
		// Formed from others on its first day; an old commune that kept its code is one of them.
		const formed = (predecessors.get(r.id) ?? []).filter((l) => l.changed_on === r.valid_from);
		const became = successors.get(r.id) ?? [];
		const version: CatalogueVersion = {
			id: r.id,
			name: r.name,
			level: r.level,
			parent: knownParent(scope, r),
			validFrom: r.valid_from,
			validTo: r.valid_to,
			agencyCode: r.agency_code,
			ended: r.valid_to !== null && r.valid_to < today,
			formedFrom: formed.length > 0 ? side(formed, r.valid_from!) : null,
			became: became.length > 0 ? side(became, became[0].changed_on) : null
		};
		byCode.set(r.code, [...(byCode.get(r.code) ?? []), version]);
	}
	return byCode;
}

/** The parent, named when the principal may know it: in scope, or the province and its bodies. */
function knownParent(
	scope: Scope,
	r: {
		parent_id: number | null;
		parent_code: string | null;
		parent_name: string | null;
		parent_level: UnitLevel | null;
	}
): { code: string; name: string } | null {
	if (r.parent_id === null || r.parent_code === null || r.parent_name === null) return null;
	const known =
		r.parent_level === 'province' || r.parent_level === 'department' || inScope(scope, r.parent_id);
	return known ? { code: r.parent_code, name: r.parent_name } : null;
}
