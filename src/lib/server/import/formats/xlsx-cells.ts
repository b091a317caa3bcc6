/** Cell values of a sheet as the text the import's SQL reads (dates, serial numbers, numbers). */
import type ExcelJS from 'exceljs';
import type { ColumnType } from '../columns';

export interface RawCell {
	value: ExcelJS.CellValue;
	numFmt: string | undefined;
}

/** 1930-01-01: the first day a number in a date column is taken for a date. */
const MIN_SERIAL = 10_959;
/** Excel stores dates as day counts; its largest is 9999-12-31. */
const MAX_SERIAL = 2_958_466;

/** The text of a cell as the kind's SQL expects it, or null when the cell holds nothing. */
export function cellText(cell: RawCell, type: ColumnType, date1904: boolean): string | null {
	const { value, numFmt } = cell;
	const dateColumn = type === 'date' || type === 'timestamp';
	if (value === null || value === undefined) return null;
	if (typeof value === 'string') {
		const text = value.trim();
		if (text === '') return null;
		if (dateColumn && /^\d+(\.\d+)?$/.test(text)) {
			const date = serialToDate(Number(text), date1904);
			if (date) return isoText(date, type, undefined);
		}
		return text;
	}
	if (typeof value === 'number') {
		if (!Number.isFinite(value)) return null;
		if (dateColumn || isDateFormat(numFmt)) {
			const date = serialToDate(value, date1904);
			if (date) return isoText(date, type, numFmt);
		}
		return plainNumber(value);
	}
	if (typeof value === 'boolean') return value ? 'true' : 'false';
	if (value instanceof Date) {
		return Number.isNaN(value.getTime()) ? null : isoText(value, type, numFmt);
	}
	if ('error' in value) return null;
	if ('richText' in value) {
		return cellText({ value: value.richText.map((r) => r.text).join(''), numFmt }, type, date1904);
	}
	if ('formula' in value || 'sharedFormula' in value) {
		const result = value.result;
		return result === undefined ? null : cellText({ value: result, numFmt }, type, date1904);
	}
	if ('text' in value) return cellText({ value: value.text, numFmt }, type, date1904);
	return null;
}

/**
 * An Excel serial day number as the wall-clock time it shows, held in a UTC Date (as exceljs does),
 * rounded to the second; null when it is no plausible date. Serial 1 is 1900-01-01: before
 * 1 March 1900 Excel counts the 29 February 1900 that never was.
 */
function serialToDate(serial: number, date1904: boolean): Date | null {
	// Below 1930 a number in a date column is a typing slip (a bare year "2024" is serial 2024, in
	// 1905): leave it as text, so the row is rejected instead of dated 1905.
	const min = date1904 ? MIN_SERIAL - 1462 : MIN_SERIAL;
	if (
		date1904 ? serial < min || serial >= MAX_SERIAL - 1462 : serial < min || serial >= MAX_SERIAL
	) {
		return null;
	}
	const epoch = date1904 ? Date.UTC(1904, 0, 1) : Date.UTC(1899, 11, serial < 60 ? 31 : 30);
	return new Date(epoch + Math.round(serial * 86_400) * 1000);
}

/**
 * `YYYY-MM-DDTHH:mm:ss` from the UTC fields (XLSX has no offset: the sheet's wall clock is
 * Asia/Ho_Chi_Minh time). A midnight that the cell's format does not show as a time is a date
 * alone: date columns accept nothing else, and a due date alone means the end of that day.
 */
function isoText(date: Date, type: ColumnType, numFmt: string | undefined): string {
	const rounded = new Date(Math.round(date.getTime() / 1000) * 1000);
	const iso = rounded.toISOString().slice(0, 19);
	const midnight = iso.endsWith('T00:00:00');
	return midnight && (type === 'date' || !formatShowsTime(numFmt)) ? iso.slice(0, 10) : iso;
}

/** Format codes without their literal text (`"…"`, `\x`) and colour or locale tags (`[…]`). */
function formatTokens(numFmt: string): string {
	return numFmt.replace(/"[^"]*"|\\.|\[[^\]]*]/g, '');
}

function isDateFormat(numFmt: string | undefined): boolean {
	return (
		numFmt !== undefined && /[ymdhs]/i.test(formatTokens(numFmt)) && !/^general$/i.test(numFmt)
	);
}

function formatShowsTime(numFmt: string | undefined): boolean {
	return (
		numFmt !== undefined && (/[hs]/i.test(formatTokens(numFmt)) || /\[(h+|m+|s+)]/i.test(numFmt))
	);
}

/** `1e21` → `1000000000000000000000`: the digits a cell shows, never an exponent. */
export function plainNumber(n: number): string {
	const text = String(n);
	const e = text.indexOf('e');
	if (e < 0) return text;
	const negative = text.startsWith('-');
	const mantissa = text.slice(negative ? 1 : 0, e);
	const exponent = Number(text.slice(e + 1));
	const point = mantissa.indexOf('.');
	const digits = mantissa.replace('.', '');
	const at = (point < 0 ? mantissa.length : point) + exponent;
	const plain =
		at <= 0
			? `0.${'0'.repeat(-at)}${digits}`
			: at >= digits.length
				? digits + '0'.repeat(at - digits.length)
				: `${digits.slice(0, at)}.${digits.slice(at)}`;
	return negative ? `-${plain}` : plain;
}
