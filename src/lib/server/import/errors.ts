/** What an import reports back: errors a user can act on, in `file:row: column: reason (value)`. */
import { withoutWorkspacePaths } from './workspace';

export interface RowError {
	/** The row number a spreadsheet shows (header on row 1 → first data row is row 2); null for the file as a whole. */
	row: number | null;
	/** The column as headed in the file, or null for the file or row as a whole. */
	column: string | null;
	value: string | null;
	message: string;
	/** The record's key (a dossier's code) where the format names records by it: the portal's payload. */
	record?: string | null;
}

/**
 * At most this many row errors are collected (the API and the upload page list them: issue 14,
 * "the first 1,000"); the total is still counted.
 */
export const MAX_ERRORS = 1000;

/** Of those, a message (the CLI's output, the log) prints this many, one per line. */
export const SHOWN_ERRORS = 100;

export class ImportRejected extends Error {
	constructor(
		readonly file: string,
		readonly errors: RowError[],
		readonly totalErrors = errors.length
	) {
		super(formatErrors(file, errors, totalErrors));
	}
}

export function formatError(file: string, e: RowError): string {
	const where =
		[file, e.row === null ? null : String(e.row)].filter((p) => p !== null).join(':') +
		(e.record ? ` [${e.record}]` : '');
	const column = e.column ? `${e.column}: ` : '';
	const value = e.value === null ? '' : ` (${e.value})`;
	return `${where}: ${column}${e.message}${value}`;
}

export function formatErrors(file: string, errors: RowError[], total = errors.length): string {
	const shown = errors.slice(0, SHOWN_ERRORS);
	const lines = shown.map((e) => formatError(file, e));
	if (total > shown.length) lines.push(`${file}: … and ${total - shown.length} more errors`);
	return lines.join('\n');
}

/** An error about the whole file: no row, no column. */
export function fileError(file: string, message: string): ImportRejected {
	return new ImportRejected(file, [{ row: null, column: null, value: null, message }]);
}

/**
 * The first line of an error a reader (DuckDB) gave, for when no translation of ours fits:
 * without its class ("Invalid Input Error: ") and with the workspace's paths as the file's name.
 */
export function readerReason(error: unknown, name: string): string {
	const message = error instanceof Error ? error.message : String(error);
	const line = message.split('\n').find((l) => l.trim() !== '') ?? message;
	return withoutWorkspacePaths(line.replace(/^[A-Za-z ]*Error:\s*/, ''), name).replace(
		/[\s:.]+$/,
		''
	);
}
