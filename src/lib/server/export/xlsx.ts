/**
 * An export as an XLSX workbook (exceljs), a sheet per table: the title lines, then a bold header
 * row frozen with everything above it, column widths, and real values — counts and ratios as
 * numbers (a ratio 0.793 with the format `0.0%`, which a Vietnamese Excel shows `79,3%`), dates as
 * dates (`dd/mm/yyyy`). Text that looks like a formula stays text (table.ts).
 */
import ExcelJS from 'exceljs';
import { looksLikeFormula, type ColumnKind, type ExportTable } from './table';
import { sheetName } from './names';

export const XLSX_CONTENT_TYPE =
	'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Excel's number formats; its own locale turns `.` and `,` into the reader's separators. */
export const NUMBER_FORMATS: Record<ColumnKind, string | undefined> = {
	text: undefined,
	integer: '#,##0',
	ratio: '0.0%',
	// 0.7 shows `70,0%`, 0.7024 `70,24%`: the decimals the target was set with (format.ts formatTarget).
	target: '0.0#%',
	date: 'dd/mm/yyyy',
	month: 'mm/yyyy',
	datetime: 'dd/mm/yyyy hh:mm',
	days: '#,##0',
	points: '0.00'
};

const DEFAULT_WIDTHS: Record<ColumnKind, number> = {
	text: 24,
	integer: 11,
	ratio: 10,
	target: 10,
	date: 12,
	month: 10,
	datetime: 17,
	days: 9,
	points: 9
};

/**
 * A local wall-clock date or timestamp as the Date exceljs writes: it converts through UTC, so the
 * parts are read as UTC and the cell shows the same day and time, whatever the server's zone.
 */
function excelDate(text: string): Date {
	const [y, mo, d, h = 0, mi = 0, s = 0] = text.split(/[-T: ]/).map(Number);
	return new Date(Date.UTC(y, mo - 1, d, h, mi, s));
}

function addSheet(workbook: ExcelJS.Workbook, table: ExportTable, used: Set<string>): void {
	const sheet = workbook.addWorksheet(uniqueName(sheetName(table.sheet), used));
	for (const line of table.title) sheet.addRow([line]);
	if (table.title.length > 0) sheet.getRow(1).font = { bold: true, size: 13 };
	const headerRow = sheet.addRow(table.columns.map((c) => c.header));
	headerRow.font = { bold: true };
	headerRow.alignment = { vertical: 'top', wrapText: true };
	sheet.views = [{ state: 'frozen', ySplit: headerRow.number, xSplit: 0 }];
	// Printed on A4 across, as wide as the page, the title and header repeated on every page.
	sheet.pageSetup = {
		paperSize: 9,
		orientation: 'landscape',
		fitToPage: true,
		fitToWidth: 1,
		fitToHeight: 0,
		printTitlesRow: `1:${headerRow.number}`
	};
	table.columns.forEach((column, i) => {
		sheet.getColumn(i + 1).width = column.width ?? DEFAULT_WIDTHS[column.kind];
	});
	for (const values of table.rows) {
		const row = sheet.addRow([]);
		values.forEach((value, i) => {
			if (value === null) return;
			const kind = table.columns[i].kind;
			const cell = row.getCell(i + 1);
			if (kind === 'date' || kind === 'month' || kind === 'datetime') {
				cell.value = excelDate(String(value));
			} else {
				cell.value = value;
			}
			// A string is never a formula in XLSX (that needs a formula element); the text format
			// keeps it text when someone edits the cell and presses Enter.
			if (typeof value === 'string' && looksLikeFormula(value)) cell.numFmt = '@';
			else if (NUMBER_FORMATS[kind]) cell.numFmt = NUMBER_FORMATS[kind]!;
		});
	}
	for (const note of table.notes ?? []) sheet.addRow([note]).font = { italic: true };
}

/** Excel refuses two sheets of one name (case ignored). */
function uniqueName(name: string, used: Set<string>): string {
	let candidate = name;
	for (let n = 2; used.has(candidate.toLowerCase()); n++) {
		const suffix = ` (${n})`;
		candidate = name.slice(0, 31 - suffix.length) + suffix;
	}
	used.add(candidate.toLowerCase());
	return candidate;
}

export async function writeXlsx(tables: ExportTable[]): Promise<Buffer> {
	const workbook = new ExcelJS.Workbook();
	workbook.creator = 'kpi-dvc';
	const used = new Set<string>();
	for (const table of tables) addSheet(workbook, table, used);
	return Buffer.from(await workbook.xlsx.writeBuffer());
}
