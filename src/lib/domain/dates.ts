/**
 * Calendar arithmetic on `YYYY-MM-DD` dates (Asia/Ho_Chi_Minh calendar days) as day numbers
 * (days since 1970-01-01); no time zones. Loops and comparisons over days go through the numbers:
 * as text, the day after 9999-12-31 would be `+010000-01-01`, which sorts before every other date
 * (issue 10), so a date that cannot be written in four digits throws instead.
 */

const DAY_MS = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Asia/Ho_Chi_Minh is UTC+7 all year (no daylight saving since 1975). */
const VIETNAM_OFFSET_MS = 7 * 60 * 60 * 1000;

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

const isLeapYear = (year: number) => year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);

/** Days in a month (1–12) of a year. */
export function daysInMonth(year: number, month: number): number {
	if (month === 2) return isLeapYear(year) ? 29 : 28;
	return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** The day number of a real calendar date `YYYY-MM-DD`; a RangeError for anything else. */
export function dayNumber(iso: string): number {
	const match = ISO_DATE.exec(iso);
	const [year, month, day] = match ? match.slice(1).map(Number) : [0, 0, 0];
	if (!match || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
		throw new RangeError(`not a calendar date YYYY-MM-DD: ${iso.slice(0, 40)}`);
	}
	// Not Date.UTC: it reads years 0–99 as 1900–1999.
	const date = new Date(0);
	date.setUTCFullYear(year, month - 1, day);
	return Math.round(date.getTime() / DAY_MS);
}

/** `YYYY-MM-DD` of a day number; a RangeError for a day outside the years 0000–9999. */
export function isoDate(day: number): string {
	const date = new Date(day * DAY_MS);
	const year = date.getUTCFullYear();
	if (!Number.isInteger(day) || Number.isNaN(year) || year < 0 || year > 9999) {
		throw new RangeError(`day ${day} is not in the years 0000–9999`);
	}
	return `${pad(year, 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
}

export function addDays(iso: string, days: number): string {
	return isoDate(dayNumber(iso) + days);
}

export function daysBetween(from: string, to: string): number {
	return dayNumber(to) - dayNumber(from);
}

export function addYears(iso: string, years: number): string {
	const [y, m, d] = iso.split('-').map(Number);
	// 29 February a year later or earlier is 28 February.
	const day = Math.min(d, daysInMonth(y + years, m));
	return isoDate(dayNumber(`${pad(y + years, 4)}-${pad(m)}-${pad(day)}`));
}

/** A real calendar date in `YYYY-MM-DD`, or false. */
export function isIsoDate(text: string): boolean {
	try {
		dayNumber(text);
		return true;
	} catch {
		return false;
	}
}

/** Today's date in Vietnam (`now` in milliseconds since the epoch, as Date.now()). */
export function vietnamToday(now = Date.now()): string {
	return isoDate(Math.floor((now + VIETNAM_OFFSET_MS) / DAY_MS));
}
