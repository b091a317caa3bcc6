/**
 * Months as integers, `year × 12 + (month − 1)` (2025-07 is 24306), so that stepping from one
 * month to the next is `+ 1` and a loop ends by comparing numbers: as ISO text, the month after
 * 9999-12 is `+010000-01`, which sorts before every other month and kept a loop running until the
 * server ran out of memory (issue 10). Every list of months has a bound its caller states.
 */
import { daysInMonth } from './dates';

export type MonthIndex = number;

const MONTH = /^(\d{4})-(\d{2})(?:-\d{2})?$/;
const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** The month of `YYYY-MM` or of a date `YYYY-MM-DD`; a RangeError for anything else. */
export function monthIndex(iso: string): MonthIndex {
	const match = MONTH.exec(iso);
	const month = match ? Number(match[2]) : 0;
	if (!match || month < 1 || month > 12) {
		throw new RangeError(`not a month YYYY-MM: ${iso.slice(0, 40)}`);
	}
	return Number(match[1]) * 12 + month - 1;
}

function yearAndMonth(index: MonthIndex): [year: number, month: number] {
	const year = Math.floor(index / 12);
	if (!Number.isInteger(index) || year < 0 || year > 9999) {
		throw new RangeError(`month ${index} is not in the years 0000–9999`);
	}
	return [year, index - year * 12 + 1];
}

/** `YYYY-MM` */
export function monthText(index: MonthIndex): string {
	const [year, month] = yearAndMonth(index);
	return `${pad(year, 4)}-${pad(month)}`;
}

export function monthFirstDay(index: MonthIndex): string {
	return `${monthText(index)}-01`;
}

export function monthLastDay(index: MonthIndex): string {
	const [year, month] = yearAndMonth(index);
	return `${monthText(index)}-${pad(daysInMonth(year, month))}`;
}

/**
 * Every month from `first` to `last` inclusive (none when `last` is before `first`). More than
 * `limit` months throws: a list that long is a bug upstream, better a clear error than a page of
 * megabytes or a loop that eats the server's memory.
 */
export function monthSpan(first: MonthIndex, last: MonthIndex, limit: number): MonthIndex[] {
	const count = Math.max(0, last - first + 1);
	if (count > limit) throw new RangeError(`${count} months is more than ${limit}`);
	return Array.from({ length: count }, (_, i) => first + i);
}
