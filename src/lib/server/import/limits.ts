/**
 * How big a file's shape may be, checked before anything is read into memory (issue 10: a file of
 * 5,000 columns and an XLSX of 200 MB of shared strings each took the server process past 1 GB,
 * and DuckDB ran out of memory). The bounds are far beyond any one-stop export (our widest kind
 * has 16 columns; exports add a few dozen) and refuse only what no clerk produces.
 */
import { fileError } from './errors';

/** Columns of a header (CSV, XLSX), keys of the records (JSON) or columns (Parquet). */
export const MAX_COLUMNS = 256;

/** Characters of one cell: Excel's own limit, so a longer XLSX cell was not written by Excel. */
export const MAX_CELL_CHARACTERS = 32_767;

/** Bytes of one physical line of a CSV: every column at a long cell's length, with room. */
export const MAX_LINE_BYTES = 1 << 20;

/** Bytes of an XLSX's shared strings once unzipped: exceljs keeps them all in memory. */
export const MAX_SHARED_STRINGS_BYTES = 100 << 20;

/**
 * Bytes of one JSON or NDJSON record, as DuckDB's reader bounds it (`maximum_object_size`). Its
 * buffer is twice that, so records of 16 to 32 MB got through: the bound is checked again after
 * loading, and a record beyond 32 MB is found in the file to name its row.
 */
export const MAX_RECORD_BYTES = 16 << 20;

/** Refuses a file wider than `MAX_COLUMNS`; `where` names what has the columns ("the header"). */
export function checkWidth(file: string, columns: number, where: string): void {
	if (columns <= MAX_COLUMNS) return;
	throw fileError(
		file,
		`${where} has ${columns} columns; at most ${MAX_COLUMNS} can be imported (remove the columns the import does not use)`
	);
}

export const megabytes = (bytes: number) => `${Math.round((bytes / (1 << 20)) * 10) / 10} MB`;
