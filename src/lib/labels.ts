/** Words for the dashboard's recurring values, in the page's language (Paraglide messages). */
import { formatDate } from '$lib/domain/format';
import { shapeOf, type DateRange } from '$lib/domain/periods';
import type { UnitLevel } from '$lib/domain/types';
import { m } from '$lib/paraglide/messages';

const LEVELS: Record<UnitLevel, () => string> = {
	province: m.level_province,
	department: m.level_department,
	district: m.level_district,
	commune: m.level_commune
};

export const levelName = (level: UnitLevel) => LEVELS[level]();

const ROMAN = ['I', 'II', 'III', 'IV'];

/** "Tháng 10/2026", "Quý III/2026", "Năm 2026", a campaign's name, or "01/10/2026 – 15/11/2026". */
export function periodTitle(period: DateRange, campaign: { name: string } | null = null): string {
	if (campaign) return campaign.name;
	const shape = shapeOf(period);
	if (shape.kind === 'month') return m.period_title_month({ month: shape.month, year: shape.year });
	if (shape.kind === 'quarter') {
		return m.period_title_quarter({ quarter: ROMAN[shape.quarter - 1], year: shape.year });
	}
	if (shape.kind === 'year') return m.period_title_year({ year: shape.year });
	return m.period_title_range({ from: formatDate(period.from), to: formatDate(period.to) });
}

export type Status = 'met' | 'close' | 'below';

const STATUS: Record<Status, { text: () => string; symbol: string }> = {
	met: { text: m.status_met, symbol: '✓' },
	close: { text: m.status_close, symbol: '!' },
	below: { text: m.status_below, symbol: '✗' }
};

export const statusText = (status: Status) => STATUS[status].text();
export const statusSymbol = (status: Status) => STATUS[status].symbol;
