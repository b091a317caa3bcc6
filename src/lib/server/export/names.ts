/**
 * Names an export gives the outside world: the download's file name and a sheet's name.
 *
 * A file name is ASCII (a `Content-Disposition` filename cannot carry anything else without the
 * `filename*` dance, and Windows, e-mail and zip tools all handle ASCII), safe on Windows (no
 * `<>:"/\|?*`, no control character, no trailing dot or space, no reserved device name such as
 * `CON`), and says what it holds: `so-sanh-42-2026-10.xlsx` for a unit and a month.
 */
import { shapeOf, type DateRange } from '../../domain/periods';

/** Letters, digits and `-` only: Vietnamese letters lose their marks (`Đ` → `D`), the rest is `-`. */
export function asciiSlug(text: string): string {
	return text
		.replace(/[đĐ]/g, (c) => (c === 'đ' ? 'd' : 'D'))
		.normalize('NFD')
		.replace(/[\u0300-\u036f]/g, '')
		.replace(/[^A-Za-z0-9]+/g, '-')
		.replace(/^-+|-+$/g, '')
		.slice(0, 60);
}

/** `2026-10` for a month, `2026-q3`, `2026`, else `2026-10-01_2026-11-15`. */
export function periodSlug(period: DateRange): string {
	const shape = shapeOf(period);
	if (shape.kind === 'month') return `${shape.year}-${String(shape.month).padStart(2, '0')}`;
	if (shape.kind === 'quarter') return `${shape.year}-q${shape.quarter}`;
	if (shape.kind === 'year') return String(shape.year);
	return `${period.from}_${period.to}`;
}

const RESERVED = /^(con|prn|aux|nul|com\d|lpt\d)(\.|$)/i;

/** `<table>-<unit code>-<period>.<extension>`, e.g. `so-sanh-42-2026-10.xlsx`. */
export function downloadName(
	table: string,
	unitCode: string,
	period: DateRange,
	extension: 'xlsx' | 'csv' | 'pdf' | 'zip'
): string {
	const stem = [asciiSlug(table), asciiSlug(unitCode) || 'don-vi', periodSlug(period)]
		.filter(Boolean)
		.join('-');
	const safe = RESERVED.test(stem) ? `_${stem}` : stem;
	return `${safe.toLowerCase()}.${extension}`;
}

/** A sheet name Excel accepts: none of `[]:*?/\`, not starting or ending with `'`, 31 characters. */
export function sheetName(text: string): string {
	const cleaned = text
		.replace(/[[\]:*?/\\]/g, ' ')
		// Control characters too (a tab or line break in an imported name).
		.replace(/\p{Cc}/gu, ' ')
		.replace(/^'+|'+$/g, '')
		.replace(/\s+/g, ' ')
		.trim()
		.slice(0, 31)
		.trim();
	return cleaned || 'Sheet';
}
