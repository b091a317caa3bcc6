import { sql, type Kysely, type RawBuilder } from 'kysely';
import { identifier } from '../sql';

export const raw = (c: string) => identifier(`raw_${c}`);
export const col = (c: string) => identifier(c);
export const columnList = (cols: string[], prefix = '') =>
	sql.raw(cols.map((c) => `${prefix}"${c}"`).join(', '));

/** `s.code AS raw_code, …`: the cells as written, kept beside the typed values for messages. */
export const rawCopies = (cols: string[]): RawBuilder<unknown> =>
	sql.join(cols.map((c) => sql`s.${col(c)} AS ${raw(c)}`));

export const isEmpty = (c: string) => sql`${raw(c)} IS NULL`;
export const isUnparsed = (c: string) => sql`${raw(c)} IS NOT NULL AND ${col(c)} IS NULL`;
export const isUnknownWord = (c: string) => sql`${col(c)} = '?'`;

/** Inclusive validity of a unit version, NULL bounds open. */
export const VALID_FROM = (alias: string) =>
	sql.raw(`coalesce(${alias}.valid_from, DATE '0001-01-01')`);
export const VALID_TO = (alias: string) =>
	sql.raw(`coalesce(${alias}.valid_to, DATE '9999-12-31')`);

/**
 * Vocabulary and yes/no cells repeat a handful of distinct values over millions of rows: each
 * distinct value is parsed once (folding accents is costly) into `import_lookup`, then joined.
 * Returns, per column, the join to add and the parsed value's SQL.
 */
export async function parseDistinct(
	db: Kysely<unknown>,
	parsers: { column: string; parse: (value: RawBuilder<unknown>) => RawBuilder<unknown> }[]
): Promise<Map<string, { join: RawBuilder<unknown>; value: RawBuilder<unknown> }>> {
	const parts = parsers.map(
		({ column, parse }) => sql`SELECT ${column} AS column_name, raw,
			CAST(${parse(sql.raw('raw'))} AS VARCHAR) AS parsed
			FROM (SELECT DISTINCT ${col(column)} AS raw FROM import_staged)`
	);
	await sql`CREATE OR REPLACE TEMP TABLE import_lookup AS ${sql.join(parts, sql` UNION ALL `)}`.execute(
		db
	);
	// An equality join (hashable); the empty cell is parsed apart, IS NOT DISTINCT FROM would not hash.
	return new Map(
		parsers.map(({ column, parse }) => {
			const alias = identifier(`lookup_${column}`);
			return [
				column,
				{
					join: sql`LEFT JOIN import_lookup ${alias} ON ${alias}.column_name = ${column}
						AND ${alias}.raw = s.${col(column)}`,
					value: sql`CASE WHEN s.${col(column)} IS NULL
						THEN CAST(${parse(sql`NULL::VARCHAR`)} AS VARCHAR) ELSE ${alias}.parsed END`
				}
			];
		})
	);
}
