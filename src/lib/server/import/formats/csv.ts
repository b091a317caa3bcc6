/**
 * CSV (UTF-8 with or without BOM, `,` or `;`): the header row is found in JS among the first lines
 * (a title block may sit above it), then DuckDB's `read_csv` loads every row as text.
 */
import { sql, type Kysely } from 'kysely';
import { findHeaderRow, type KindSpec } from '../columns';
import { fileError, ImportRejected, MAX_ERRORS, readerReason } from '../errors';
import { checkWidth } from '../limits';
import { literal } from '../sql';
import type { RawTable } from '../stage';
import { readHead, scanLines, splitCsvLine } from './text';
import type { Database } from '../../db/schema';

const DELIMITERS = [',', ';', '\t'];

export async function loadCsv(
	db: Kysely<Database>,
	file: string,
	name: string,
	spec: KindSpec
): Promise<RawTable> {
	const head = (await readHead(file, name)).replace(/^\uFEFF/, '');
	const lines = head.split(/\r?\n/);
	let found: { delimiter: string; index: number; cells: string[] } | null = null;
	let foundMatched = 0;
	for (const delimiter of DELIMITERS) {
		const rows = lines.slice(0, 30).map((l) => splitCsvLine(l, delimiter));
		const header = findHeaderRow(spec, rows);
		if (!header) continue;
		const complete = header.match.missingRequired.length === 0;
		const score = header.match.matched + (complete ? 1000 : 0);
		if (score > foundMatched) {
			found = { delimiter, index: header.index, cells: rows[header.index] };
			foundMatched = score;
		}
	}
	if (!found) {
		const required = spec.columns.filter((c) => c.required).map((c) => c.name);
		throw fileError(
			name,
			lines.join('').trim() === ''
				? 'the file has no rows'
				: `no header row found in the first 30 rows; expected columns ${required.join(', ')}`
		);
	}
	checkWidth(name, found.cells.length, `the header (row ${found.index + 1})`);
	const { blank, lines: lineCount, lastFilled } = await scanLines(file, name);
	if (lineCount <= found.index + 1) throw fileError(name, 'no data rows under the header');
	// A few spare columns catch rows with more cells than the header, to be named as row errors.
	const columns = sql.join(
		[
			...found.cells.map((_, i) => `c${i}`),
			...Array.from({ length: SPARE_COLUMNS }, (_, i) => `spare${i}`)
		].map((c) => sql`${literal(c)}: 'VARCHAR'`)
	);
	const read = (parallel: boolean) => sql`CREATE OR REPLACE TEMP TABLE import_csv AS
		SELECT * FROM read_csv(${literal(file)}, delim = ${literal(found.delimiter)}, quote = '"',
			escape = '"', header = false, skip = ${sql.lit(found.index + 1)},
			auto_detect = false, all_varchar = true, null_padding = true, strict_mode = false,
			parallel = ${sql.lit(parallel)}, columns = {${columns}})`;
	try {
		try {
			await read(true).execute(db);
		} catch (error) {
			// DuckDB's parallel reader cannot pad short rows when a quoted cell holds a line break.
			if (!(error instanceof Error) || !/parallel/i.test(error.message)) throw error;
			await read(false).execute(db);
		}
	} catch (error) {
		throw fileError(name, describeCsvError(error, name));
	}
	const blankInData = blank.filter((l) => l > found.index && l < lastFilled);
	await numberRows(
		db,
		found.index + 2,
		blankInData.map((l) => l - found.index - 1)
	);
	await rejectSpareCells(db, name, found.cells.length);
	return {
		headers: found.cells,
		match: findHeaderRow(spec, [found.cells])!.match,
		headerRow: found.index + 1,
		notes:
			found.index > 0
				? [`skipped ${found.index} title rows above the header (row ${found.index + 1})`]
				: [],
		blankRows: blankInData.map((l) => l + 1)
	};
}

/**
 * `import_raw`: the rows of `import_csv` with `__row`, the spreadsheet row of each record (the first
 * data row's number plus its place, plus the blank lines above it, which DuckDB drops). Rowids count
 * rows in file order; inside a transaction they start high, hence the base. Without blank lines it
 * is a view: no copy of a million rows.
 */
async function numberRows(db: Kysely<Database>, firstRow: number, blankOffsets: number[]) {
	// As text: transaction rowids exceed JavaScript's safe integers.
	const [{ base }] = (
		await sql<{
			base: string;
		}>`SELECT CAST(coalesce(min(rowid), 0) AS VARCHAR) AS base FROM import_csv`.execute(db)
	).rows;
	const shift = sql`${sql.lit(firstRow)} - ${sql.lit(BigInt(base))}`;
	if (blankOffsets.length === 0) {
		await sql`CREATE OR REPLACE TEMP VIEW import_raw AS
			SELECT CAST(rowid + ${shift} AS INTEGER) AS __row, * FROM import_csv`.execute(db);
		return;
	}
	// A blank line at offset k below the header, the i-th blank (from 0), follows k - i records.
	await sql`CREATE OR REPLACE TEMP TABLE import_blank_lines AS
		SELECT offset_ - (row_number() OVER (ORDER BY offset_) - 1) AS records_before
		FROM (SELECT unnest([${sql.join(blankOffsets.map((o) => sql.lit(o)))}]::BIGINT[]) AS offset_)`.execute(
		db
	);
	await sql`CREATE OR REPLACE TEMP TABLE import_raw AS
		SELECT CAST(rowid + ${shift} + (SELECT count(*) FROM import_blank_lines b
			WHERE b.records_before <= import_csv.rowid - ${sql.lit(BigInt(base))}) AS INTEGER) AS __row, *
		FROM import_csv`.execute(db);
}

const SPARE_COLUMNS = 8;

async function rejectSpareCells(
	db: Kysely<Database>,
	name: string,
	columns: number
): Promise<void> {
	const spare = Array.from({ length: SPARE_COLUMNS }, (_, i) => sql.id(`spare${i}`));
	const { rows } = await sql<{ row: number; value: string }>`SELECT __row AS row,
		coalesce(${sql.join(spare)}) AS value FROM import_raw
		WHERE coalesce(${sql.join(spare)}) IS NOT NULL ORDER BY __row LIMIT ${MAX_ERRORS}`.execute(db);
	if (rows.length > 0) {
		throw new ImportRejected(
			name,
			rows.map((r) => ({
				row: r.row,
				column: null,
				value: r.value,
				message: `more cells than the header's ${columns} columns (quote a value that contains the delimiter)`
			}))
		);
	}
}

function describeCsvError(error: unknown, name: string): string {
	const message = error instanceof Error ? error.message : String(error);
	if (/invalid unicode/i.test(message)) {
		return 'the file is not UTF-8 text (it may be in Windows-1258 or another old encoding); save it again as "CSV UTF-8"';
	}
	const line = /Line:\s*(\d+)/.exec(message)?.[1];
	// DuckDB's second line says what is wrong; its first names the reader and the workspace path.
	const detail = message.split('\n')[1]?.trim();
	const reason = detail ? readerReason(new Error(detail), name) : readerReason(error, name);
	return `cannot read the CSV${line ? ` at line ${line}` : ''}: ${reason}`;
}
