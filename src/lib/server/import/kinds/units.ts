/**
 * Unit versions (CONTRACT.md: units), upserted by `code` and `valid_from`. A code may have several
 * versions whose validity does not overlap; `parent_code` names the parent version valid on the
 * child's first day. After a merge the tree (parents, paths, closure) is rebuilt and every dossier's
 * unit version re-resolved, so a changed validity never silently moves dossiers.
 */
import { sql } from 'kysely';
import { rebuildAggregates, rebuildSubtreeRollup } from '../../kpi/aggregates';
import type { Check } from '../checks';
import { keepReplaced } from '../history/replaced';
import { KIND_SPECS } from '../columns';
import { ImportRejected } from '../errors';
import { EXPECTED, VOCABULARY } from '../sql';
import {
	columnList,
	countChanges,
	requiredChecks,
	isUnknownWord,
	isUnparsed,
	raw,
	rawCopies
} from './common';
import { AGENCY_CODE_MAX, AGENCY_CODE_PATTERN, agencyCode } from '../../units/agency';
import { validFrom, validTo } from '../../units/validity';
import { type KindContext, type MergeCounts, type RecordKind } from './context';

const CONTENT = ['name', 'level', 'parent_code', 'valid_to', 'agency_code'];

/** The agency code's row errors, also rendered in Vietnamese (import/reasons.ts). */
export const AGENCY_TOO_LONG = `longer than ${AGENCY_CODE_MAX} characters; an agency code is like 000.00.18.H28`;
export const AGENCY_CHARACTERS =
	'not an agency code; expected digits, letters, dots and hyphens, like 000.00.18.H28';
/** Followed by the other unit's code. */
export const AGENCY_TAKEN = 'another unit valid on some of the same days has this agency code: ';

async function prepare({ db }: KindContext): Promise<Check[]> {
	const names = KIND_SPECS.units.columns.map((c) => c.name);
	await sql`CREATE OR REPLACE TEMP TABLE import_typed AS
		SELECT s.__row, ${rawCopies(names)},
			cell(s.code) AS code, cell(s.name) AS name, parse_unit_level(s.level) AS level,
			cell(s.parent_code) AS parent_code,
			parse_date(s.valid_from) AS valid_from, parse_date(s.valid_to) AS valid_to,
			${agencyCode(sql.ref('s.agency_code'))} AS agency_code
		FROM import_staged s`.execute(db);
	// The versions as they will stand: this file's, plus the stored ones it does not replace.
	await sql`CREATE OR REPLACE TEMP TABLE import_units_all AS
		SELECT __row, code, level, parent_code, valid_from, valid_to, agency_code FROM import_typed
		WHERE code IS NOT NULL AND level IS NOT NULL AND level <> '?'
		UNION ALL
		SELECT NULL, u.code, u.level, u.parent_code, u.valid_from, u.valid_to, u.agency_code
		FROM unit_versions u
		WHERE NOT EXISTS (SELECT 1 FROM import_typed t
			WHERE t.code = u.code AND t.valid_from IS NOT DISTINCT FROM u.valid_from)`.execute(db);
	await sql`CREATE OR REPLACE TEMP TABLE import_unit_facts AS
		SELECT t.__row,
			(SELECT min(coalesce(o.__row, 0)) FROM import_units_all o
				WHERE o.code = t.code AND o.__row IS DISTINCT FROM t.__row
				AND ${validFrom('o')} <= ${validTo('t')} AND ${validFrom('t')} <= ${validTo('o')}) AS overlaps_row,
			(SELECT min(p.level) FROM import_units_all p
				WHERE p.code = t.parent_code
				AND ${validFrom('p')} <= ${validFrom('t')} AND ${validFrom('t')} <= ${validTo('p')}) AS parent_level,
			-- Another unit code with the same agency code on a day of this version's (CONTRACT:
			-- unique among units valid on the same day); the code's own versions may share it.
			(SELECT min(o.code) FROM import_units_all o
				WHERE o.agency_code = t.agency_code AND o.code <> t.code
				AND ${validFrom('o')} <= ${validTo('t')} AND ${validFrom('t')} <= ${validTo('o')}) AS agency_taken_by
		FROM import_typed t`.execute(db);
	await sql`CREATE OR REPLACE TEMP TABLE import_typed AS
		SELECT t.*, overlaps_row, parent_level, agency_taken_by FROM import_typed t JOIN import_unit_facts f USING (__row)`.execute(
		db
	);
	const checks = requiredChecks(['code', 'name', 'level']);
	checks.push(
		{
			column: 'level',
			value: raw('level'),
			message: VOCABULARY.unit_level,
			when: isUnknownWord('level')
		},
		{
			column: 'valid_from',
			value: raw('valid_from'),
			message: EXPECTED.date,
			when: isUnparsed('valid_from')
		},
		{
			column: 'valid_to',
			value: raw('valid_to'),
			message: EXPECTED.date,
			when: isUnparsed('valid_to')
		},
		// Bounded like dossiers (no dossier is older than 2000): an older start changes nothing a
		// dossier can refer to, and an empty cell says "unbounded" without a made-up date.
		{
			column: 'valid_from',
			value: raw('valid_from'),
			message: `${EXPECTED.plausible}, or empty for a unit that existed before`,
			when: sql`implausible(valid_from)`
		},
		{
			column: 'valid_to',
			value: raw('valid_to'),
			message: `${EXPECTED.plausible}, or empty for a unit still in place`,
			when: sql`implausible(valid_to)`
		},
		{
			column: 'valid_to',
			value: raw('valid_to'),
			message: 'ends before it starts (valid_from is later)',
			when: sql`valid_to < valid_from`
		},
		{
			column: 'parent_code',
			value: null,
			message: 'required except for a province',
			when: sql`parent_code IS NULL AND level IN ('department', 'district', 'commune')`
		},
		{
			column: 'parent_code',
			value: raw('parent_code'),
			message: 'a province has no parent',
			when: sql`parent_code IS NOT NULL AND level = 'province'`
		},
		{
			column: 'valid_from',
			value: raw('valid_from'),
			message: sql`CASE WHEN overlaps_row = 0
				THEN 'overlaps the validity of a stored version of the same code'
				ELSE 'overlaps the validity of the same code on row ' || overlaps_row END`,
			when: sql`overlaps_row IS NOT NULL`
		},
		{
			column: 'parent_code',
			value: raw('parent_code'),
			message: sql`'no version of this parent is valid on ' || coalesce(strftime(valid_from, '%d/%m/%Y'), 'the child''s first day')`,
			when: sql`parent_code IS NOT NULL AND level <> 'province' AND parent_level IS NULL`
		},
		{
			column: 'parent_code',
			value: raw('parent_code'),
			message: sql`'a ' || level || ' cannot sit under a ' || parent_level`,
			when: sql`parent_level IS NOT NULL AND level <> '?'
				AND unit_level_rank(parent_level) >= unit_level_rank(level)`
		},
		{
			column: 'agency_code',
			value: raw('agency_code'),
			message: AGENCY_TOO_LONG,
			when: sql`length(agency_code) > ${AGENCY_CODE_MAX}`
		},
		{
			column: 'agency_code',
			value: raw('agency_code'),
			message: AGENCY_CHARACTERS,
			when: sql`length(agency_code) <= ${AGENCY_CODE_MAX}
				AND NOT regexp_full_match(agency_code, ${AGENCY_CODE_PATTERN})`
		},
		{
			column: 'agency_code',
			value: raw('agency_code'),
			message: sql`${AGENCY_TAKEN} || agency_taken_by`,
			when: sql`agency_taken_by IS NOT NULL`
		}
	);
	return checks;
}

async function merge({ db, batchId, file }: KindContext): Promise<MergeCounts> {
	await sql`CREATE OR REPLACE TEMP TABLE import_changes AS
		SELECT i.*, u.id AS existing_id, CASE
			WHEN u.id IS NULL THEN 'inserted'
			WHEN row(${columnList(CONTENT, 'i.')}) IS DISTINCT FROM row(${columnList(CONTENT, 'u.')}) THEN 'updated'
			ELSE 'unchanged' END AS change
		FROM import_typed i
		LEFT JOIN unit_versions u ON u.code = i.code AND u.valid_from IS NOT DISTINCT FROM i.valid_from`.execute(
		db
	);
	await keepReplaced(
		db,
		'units',
		batchId,
		sql`id IN (SELECT existing_id FROM import_changes WHERE change = 'updated')`
	);
	await sql`UPDATE unit_versions SET name = c.name, level = c.level, parent_code = c.parent_code,
			valid_to = c.valid_to, agency_code = c.agency_code, import_batch_id = ${batchId}
		FROM import_changes c WHERE c.change = 'updated' AND unit_versions.id = c.existing_id`.execute(db);
	await sql`INSERT INTO unit_versions (code, name, level, parent_code, valid_from, valid_to, agency_code, path, depth, import_batch_id)
		SELECT code, name, level, parent_code, valid_from, valid_to, agency_code, '', 0, ${batchId}
		FROM import_changes WHERE change = 'inserted' ORDER BY __row`.execute(db);
	await rebuildTree(db);
	await reresolveDossiers(db, file);
	await rebuildSubtreeRollup(db);
	return countChanges(db);
}

/** Parents, materialised paths and the closure table, recomputed from the codes and dates. */
export async function rebuildTree(db: KindContext['db']): Promise<void> {
	await sql`UPDATE unit_versions SET parent_id = (
			SELECT p.id FROM unit_versions p WHERE p.code = unit_versions.parent_code
			AND ${validFrom('p')} <= ${validFrom('unit_versions')}
			AND ${validFrom('unit_versions')} <= ${validTo('p')})`.execute(db);
	await sql`CREATE OR REPLACE TEMP TABLE import_tree AS
		WITH RECURSIVE tree(id, path, depth) AS (
			SELECT id, '/' || id || '/', 0 FROM unit_versions WHERE parent_id IS NULL
			UNION ALL
			SELECT c.id, t.path || c.id || '/', t.depth + 1
			FROM unit_versions c JOIN tree t ON c.parent_id = t.id WHERE t.depth < 20
		) SELECT * FROM tree`.execute(db);
	await sql`UPDATE unit_versions SET path = t.path, depth = t.depth
		FROM import_tree t WHERE unit_versions.id = t.id`.execute(db);
	await sql`DELETE FROM unit_closure`.execute(db);
	await sql`INSERT INTO unit_closure
		SELECT CAST(a.ancestor AS INTEGER) AS ancestor_id, u.id AS descendant_id,
			u.depth - a.position + 1 AS depth
		FROM unit_versions u,
			LATERAL (SELECT unnest(string_split(trim(u.path, '/'), '/')) AS ancestor,
				generate_subscripts(string_split(trim(u.path, '/'), '/'), 1) AS position) a`.execute(db);
}

/** Every dossier keeps the version of its code valid on the day it was received. */
export async function reresolveDossiers(db: KindContext['db'], file: string): Promise<void> {
	const moved = await sql`UPDATE dossiers SET unit_version_id = uv.id FROM unit_versions uv
		WHERE uv.code = dossiers.unit_code
		AND CAST(dossiers.received_at AS DATE) BETWEEN ${validFrom('uv')} AND ${validTo('uv')}
		AND dossiers.unit_version_id <> uv.id`.execute(db);
	// Dossiers that changed unit version move between aggregates: recount them all.
	if (Number(moved.numAffectedRows ?? 0) > 0) await rebuildAggregates(db);
	const { rows } = await sql<{ n: number; sample: string | null }>`SELECT count(*) AS n,
		any_value(d.dossier_code || ' (unit ' || d.unit_code || ', received ' || strftime(d.received_at, '%d/%m/%Y') || ')') AS sample
		FROM dossiers d WHERE NOT EXISTS (SELECT 1 FROM unit_versions uv WHERE uv.code = d.unit_code
			AND CAST(d.received_at AS DATE) BETWEEN ${validFrom('uv')} AND ${validTo('uv')})`.execute(db);
	if (rows[0].n > 0) {
		throw new ImportRejected(file, [
			{
				row: null,
				column: 'valid_from',
				value: rows[0].sample,
				message: `these validity dates would leave ${rows[0].n} stored dossiers without a unit, for example`
			}
		]);
	}
}

export const units: RecordKind = {
	spec: KIND_SPECS.units,
	prepare,
	merge,
	// The versions its rows name (code and first day), as they stand after the merge.
	touchedUnits: sql`SELECT u.id AS unit_version_id FROM import_typed t JOIN unit_versions u
		ON u.code = t.code AND u.valid_from IS NOT DISTINCT FROM t.valid_from`
};
