/**
 * How numbers and dates are written on pages and in reports, for the two languages the pages speak
 * (CONTRACT: HTTP). The only place that formats them: a component never formats a number its own way.
 */
import { format } from 'date-fns';
import { enGB, vi } from 'date-fns/locale';
import { parseDay } from './dates';

export type Locale = 'vi' | 'en';

const DATE_LOCALES = { vi, en: enGB };

const NUMBER_LOCALES: Record<Locale, string> = { vi: 'vi-VN', en: 'en-US' };

const numberFormats = new Map<Locale, Intl.NumberFormat>();

/** `1.512.345` in Vietnamese, `1,512,345` in English. */
export function formatNumber(n: number, locale: Locale = 'vi'): string {
	let format = numberFormats.get(locale);
	if (!format) {
		format = new Intl.NumberFormat(NUMBER_LOCALES[locale]);
		numberFormats.set(locale, format);
	}
	return format.format(n);
}

const percentFormats = new Map<string, Intl.NumberFormat>();

/** A percent with one decimal, and up to `maxDecimals` when the value has them. */
function percent(value: number, locale: Locale, maxDecimals: 1 | 2): string {
	const key = `${locale}${maxDecimals}`;
	let format = percentFormats.get(key);
	if (!format) {
		format = new Intl.NumberFormat(NUMBER_LOCALES[locale], {
			style: 'percent',
			minimumFractionDigits: 1,
			maximumFractionDigits: maxDecimals
		});
		percentFormats.set(key, format);
	}
	return format.format(value);
}

/** `79,3%` in Vietnamese, `79.3%` in English (one decimal); an empty value is `—`, never 0. */
export function formatPercent(value: number | null, locale: Locale = 'vi'): string {
	return value === null ? '—' : percent(value, locale, 1);
}

/**
 * A target as it was set: `70,0%`, `70,5%`, `70,24%` (the campaigns grid takes two decimals).
 * One decimal at least, as the figures printed beside it; two at most, so that a target of
 * 70,24% is not shown as 70,2% while a figure printed 70,2% has not met it (kpi/figures.ts
 * reads the target from what this prints). An empty target is `—`.
 */
export function formatTarget(target: number | null, locale: Locale = 'vi'): string {
	return target === null ? '—' : percent(target, locale, 2);
}

const ISO_DAY = /^(\d{4}-\d{2}-\d{2})(?:$|[T ])/;

/**
 * `dd/MM/yyyy` of an ISO date or local timestamp (`2024-05-09`, `2024-05-09T08:30:00`), the way
 * Vietnamese documents write dates; English pages write them the same (as en-GB does). The day is
 * read as a calendar day (dates.ts), never as an instant, so no time zone can move it.
 */
export function formatDate(iso: string, locale: Locale = 'vi'): string {
	const day = ISO_DAY.exec(iso)?.[1];
	if (!day) throw new RangeError(`not an ISO date: ${iso.slice(0, 40)}`);
	return format(parseDay(day), 'dd/MM/yyyy', { locale: DATE_LOCALES[locale] });
}

/** `10/2026` of a month `YYYY-MM`: the date format without its day, as reports name a month. */
export function formatMonth(month: string, locale: Locale = 'vi'): string {
	return formatDate(`${month}-01`, locale).slice(3);
}

/** `23/11/2026 14:05` of a local timestamp `YYYY-MM-DDTHH:mm:ss` (the database's wall clock). */
export function formatDateTime(timestamp: string, locale: Locale = 'vi'): string {
	return `${formatDate(timestamp, locale)} ${timestamp.slice(11, 16)}`;
}

const pointsFormats = new Map<Locale, Intl.NumberFormat>();

/**
 * The size of a change between two rates in percentage points, always with one decimal, without
 * sign (`2,1` for 0.021, `1,0` for 0.01, as the rates beside it are written): the pages put ▲ or ▼
 * before it. `0,0` for a change that rounds to nothing.
 */
export function formatPoints(delta: number, locale: Locale = 'vi'): string {
	let format = pointsFormats.get(locale);
	if (!format) {
		format = new Intl.NumberFormat(NUMBER_LOCALES[locale], {
			minimumFractionDigits: 1,
			maximumFractionDigits: 1
		});
		pointsFormats.set(locale, format);
	}
	return format.format(Math.round(Math.abs(delta) * 1000) / 10);
}

/**
 * Service-index points (Decision 766) as every page, report and the CLI print them: two decimals
 * at most (`53,77`, `6`, `1,5`); the engine never rounds (README "Service index").
 */
export const formatIndexPoints = (n: number, locale: Locale = 'vi'): string =>
	formatNumber(Math.round(n * 100) / 100, locale);

/** `277/523`: a KPI's numerator over its denominator (DOMAIN.md writes both under the rate). */
export function formatCounts(
	ratio: { numerator: number; denominator: number },
	locale: Locale = 'vi'
): string {
	return `${formatNumber(ratio.numerator, locale)}/${formatNumber(ratio.denominator, locale)}`;
}

/** `52,9% · 277/523`: a KPI as one line, the rate then its counts (an empty rate is `— · 0/0`). */
export function formatRatio(
	ratio: { numerator: number; denominator: number; value: number | null },
	locale: Locale = 'vi'
): string {
	return `${formatPercent(ratio.value, locale)} · ${formatCounts(ratio, locale)}`;
}

/**
 * A file's size as a page writes it: bytes under 1 KB, then KB and MB (binary, as `ls -h`, one
 * decimal): `12,4 MB` in Vietnamese, `12.4 MB` in English.
 */
export function formatSize(bytes: number, locale: Locale = 'vi'): string {
	if (bytes < 1024) return `${formatNumber(bytes, locale)} B`;
	const kb = bytes / 1024;
	if (kb < 1024) return `${formatNumber(Math.round(kb * 10) / 10, locale)} KB`;
	return `${formatNumber(Math.round((kb / 1024) * 10) / 10, locale)} MB`;
}
