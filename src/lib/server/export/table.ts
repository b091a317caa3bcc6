/**
 * What an export writes, whatever the format (issue 12: every dashboard table as XLSX and CSV;
 * the monthly report reuses it): a table is a sheet name, a few title lines, typed columns and
 * rows of plain values. The dashboard modules give the values; the writers (xlsx.ts, csv.ts) give
 * each column type its form: a ratio is the number 0.793 shown `79,3%`, never the text "79,3%".
 */

/**
 * - `text`: words, ours (a status, a level) or imported (unit, procedure, field and campaign
 *   names, dossier codes); every text cell is made formula-safe, so no column can be forgotten;
 * - `integer`: a count; `ratio`: a fraction (0.793) shown as a percent with one decimal;
 *   `target`: a target (0.7024), shown with one decimal or two when it has them (`70,24%`), as
 *   formatTarget prints it;
 * - `date`: `YYYY-MM-DD`; `month`: its first day, shown `10/2026`; `datetime`: a local wall-clock `YYYY-MM-DDTHH:mm:ss`;
 * - `days`: a whole number of days; `points`: service-index points (12.345), shown with two
 *   decimals as formatIndexPoints prints them.
 */
export type ColumnKind =
	'text' | 'integer' | 'ratio' | 'target' | 'date' | 'month' | 'datetime' | 'days' | 'points';

export interface ExportColumn {
	header: string;
	kind: ColumnKind;
	/** In characters; the writer's default for the kind when absent. */
	width?: number;
}

/** A string for text and dates, a number for the others; null is an empty cell (never 0). */
export type Cell = string | number | null;

export interface ExportTable {
	/** The sheet's name (cut and cleaned by the XLSX writer: Excel allows 31 characters). */
	sheet: string;
	/** Lines above the header row: unit, table, period, when it was exported. */
	title: string[];
	columns: ExportColumn[];
	rows: Cell[][];
	/** Lines below the rows (a limit that cut the rows, a rule the figures follow). */
	notes?: string[];
}

/**
 * A text a spreadsheet would read as a formula, or as the start of one (OWASP "CSV injection"):
 * `=`, `+`, `-`, `@`, and a tab or carriage return, which Excel strips before looking again.
 */
export const looksLikeFormula = (text: string): boolean => /^[=+\-@\t\r]/.test(text);

/**
 * The text as a CSV cell that cannot run: a leading apostrophe, which Excel and LibreOffice show
 * as a text marker. The XLSX writer instead stores such a cell as text with the text format, so
 * it reads the same as typed.
 */
export const csvSafeText = (text: string): string => (looksLikeFormula(text) ? `'${text}` : text);
