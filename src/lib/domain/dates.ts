/**
 * Calendar arithmetic on `YYYY-MM-DD` dates (Asia/Ho_Chi_Minh calendar days), on date-fns.
 *
 * A day is handled as a local midnight `Date`, which is what date-fns computes with: `addDays`
 * and `differenceInCalendarDays` count calendar days, daylight saving of the process's zone
 * included, so the answer is the same whatever zone the server runs in. Day numbers (days since
 * 1970-01-01) let loops and comparisons work on integers: as text, the day after 9999-12-31 would
 * be `+010000-01-01`, which sorts before every other date (issue 10), so a date that cannot be
 * written in four digits throws instead.
 */
import { TZDate } from '@date-fns/tz';
import {
	addDays as addCalendarDays,
	addYears as addCalendarYears,
	differenceInCalendarDays,
	format,
	getDaysInMonth
} from 'date-fns';

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const VIETNAM = 'Asia/Ho_Chi_Minh';

/** Local midnight of a calendar day; years 0–99 too, which `new Date(y, …)` reads as 1900–1999. */
function localDay(year: number, monthIndex: number, day: number): Date {
	const date = new Date(2000, 0, 1);
	date.setFullYear(year, monthIndex, day);
	return date;
}

const EPOCH = localDay(1970, 0, 1);

/** Days in a month (1–12) of a year. */
export function daysInMonth(year: number, month: number): number {
	return getDaysInMonth(localDay(year, month - 1, 1));
}

/** The local midnight `Date` of a real calendar date `YYYY-MM-DD`; a RangeError for anything else. */
export function parseDay(iso: string): Date {
	const match = ISO_DATE.exec(iso);
	const [year, month, day] = match ? match.slice(1).map(Number) : [0, 0, 0];
	if (!match || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
		throw new RangeError(`not a calendar date YYYY-MM-DD: ${iso.slice(0, 40)}`);
	}
	return localDay(year, month - 1, day);
}

/** `YYYY-MM-DD` of a day; a RangeError for a day outside the years 0000–9999. */
export function formatDay(date: Date): string {
	const year = date.getFullYear();
	if (Number.isNaN(year) || year < 0 || year > 9999) {
		throw new RangeError(`${String(date)} is not in the years 0000–9999`);
	}
	return format(date, 'yyyy-MM-dd');
}

/** The day number (days since 1970-01-01) of a real calendar date `YYYY-MM-DD`. */
export function dayNumber(iso: string): number {
	return differenceInCalendarDays(parseDay(iso), EPOCH);
}

/** `YYYY-MM-DD` of a day number; a RangeError for a day outside the years 0000–9999. */
export function isoDate(day: number): string {
	if (!Number.isInteger(day)) throw new RangeError(`day ${day} is not a whole day`);
	return formatDay(addCalendarDays(EPOCH, day));
}

export function addDays(iso: string, days: number): string {
	return formatDay(addCalendarDays(parseDay(iso), days));
}

export function daysBetween(from: string, to: string): number {
	return differenceInCalendarDays(parseDay(to), parseDay(from));
}

/** The same day `years` later or earlier; 29 February then is 28 February. */
export function addYears(iso: string, years: number): string {
	return formatDay(addCalendarYears(parseDay(iso), years));
}

/** A real calendar date in `YYYY-MM-DD`, or false. */
export function isIsoDate(text: string): boolean {
	try {
		parseDay(text);
		return true;
	} catch {
		return false;
	}
}

/** Today's date in Vietnam (`now` in milliseconds since the epoch, as Date.now()). */
export function vietnamToday(now = Date.now()): string {
	return format(new TZDate(now, VIETNAM), 'yyyy-MM-dd');
}

/**
 * The wall-clock time in Vietnam of an instant (milliseconds since the epoch), as the database
 * stores every timestamp: `2026-11-23 08:00:00`, or with milliseconds.
 */
export function vietnamTimestamp(now: number, { milliseconds = false } = {}): string {
	return format(
		new TZDate(now, VIETNAM),
		milliseconds ? 'yyyy-MM-dd HH:mm:ss.SSS' : 'yyyy-MM-dd HH:mm:ss'
	);
}

/** The instant (milliseconds since the epoch) of a Vietnam wall-clock timestamp as stored. */
export function vietnamInstant(local: string): number {
	// Vietnam keeps UTC+7 all year (no daylight saving since 1975).
	return Date.parse(`${local.replace(' ', 'T')}+07:00`);
}
