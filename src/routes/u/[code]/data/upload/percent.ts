import { formatPercent, type Locale } from '$lib/domain/format';

/** A fraction of work done as a percentage, held within 0–100 %. */
export const percent = (fraction: number, locale: Locale) =>
	formatPercent(Math.min(1, Math.max(0, fraction)), locale);
