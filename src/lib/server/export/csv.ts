/**
 * An export as CSV: UTF-8 with a byte-order mark (without it Excel reads Vietnamese as Windows-1252
 * mojibake), `,` between cells, CRLF between records and RFC 4180 quoting. The title lines and
 * notes are one-cell records around the table. Values are written for programs and for any
 * locale: numbers with a `.` decimal point and no grouping (a ratio as its fraction, 0.793),
 * dates ISO (`2026-10-31`, `2026-10-31 14:05`, a month `2026-10`), an empty value as an empty cell. Text that looks
 * like a formula gets an apostrophe in front (table.ts).
 */
import { csvSafeText, type Cell, type ColumnKind, type ExportTable } from './table';

export const CSV_CONTENT_TYPE = 'text/csv; charset=utf-8';

const BOM = '\uFEFF';

/** A cell as RFC 4180 writes it: quoted when it holds a quote, a comma or a line break. */
function quoted(text: string): string {
	return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function cellText(value: Cell, kind: ColumnKind): string {
	if (value === null) return '';
	if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '';
	if (kind === 'datetime') return value.slice(0, 16).replace('T', ' ');
	if (kind === 'month') return value.slice(0, 7);
	return csvSafeText(value);
}

export function writeCsv(table: ExportTable): Buffer {
	const records: string[][] = [
		...table.title.map((line) => [csvSafeText(line)]),
		table.columns.map((c) => csvSafeText(c.header)),
		...table.rows.map((row) => row.map((value, i) => cellText(value, table.columns[i].kind))),
		...(table.notes ?? []).map((line) => [csvSafeText(line)])
	];
	const text = records.map((record) => record.map(quoted).join(',')).join('\r\n');
	return Buffer.from(BOM + text + '\r\n', 'utf8');
}
