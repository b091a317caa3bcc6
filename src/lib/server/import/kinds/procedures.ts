/** The procedure catalogue (CONTRACT.md: procedures), upserted by `code`. */
import { sql } from 'kysely';
import { rebuildAggregates } from '../../kpi/aggregates';
import type { Check } from '../checks';
import { keepReplaced } from '../history/replaced';
import { KIND_SPECS } from '../columns';
import { EXPECTED, VOCABULARY } from '../sql';
import {
	columnList,
	countChanges,
	isUnknownWord,
	isUnparsed,
	raw,
	rawCopies,
	requiredChecks,
	subtreesOf
} from './common';
import { type KindContext, type MergeCounts, type RecordKind } from './context';

const CONTENT = [
	'name',
	'level',
	'field',
	'online_level',
	'has_fee',
	'online_payment',
	'unit_code',
	'active'
];

async function prepare({ db }: KindContext): Promise<Check[]> {
	const names = KIND_SPECS.procedures.columns.map((c) => c.name);
	await sql`CREATE OR REPLACE TEMP TABLE import_typed AS
		WITH typed AS (
			SELECT s.__row, ${rawCopies(names)},
				cell(s.code) AS code, cell(s.name) AS name, parse_target_level(s.level) AS level,
				cell(s.field) AS field, parse_online_level(s.online_level) AS online_level,
				parse_bool(s.has_fee) AS has_fee, parse_bool(s.online_payment) AS online_payment,
				cell(s.unit_code) AS unit_code,
				CASE WHEN cell(s.active) IS NULL THEN true ELSE parse_bool(s.active) END AS active
			FROM import_staged s
		)
		SELECT t.*, known.code IS NOT NULL AS owner_known,
			first_value(__row) OVER same_code AS first_row,
			hash(row(${columnList(CONTENT, 't.')})) <> first_value(hash(row(${columnList(CONTENT, 't.')}))) OVER same_code AS differs
		FROM typed t
		LEFT JOIN (SELECT DISTINCT code FROM unit_versions) known ON known.code = t.unit_code
		WINDOW same_code AS (PARTITION BY t.code ORDER BY t.__row)`.execute(db);
	const checks = requiredChecks(['code', 'name', 'level', 'online_level']);
	checks.push(
		{
			column: 'level',
			value: raw('level'),
			message: VOCABULARY.target_level,
			when: isUnknownWord('level')
		},
		{
			column: 'online_level',
			value: raw('online_level'),
			message: VOCABULARY.online_level,
			when: isUnknownWord('online_level')
		},
		...['has_fee', 'online_payment', 'active'].map((c) => ({
			column: c,
			value: raw(c),
			message: EXPECTED.boolean,
			when: isUnparsed(c)
		})),
		{
			column: 'unit_code',
			value: sql`unit_code`,
			message: 'unknown unit code; import the units first',
			when: sql`unit_code IS NOT NULL AND NOT owner_known`
		},
		{
			column: 'code',
			value: sql`code`,
			message: sql`'the same procedure code is on row ' || first_row || ' with different content'`,
			when: sql`code IS NOT NULL AND differs`
		}
	);
	return checks;
}

async function merge({ db, batchId }: KindContext): Promise<MergeCounts> {
	await sql`CREATE OR REPLACE TEMP TABLE import_changes AS
		SELECT i.*, CASE
			WHEN p.code IS NULL THEN 'inserted'
			WHEN row(${columnList(CONTENT, 'i.')}) IS DISTINCT FROM row(${columnList(CONTENT, 'p.')}) THEN 'updated'
			ELSE 'unchanged' END AS change
		FROM (SELECT * FROM import_typed QUALIFY row_number() OVER (PARTITION BY code ORDER BY __row) = 1) i
		LEFT JOIN procedures p USING (code)`.execute(db);
	const replaced = sql`code IN (SELECT code FROM import_changes WHERE change = 'updated')`;
	await keepReplaced(db, 'procedures', batchId, replaced);
	await sql`DELETE FROM procedures WHERE ${replaced}`.execute(db);
	await sql`INSERT INTO procedures (code, ${columnList(CONTENT)}, import_batch_id)
		SELECT code, ${columnList(CONTENT)}, ${batchId} FROM import_changes WHERE change <> 'unchanged'`.execute(
		db
	);
	const counts = await countChanges(db);
	// A procedure's online level is its dossiers' unless they say otherwise: recount them all.
	if (counts.updated > 0) await rebuildAggregates(db);
	return counts;
}

export const procedures: RecordKind = {
	spec: KIND_SPECS.procedures,
	prepare,
	merge,
	// The owners' subtrees; a procedure without an owner touches no unit (README: the data page).
	touchedUnits: subtreesOf('unit_code'),
	// DOMAIN.md: a procedure owned by no one counts for every unit of its level.
	provinceWide: sql`SELECT 1 FROM import_typed WHERE unit_code IS NULL`
};
