/** Dossiers (CONTRACT.md: dossiers): typed and checked in SQL, merged by `dossier_code`. */
import { sql, type RawBuilder } from 'kysely';
import { noteAffected, refreshAggregates } from '../../kpi/aggregates';
import { keepReplaced } from '../history/replaced';
import { source, type Check } from '../checks';
import { KIND_SPECS } from '../columns';
import { EXPECTED, VOCABULARY } from '../sql';
import { validOn } from '../../units/validity';
import { col, columnList, isEmpty, isUnknownWord, isUnparsed, parseDistinct, raw } from './common';
import { REQUIRED, type KindContext, type MergeCounts, type RecordKind } from './context';

const TIMESTAMP_COLUMNS = ['received_at', 'due_at', 'completed_at'];

const BOOLEAN_COLUMNS = [
	'fee_required',
	'paid_online',
	'dossier_digitized',
	'result_digitized',
	'data_reused',
	'portal_synced'
] as const;

/** The stored columns that make a dossier's content; a re-import that changes none is `unchanged`. */
const CONTENT_COLUMNS = [
	'procedure_code',
	'unit_code',
	'unit_version_id',
	'channel',
	'received_at',
	'due_at',
	'completed_at',
	'status',
	'online_level',
	...BOOLEAN_COLUMNS,
	'rating'
];

async function prepare({ db, staged }: KindContext): Promise<Check[]> {
	const has = (c: string) => staged.headerOf.has(c);
	// Only the timestamp cells are kept as written: their checks need "given but not parsed".
	const rawCopies = TIMESTAMP_COLUMNS.map((c) => sql`s.${col(c)} AS ${raw(c)}`);
	const lookups = await parseDistinct(db, [
		{ column: 'channel', parse: (v) => sql`parse_channel(${v})` },
		{ column: 'status', parse: (v) => sql`parse_status(${v})` },
		{ column: 'online_level', parse: (v) => sql`parse_online_level(${v})` },
		{ column: 'rating', parse: (v) => sql`parse_rating(${v})` },
		...BOOLEAN_COLUMNS.map((c) => ({
			column: c,
			// CONTRACT: the portal's DuocThanhToanTrucTuyen uses 1 and 2 for paid online.
			parse: (v: RawBuilder<unknown>) =>
				c === 'paid_online'
					? sql`CASE WHEN trim(${v}) = '2' THEN true ELSE parse_bool(${v}) END`
					: sql`parse_bool(${v})`
		}))
	]);
	const lookup = (c: string) => lookups.get(c)!.value;
	// An absent fee column means "as the procedure says" (CONTRACT.md); an empty cell means no fee.
	const booleans = BOOLEAN_COLUMNS.map((c) =>
		c === 'fee_required' && !has('fee_required')
			? sql`NULL::BOOLEAN AS fee_required`
			: sql`CAST(${lookup(c)} AS BOOLEAN) AS ${col(c)}`
	);
	await sql`CREATE OR REPLACE TEMP TABLE import_typed AS
		WITH typed AS (
			SELECT s.__row, ${sql.join(rawCopies)},
				cell(s.dossier_code) AS dossier_code,
				cell(s.procedure_code) AS procedure_code,
				cell(s.unit_code) AS unit_code,
				${lookup('channel')} AS channel,
				parse_timestamp(s.received_at) AS received_at,
				parse_timestamp(s.due_at) AS due_at_given,
				parse_timestamp(s.completed_at) AS completed_at,
				${lookup('status')} AS parsed_status,
				${lookup('online_level')} AS online_level,
				${sql.join(booleans)},
				${lookup('rating')} AS rating
			FROM import_staged s
			${sql.join(
				[...lookups.values()].map((l) => l.join),
				sql` `
			)}
		)
		SELECT t.* EXCLUDE (due_at_given),
			-- A due date is a day (CONTRACT: "a due_at given as a date alone means the end of that
			-- day"); exports that print it as dd/mm/yyyy 00:00:00 mean the same day.
			CASE WHEN is_midnight(due_at_given)
				THEN due_at_given + INTERVAL 1 DAY - INTERVAL 1 MICROSECOND
				ELSE due_at_given END AS due_at,
			coalesce(t.parsed_status, CASE WHEN t.completed_at IS NOT NULL THEN 'completed' ELSE 'received' END) AS status,
			p.code IS NOT NULL AS procedure_known,
			p.has_fee AS procedure_has_fee,
			known.code IS NOT NULL AS unit_known,
			uv.id AS unit_version_id
		FROM typed t
		LEFT JOIN procedures p ON p.code = t.procedure_code
		LEFT JOIN (SELECT DISTINCT code FROM unit_versions) known ON known.code = t.unit_code
		LEFT JOIN unit_versions uv ON uv.code = t.unit_code
			AND ${validOn('uv', sql`CAST(t.received_at AS DATE)`)}`.execute(db);
	return [...valueChecks(has), ...(await duplicateChecks(db))];
}

function valueChecks(has: (column: string) => boolean): Check[] {
	const checks: Check[] = ['dossier_code', 'procedure_code', 'unit_code', 'channel'].map((c) => ({
		column: c,
		value: null,
		message: REQUIRED,
		when: sql`${col(c)} IS NULL`
	}));
	checks.push({
		column: 'received_at',
		value: null,
		message: REQUIRED,
		when: isEmpty('received_at')
	});
	for (const c of TIMESTAMP_COLUMNS) {
		checks.push({ column: c, value: source(c), message: EXPECTED.timestamp, when: isUnparsed(c) });
	}
	checks.push(
		{
			column: 'received_at',
			value: source('received_at'),
			message: EXPECTED.received,
			when: sql`implausible(received_at) OR received_too_late(received_at)`
		},
		...['due_at', 'completed_at'].map((c) => ({
			column: c,
			value: source(c),
			message: EXPECTED.plausible,
			when: sql`implausible(${col(c)})`
		}))
	);
	checks.push(
		{
			column: 'completed_at',
			value: source('completed_at'),
			message: 'completed before it was received',
			when: sql`completed_at < received_at`
		},
		{
			column: 'channel',
			value: source('channel'),
			message: VOCABULARY.channel,
			when: isUnknownWord('channel')
		},
		{
			column: 'status',
			value: source('status'),
			message: VOCABULARY.status,
			when: sql`parsed_status = '?'`
		},
		{
			column: 'online_level',
			value: source('online_level'),
			message: VOCABULARY.online_level,
			when: isUnknownWord('online_level')
		},
		{
			column: 'rating',
			value: source('rating'),
			message: VOCABULARY.rating,
			when: isUnknownWord('rating')
		}
	);
	// An empty yes/no cell is false; NULL means the cell held something else.
	for (const c of BOOLEAN_COLUMNS.filter(has)) {
		checks.push({
			column: c,
			value: source(c),
			message: EXPECTED.boolean,
			when: sql`${col(c)} IS NULL`
		});
	}
	checks.push(
		{
			column: 'procedure_code',
			value: sql`procedure_code`,
			message: 'unknown procedure code; import the procedure catalogue first',
			when: sql`procedure_code IS NOT NULL AND NOT procedure_known`
		},
		{
			column: 'unit_code',
			value: sql`unit_code`,
			message: 'unknown unit code; import the units first',
			when: sql`unit_code IS NOT NULL AND NOT unit_known`
		},
		{
			column: 'unit_code',
			value: sql`unit_code`,
			message: sql`'no version of this unit is valid on ' || strftime(received_at, '%d/%m/%Y') || ', the day the dossier was received'`,
			when: sql`unit_known AND received_at IS NOT NULL AND unit_version_id IS NULL`
		}
	);
	return checks;
}

/** The same `dossier_code` twice in one file is fine when the rows agree, an error when they differ. */
async function duplicateChecks(db: KindContext['db']): Promise<Check[]> {
	await sql`CREATE OR REPLACE TEMP TABLE import_code_counts AS SELECT count(*) AS n,
		count(DISTINCT dossier_code) AS distinct_codes FROM import_typed WHERE dossier_code IS NOT NULL`.execute(
		db
	);
	if (!(await hasRepeatedCodes(db))) return [];
	const content = contentTuple('');
	await sql`CREATE OR REPLACE TEMP TABLE import_duplicates AS
		SELECT __row, first_value(__row) OVER w AS first_row,
			hash(${content}) <> first_value(hash(${content})) OVER w AS differs
		FROM import_typed WHERE dossier_code IN (
			SELECT dossier_code FROM import_typed GROUP BY dossier_code HAVING count(*) > 1)
		WINDOW w AS (PARTITION BY dossier_code ORDER BY __row)`.execute(db);
	return [
		{
			column: 'dossier_code',
			value: sql`dossier_code`,
			message: sql`'the same dossier code is on row ' || (SELECT first_row FROM import_duplicates d WHERE d.__row = import_typed.__row) || ' with different content'`,
			when: sql`__row IN (SELECT __row FROM import_duplicates WHERE differs)`
		}
	];
}

async function hasRepeatedCodes(db: KindContext['db']): Promise<boolean> {
	const { rows } = await sql<{ repeated: boolean }>`SELECT n > distinct_codes AS repeated
		FROM import_code_counts`.execute(db);
	return rows[0].repeated;
}

function contentTuple(prefix: string): RawBuilder<unknown> {
	return sql`row(${columnList(
		CONTENT_COLUMNS.filter((c) => c !== 'unit_version_id'),
		prefix
	)})`;
}

async function merge({ db, batchId }: KindContext): Promise<MergeCounts> {
	const columns = ['dossier_code', ...CONTENT_COLUMNS];
	const incoming = sql.join(
		columns.map((c) =>
			c === 'fee_required'
				? sql`coalesce(fee_required, procedure_has_fee) AS fee_required`
				: sql.id(c)
		)
	);
	const repeated = await hasRepeatedCodes(db);
	// One pass: each incoming dossier (the first of identical repeats) with what it does to the store.
	await sql`CREATE OR REPLACE TEMP TABLE import_changes AS
		WITH incoming AS (
			SELECT ${incoming} FROM import_typed
			${repeated ? sql`QUALIFY row_number() OVER (PARTITION BY dossier_code ORDER BY __row) = 1` : sql``}
		)
		SELECT i.*, CASE
			WHEN d.dossier_code IS NULL THEN 'inserted'
			WHEN row(${columnList(CONTENT_COLUMNS, 'i.')}) IS DISTINCT FROM row(${columnList(CONTENT_COLUMNS, 'd.')}) THEN 'updated'
			ELSE 'unchanged' END AS change
		FROM incoming i LEFT JOIN dossiers d USING (dossier_code)`.execute(db);
	const { rows } = await sql<MergeCounts & { total: number }>`SELECT
		count(*) FILTER (WHERE change = 'inserted') AS inserted,
		count(*) FILTER (WHERE change = 'updated') AS updated,
		count(*) FILTER (WHERE change = 'unchanged') AS unchanged,
		count(*) AS total
		FROM import_changes`.execute(db);
	const { total, ...counts } = rows[0];
	if (counts.updated > 0) {
		const replaced = sql`dossier_code IN (SELECT dossier_code FROM import_changes WHERE change = 'updated')`;
		await noteAffected(db, replaced);
		await keepReplaced(db, 'dossiers', batchId, replaced);
		await sql`DELETE FROM dossiers WHERE ${replaced}`.execute(db);
	}
	if (counts.inserted + counts.updated > 0) {
		await sql`INSERT INTO dossiers (${columnList(columns, '')}, import_batch_id)
			SELECT ${columnList(columns, '')}, ${batchId} FROM import_changes
			WHERE change <> 'unchanged'`.execute(db);
		await noteAffected(db, sql`change <> 'unchanged'`, sql`import_changes`);
		await refreshAggregates(db);
	}
	const [{ n }] = (await sql<{ n: number }>`SELECT count(*) AS n FROM import_typed`.execute(db))
		.rows;
	const repeats = n - total;
	return {
		...counts,
		warnings:
			repeats > 0 ? [`${repeats} rows repeat an earlier row of the file and were counted once`] : []
	};
}

export const dossiers: RecordKind = {
	spec: KIND_SPECS.dossiers,
	prepare,
	merge,
	// Every row's unit, changed or not: the file is about those units.
	touchedUnits: sql`SELECT unit_version_id FROM import_typed`
};
