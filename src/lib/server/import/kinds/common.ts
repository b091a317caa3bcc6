import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Check } from '../checks';
import { identifier } from '../sql';
import { REQUIRED, type MergeCounts } from './context';
import type { Database } from '../../db/schema';

export const raw = (c: string) => identifier(`raw_${c}`);
export const col = (c: string) => identifier(c);
/** `"a", "b"`, or `t."a", t."b"` under a table alias of ours (`'t.'`). */
export const columnList = (cols: string[], prefix = '') =>
	sql.join(cols.map((c) => (prefix ? sql.id(prefix.replace(/\.$/, ''), c) : sql.id(c))));

/** `s.code AS raw_code, …`: the cells as written, kept beside the typed values for messages. */
export const rawCopies = (cols: string[]): RawBuilder<unknown> =>
	sql.join(cols.map((c) => sql`s.${col(c)} AS ${raw(c)}`));

export const isEmpty = (c: string) => sql`${raw(c)} IS NULL`;

/** One "required value is empty" check per column, on the cells as written. */
export const requiredChecks = (columns: string[]): Check[] =>
	columns.map((c) => ({ column: c, value: null, message: REQUIRED, when: isEmpty(c) }));
export const isUnparsed = (c: string) => sql`${raw(c)} IS NOT NULL AND ${col(c)} IS NULL`;
export const isUnknownWord = (c: string) => sql`${col(c)} = '?'`;

/**
 * Vocabulary and yes/no cells repeat a handful of distinct values over millions of rows: each
 * distinct value is parsed once (folding accents is costly), and the column is then translated with
 * a CASE over those values — or, past a few dozen distinct values, a join with the parsed list.
 * Returns, per column, the SQL of the parsed value and any join it needs.
 */
export async function parseDistinct(
	db: Kysely<Database>,
	parsers: { column: string; parse: (value: RawBuilder<unknown>) => RawBuilder<unknown> }[]
): Promise<Map<string, { join: RawBuilder<unknown>; value: RawBuilder<unknown> }>> {
	const parts = parsers.map(
		({ column, parse }) => sql`SELECT ${column} AS column_name, raw,
			CAST(${parse(sql.id('raw'))} AS VARCHAR) AS parsed
			FROM (SELECT DISTINCT ${col(column)} AS raw FROM import_staged)`
	);
	await sql`CREATE OR REPLACE TEMP TABLE import_lookup AS ${sql.join(parts, sql` UNION ALL `)}`.execute(
		db
	);
	const { rows } = await sql<{
		column_name: string;
		raw: string | null;
		parsed: string | null;
	}>`SELECT column_name, raw, parsed FROM import_lookup`.execute(db);
	const byColumn = new Map<string, typeof rows>();
	for (const row of rows)
		byColumn.set(row.column_name, [...(byColumn.get(row.column_name) ?? []), row]);
	return new Map(
		parsers.map(({ column }) => {
			const values = byColumn.get(column) ?? [];
			const cell = sql`s.${col(column)}`;
			const whenEmpty = values.find((v) => v.raw === null)?.parsed ?? null;
			if (values.length <= MAX_CASE_VALUES) {
				const branches = values
					.filter((v) => v.raw !== null)
					.map((v) => sql`WHEN ${v.raw} THEN ${v.parsed}::VARCHAR`);
				if (branches.length === 0)
					return [column, { join: sql``, value: sql`${whenEmpty}::VARCHAR` }];
				return [
					column,
					{
						join: sql``,
						value: sql`CASE WHEN ${cell} IS NULL THEN ${whenEmpty}::VARCHAR
							ELSE (CASE ${cell} ${sql.join(branches, sql` `)} END) END`
					}
				];
			}
			// An equality join (hashable); the empty cell apart, IS NOT DISTINCT FROM would not hash.
			const alias = identifier(`lookup_${column}`);
			return [
				column,
				{
					join: sql`LEFT JOIN import_lookup ${alias} ON ${alias}.column_name = ${column}
						AND ${alias}.raw = ${cell}`,
					value: sql`CASE WHEN ${cell} IS NULL THEN ${whenEmpty}::VARCHAR ELSE ${alias}.parsed END`
				}
			];
		})
	);
}

const MAX_CASE_VALUES = 48;

/** What a merge did, from its `import_changes` table (one row per incoming record, with `change`). */
export async function countChanges(db: Kysely<Database>): Promise<MergeCounts> {
	const { rows } = await sql<MergeCounts>`SELECT
		count(*) FILTER (WHERE change = 'inserted') AS inserted,
		count(*) FILTER (WHERE change = 'updated') AS updated,
		count(*) FILTER (WHERE change = 'unchanged') AS unchanged
		FROM import_changes`.execute(db);
	return rows[0];
}

/**
 * The subtrees of the units a column of `import_typed` names (every version of each code): a
 * procedure's owner and a campaign's unit set rules for all the units below them.
 */
export const subtreesOf = (column: string): RawBuilder<unknown> =>
	sql`SELECT c.descendant_id AS unit_version_id FROM import_typed t
		JOIN unit_versions u ON u.code = t.${col(column)}
		JOIN unit_closure c ON c.ancestor_id = u.id`;
