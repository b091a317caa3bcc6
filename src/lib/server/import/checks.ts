/**
 * Row checks as SQL: each check selects the offending rows of a typed staging table; all run as
 * one query, the first MAX_ERRORS returned in row order, the total counted.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import { MAX_ERRORS, type RowError } from './errors';

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
	headerOf: Map<string, string>
): Promise<{ errors: RowError[]; total: number }> {
	if (checks.length === 0) return { errors: [], total: 0 };
	const parts = checks.map(
		(c, i) => sql`SELECT __row AS row, ${i} AS check_no,
			${c.value ?? sql`NULL`}::VARCHAR AS value,
			${typeof c.message === 'string' ? sql`${c.message}` : c.message}::VARCHAR AS message
			FROM ${from} WHERE ${c.when}`
	);
	const { rows } = await sql<{
		row: number;
		check_no: number;
		value: string | null;
		message: string;
		total: number;
	}>`WITH failures AS (${sql.join(parts, sql` UNION ALL `)})
		SELECT *, count(*) OVER () AS total FROM failures ORDER BY row, check_no LIMIT ${MAX_ERRORS}`.execute(
		db
	);
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
