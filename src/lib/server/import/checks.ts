/**
 * Row checks as SQL: each check selects the offending rows of a typed staging table; all run as
 * one query, the first MAX_ERRORS returned in row order, the total counted.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import { MAX_ERRORS, type RowError } from './errors';
import { identifier } from './sql';

export interface Check {
	/** Canonical column the error is about (shown with the file's own header), or null for the row. */
	column: string | null;
	/** SQL of the offending value, shown in parentheses. */
	value: RawBuilder<unknown> | null;
	message: string | RawBuilder<unknown>;
	/** SQL condition over the typed table `t` (and its raw twin `s`) that marks a bad row. */
	when: RawBuilder<unknown>;
}

export async function runChecks(
	db: Kysely<unknown>,
	from: RawBuilder<unknown>,
	checks: Check[],
	headerOf: Map<string, string>,
	/** Every column of `import_staged` (the kind's columns; those the file lacks are NULL). */
	sourceColumns: string[]
): Promise<{ errors: RowError[]; total: number }> {
	if (checks.length === 0) return { errors: [], total: 0 };
	// One scan for every check: the rows failing any, then which checks each fails.
	const anyFails = sql.join(
		checks.map((c) => sql`(${c.when})`),
		sql` OR `
	);
	const failing = sql.join(
		checks.map((c, i) => sql`CASE WHEN ${c.when} THEN ${sql.raw(String(i))} END`),
		sql`, `
	);
	const pick = (part: (c: Check) => RawBuilder<unknown>) =>
		sql`CASE f.check_no ${sql.join(
			checks.map((c, i) => sql`WHEN ${sql.raw(String(i))} THEN CAST(${part(c)} AS VARCHAR)`),
			sql` `
		)} END`;
	// Values and messages are worked out for the reported rows only, with the file's cells as
	// `src_<column>` (see `source`), so the typed table need not carry a copy of every cell.
	const { rows } = await sql<{
		row: number;
		check_no: number;
		value: string | null;
		message: string;
		total: number;
	}>`WITH failures AS (
			SELECT __row, unnest(list_filter([${failing}], x -> x IS NOT NULL)) AS check_no
			FROM ${from} WHERE ${anyFails}
		),
		reported AS (SELECT __row, check_no, count(*) OVER () AS total FROM failures
			ORDER BY __row, check_no LIMIT ${MAX_ERRORS})
		SELECT f.__row AS row, f.check_no, f.total,
			${pick((c) => c.value ?? sql`NULL`)} AS value,
			${pick((c) => (typeof c.message === 'string' ? sql`${c.message}` : c.message))} AS message
		FROM reported f JOIN ${from} USING (__row)
		LEFT JOIN (SELECT __row${sql.join(
			sourceColumns.map((c) => sql`, ${identifier(c)} AS ${source(c)}`),
			sql``
		)} FROM import_staged) src USING (__row)
		ORDER BY f.__row, f.check_no`.execute(db);
	return {
		total: rows[0]?.total ?? 0,
		errors: rows.map((r) => {
			const column = checks[r.check_no].column;
			return {
				row: r.row,
				column: column === null ? null : (headerOf.get(column) ?? column),
				value: r.value,
				message: r.message
			};
		})
	};
}

/** A cell as written in the file, for a check's value or message (not its condition). */
export const source = (column: string) => identifier(`src_${column}`);
