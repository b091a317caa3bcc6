/**
 * The procedures catalogue (issue 14, item 6): the province's procedures searched by code or name
 * (accents ignored) and filtered by field, level, online level, fee, online payment and owner,
 * each with the number of dossiers the principal's own subtree received for it, over all time.
 *
 * The count is the engine's (kpi/procedures.ts `dossiersByProcedure`), over the subtrees of every
 * version of the principal's unit code: a district head counts his district's dossiers and none of
 * the lineage's neighbours; an admin every dossier.
 */
import { sql, type Kysely } from 'kysely';
import type { Principal } from '../../domain/types';
import type { OnlineLevel, TargetLevel, UnitLevel } from '../../domain/types';
import {
	NO_FIELD,
	type ProcedureCatalogueState,
	type ProcedureCatalogueSort
} from '../../domain/url-params';
import { inScope, scopeOf } from '../auth/scope';
import type { Database } from '../db/schema';
import { containsText } from '../db/search';
import { dossiersByProcedure } from '../kpi/procedures';

export const PROCEDURES_PER_PAGE = 25;

export interface CatalogueProcedure {
	code: string;
	name: string;
	field: string | null;
	level: TargetLevel;
	online_level: OnlineLevel;
	has_fee: boolean;
	online_payment: boolean;
	/** The owner's code, and its latest name when the principal may know it. */
	owner: { code: string; name: string | null } | null;
	active: boolean;
	/** Dossiers received for it in the principal's subtree, over all time. */
	dossiers: number;
}

export interface ProcedureCataloguePage {
	procedures: CatalogueProcedure[];
	total: number;
	page: number;
	pages: number;
	/** The filters' choices: every field and every owner of the catalogue. */
	fields: string[];
	owners: { code: string; name: string | null }[];
}

/** The owners' latest names, for those the principal may know: the province's own bodies, and units in scope. */
async function ownerNames(
	db: Kysely<Database>,
	principal: Principal
): Promise<Map<string, string>> {
	const scope = await scopeOf(db, principal);
	const { rows } = await sql<{ id: number; code: string; name: string; level: UnitLevel }>`
		SELECT v.id, v.code, v.name, v.level FROM unit_versions v
		WHERE v.code IN (SELECT unit_code FROM procedures)
		ORDER BY v.valid_from NULLS FIRST`.execute(db);
	const names = new Map<string, string>();
	for (const r of rows) {
		if (r.level === 'province' || r.level === 'department' || inScope(scope, r.id)) {
			names.set(r.code, r.name);
		}
	}
	return names;
}

const yesNo = (column: string, value: 'yes' | 'no' | null) =>
	value === null ? sql`true` : sql`${sql.ref(column)} = ${value === 'yes'}`;

export async function procedureCatalogue(
	db: Kysely<Database>,
	principal: Principal,
	state: ProcedureCatalogueState
): Promise<ProcedureCataloguePage> {
	const field =
		state.field === null
			? sql`true`
			: state.field === NO_FIELD
				? sql`field IS NULL`
				: sql`field = ${state.field}`;
	const owner =
		state.owner === null
			? sql`true`
			: state.owner === NO_FIELD
				? sql`unit_code IS NULL`
				: sql`unit_code = ${state.owner}`;
	const [found, counts, names, fields, owners] = await Promise.all([
		sql<Omit<CatalogueProcedure, 'owner' | 'dossiers'> & { unit_code: string | null }>`
			SELECT code, name, field, level, online_level, has_fee, online_payment, unit_code, active
			FROM procedures
			WHERE ${containsText([sql.ref('code'), sql.ref('name')], state.q)} AND ${field}
				AND ${state.level === null ? sql`true` : sql`level = ${state.level}`}
				AND ${state.online === null ? sql`true` : sql`online_level = ${state.online}`}
				AND ${yesNo('has_fee', state.fee)} AND ${yesNo('online_payment', state.payment)}
				AND ${owner}`.execute(db),
		dossiersByProcedure(db, principal.role === 'admin' ? null : principal.unitCode),
		ownerNames(db, principal),
		sql<{ field: string }>`SELECT DISTINCT field FROM procedures WHERE field IS NOT NULL
			ORDER BY field`.execute(db),
		sql<{ code: string }>`SELECT DISTINCT unit_code AS code FROM procedures
			WHERE unit_code IS NOT NULL ORDER BY code`.execute(db)
	]);
	const procedures = found.rows.map(({ unit_code, ...p }) => ({
		...p,
		owner: unit_code === null ? null : { code: unit_code, name: names.get(unit_code) ?? null },
		dossiers: counts.get(p.code) ?? 0
	}));
	procedures.sort(comparator(state.sort, state.dir));
	const total = procedures.length;
	const pages = Math.max(1, Math.ceil(total / PROCEDURES_PER_PAGE));
	const page = Math.min(state.page, pages);
	return {
		procedures: procedures.slice((page - 1) * PROCEDURES_PER_PAGE, page * PROCEDURES_PER_PAGE),
		total,
		page,
		pages,
		fields: fields.rows.map((r) => r.field),
		owners: owners.rows.map((r) => ({ code: r.code, name: names.get(r.code) ?? null }))
	};
}

const LEVEL_ORDER = ['province', 'district', 'commune'];
const ONLINE_ORDER = ['full', 'partial', 'none'];

/** The order of the table; ties by code, always ascending, so a page is stable. */
function comparator(sort: ProcedureCatalogueSort, dir: 'asc' | 'desc') {
	const key = (p: CatalogueProcedure): number | string => {
		switch (sort) {
			case 'code':
				return p.code;
			case 'name':
				return p.name;
			case 'field':
				return p.field ?? '';
			case 'level':
				return LEVEL_ORDER.indexOf(p.level);
			case 'online_level':
				return ONLINE_ORDER.indexOf(p.online_level);
			case 'dossiers':
				return p.dossiers;
		}
	};
	const sign = dir === 'asc' ? 1 : -1;
	return (a: CatalogueProcedure, b: CatalogueProcedure) => {
		const x = key(a);
		const y = key(b);
		const order =
			typeof x === 'number' && typeof y === 'number'
				? x - y
				: String(x).localeCompare(String(y), 'vi');
		return sign * order || a.code.localeCompare(b.code);
	};
}
