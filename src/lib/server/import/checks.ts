/**
 * Row checks as SQL: each check selects the offending rows of a typed staging table; all run as
 * one query, the first MAX_ERRORS returned in row order, the total counted.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import { MAX_ERRORS, type RowError } from './errors';
import { identifier } from './sql';
import type { Database } from '../db/schema';

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
	db: Kysely<Database>,
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
		checks.map((c, i) => sql`CASE WHEN ${c.when} THEN ${sql.lit(i)} END`),
		sql`, `
	);
	const pick = (part: (c: Check) => RawBuilder<unknown>) =>
		sql`CASE f.check_no ${sql.join(
			checks.map((c, i) => sql`WHEN ${sql.lit(i)} THEN CAST(${part(c)} AS VARCHAR)`),
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
		-- The total by a subquery, not count(*) OVER (): duckdb/duckdb#25713 (kpi/targets.ts).
		reported AS (SELECT __row, check_no, (SELECT count(*) FROM failures) AS total FROM failures
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

/** One failing (row, check) of `exportFailures`, with the row's cells as written. */
export interface Failure extends RowError {
	/** The row's cells as written in the file, by canonical column. */
	cells: Record<string, string | null>;
}

/** How many failures `exportFailures` hands over at a time. */
const FAILURE_PAGE = 5000;

/**
 * Every failure of `checks` (not only the first MAX_ERRORS), in row order, a page at a time to
 * `write`: the upload page's file of rejected rows. The failing rows are found in one scan, kept
 * in a temp table, and read back by page, so a million bad rows are never in memory at once.
 */
export async function exportFailures(
	db: Kysely<Database>,
	from: RawBuilder<unknown>,
	checks: Check[],
	headerOf: Map<string, string>,
	sourceColumns: string[],
	write: (page: Failure[]) => Promise<void>
): Promise<void> {
	if (checks.length === 0) return;
	const anyFails = sql.join(
		checks.map((c) => sql`(${c.when})`),
		sql` OR `
	);
	const failing = sql.join(
		checks.map((c, i) => sql`CASE WHEN ${c.when} THEN ${sql.lit(i)} END`),
		sql`, `
	);
	await sql`CREATE OR REPLACE TEMP TABLE import_failures AS
		SELECT row_number() OVER (ORDER BY __row, check_no) AS position, __row, check_no FROM (
			SELECT __row, unnest(list_filter([${failing}], x -> x IS NOT NULL)) AS check_no
			FROM ${from} WHERE ${anyFails})`.execute(db);
	const pick = (part: (c: Check) => RawBuilder<unknown>) =>
		sql`CASE f.check_no ${sql.join(
			checks.map((c, i) => sql`WHEN ${sql.lit(i)} THEN CAST(${part(c)} AS VARCHAR)`),
			sql` `
		)} END`;
	const present = sourceColumns.filter((c) => headerOf.has(c));
	try {
		for (let after = 0; ; after += FAILURE_PAGE) {
			const { rows } = await sql<
				{ row: number; check_no: number; value: string | null; message: string } & Record<
					string,
					string | null
				>
			>`SELECT f.__row AS row, f.check_no,
					${pick((c) => c.value ?? sql`NULL`)} AS value,
					${pick((c) => (typeof c.message === 'string' ? sql`${c.message}` : c.message))} AS message
					${sql.join(
						present.map((c) => sql`, ${source(c)} AS ${identifier(`cell_${c}`)}`),
						sql``
					)}
				FROM import_failures f JOIN ${from} USING (__row)
				LEFT JOIN (SELECT __row${sql.join(
					sourceColumns.map((c) => sql`, ${identifier(c)} AS ${source(c)}`),
					sql``
				)} FROM import_staged) src USING (__row)
				WHERE f.position > ${after} AND f.position <= ${after + FAILURE_PAGE}
				ORDER BY f.position`.execute(db);
			if (rows.length === 0) return;
			await write(
				rows.map((r) => {
					const column = checks[r.check_no].column;
					return {
						row: r.row,
						column: column === null ? null : (headerOf.get(column) ?? column),
						value: r.value,
						message: r.message,
						cells: Object.fromEntries(present.map((c) => [c, r[`cell_${c}`] ?? null]))
					};
				})
			);
			if (rows.length < FAILURE_PAGE) return;
		}
	} finally {
		await sql`DROP TABLE IF EXISTS import_failures`.execute(db);
	}
}

/** The row errors a reader found itself (`table`), a page at a time, each with its row's cells. */
export async function exportReaderProblems(
	db: Kysely<Database>,
	table: string,
	columns: string[],
	write: (page: Failure[]) => Promise<void>
): Promise<void> {
	for (let after = 0; ; after += FAILURE_PAGE) {
		const { rows } = await sql<
			{ row: number; column: string; value: string | null; message: string } & Record<
				string,
				string | null
			>
		>`SELECT p.__row AS row, p.column_name AS "column", p.value, p.message
				${sql.join(
					columns.map((c) => sql`, s.${identifier(c)} AS ${identifier(`cell_${c}`)}`),
					sql``
				)}
			FROM ${sql.table(table)} p LEFT JOIN import_staged s USING (__row)
			ORDER BY p.__row, p.column_name LIMIT ${FAILURE_PAGE} OFFSET ${after}`.execute(db);
		await write(
			rows.map((r) => ({
				row: r.row,
				column: r.column,
				value: r.value,
				message: r.message,
				cells: Object.fromEntries(columns.map((c) => [c, r[`cell_${c}`] ?? null]))
			}))
		);
		if (rows.length < FAILURE_PAGE) return;
	}
}

/**
 * The row errors a reader found itself (RawTable.rowProblems) with the checks', in row order, the
 * first MAX_ERRORS of both: a check's error on a row and field the reader already faulted is the
 * same fault seen again (an agency no unit has leaves the unit empty) and is left out.
 */
export async function withReaderProblems(
	db: Kysely<Database>,
	table: string,
	checked: { errors: RowError[]; total: number }
): Promise<{ errors: RowError[]; total: number }> {
	const { rows } = await sql<RowError & { total: number }>`SELECT __row AS row,
			column_name AS "column", value, message, (SELECT count(*) FROM ${sql.table(table)}) AS total
		FROM ${sql.table(table)} ORDER BY __row, column_name LIMIT ${MAX_ERRORS}`.execute(db);
	if (rows.length === 0) return checked;
	const faulted = new Set(rows.map((r) => `${r.row}\u0000${r.column}`));
	const kept = checked.errors.filter((e) => !faulted.has(`${e.row}\u0000${e.column}`));
	const errors = [...rows.map(({ total: _, ...e }) => e), ...kept]
		.sort((a, b) => (a.row ?? 0) - (b.row ?? 0))
		.slice(0, MAX_ERRORS);
	return { errors, total: rows[0].total + checked.total - (checked.errors.length - kept.length) };
}

/** Each error's record named by its key (the dossier's code), as the staged rows have it. */
export async function withRecordKeys(
	db: Kysely<Database>,
	key: string,
	errors: RowError[]
): Promise<RowError[]> {
	const rows = [...new Set(errors.flatMap((e) => (e.row === null ? [] : [e.row])))];
	if (rows.length === 0) return errors;
	const { rows: keys } = await sql<{ row: number; record: string | null }>`SELECT __row AS row,
		CAST(${sql.ref(key)} AS VARCHAR) AS record FROM import_staged
		WHERE __row IN (${sql.join(rows)})`.execute(db);
	const byRow = new Map(keys.map((k) => [k.row, k.record]));
	return errors.map((e) => ({ ...e, record: e.row === null ? null : (byRow.get(e.row) ?? null) }));
}
