/** Calendar arithmetic on `YYYY-MM-DD` dates (Asia/Ho_Chi_Minh calendar days); no time zones. */

const DAY = 86_400_000;
const toTime = (iso: string) => Date.parse(`${iso}T00:00:00Z`);
const toIso = (time: number) => new Date(time).toISOString().slice(0, 10);

export function addDays(iso: string, days: number): string {
	return toIso(toTime(iso) + days * DAY);
}

export function daysBetween(from: string, to: string): number {
	return Math.round((toTime(to) - toTime(from)) / DAY);
}

export function addYears(iso: string, years: number): string {
	const [y, m, d] = iso.split('-').map(Number);
	// 29 February a year later or earlier is 28 February.
	const last = new Date(Date.UTC(y + years, m, 0)).getUTCDate();
	return `${String(y + years).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** A real calendar date in `YYYY-MM-DD`, or false. */
export function isIsoDate(text: string): boolean {
	// `2025-13-01` matches the pattern but is no date: Date.parse gives NaN, which toIso rejects.
	return ISO_DATE.test(text) && !Number.isNaN(toTime(text)) && toIso(toTime(text)) === text;
}
