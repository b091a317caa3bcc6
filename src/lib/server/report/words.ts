/**
 * The words the monthly report prints, in the administration's Vietnamese whatever the interface
 * language (an official document sent up the administration): shared by its tables (XLSX, CSV)
 * and its printed document (PDF).
 */
import type { TargetStatus } from '../../domain/figures';
import { formatDate } from '../../domain/format';
import type { TargetLevel, UnitLevel } from '../../domain/types';
import { KPI_DEFINITIONS } from '../kpi/definitions';
import type { ReportWindow } from './monthly';

export const STATUS_WORDS: Record<TargetStatus, string> = {
	met: 'Đạt',
	close: 'Gần đạt',
	below: 'Chưa đạt'
};

export const LEVEL_WORDS: Record<TargetLevel, string> = {
	province: 'Cấp tỉnh (sở, ban, ngành)',
	district: 'Cấp huyện',
	commune: 'Cấp xã'
};

/** The levels a ranking chart's target line is for ("Chỉ tiêu cấp xã: 80,0%"), as the page says. */
export const TARGET_LINE_LEVELS: Record<TargetLevel, string> = {
	province: 'cấp tỉnh',
	district: 'cấp huyện',
	commune: 'cấp xã'
};

/** A ranking chart's part of one level of unit, when there are several (as the page says). */
export const UNIT_GROUP_WORDS: Record<UnitLevel, string> = {
	province: 'Cấp tỉnh',
	department: 'Sở, ban, ngành',
	district: 'Cấp huyện',
	commune: 'Xã, phường, thị trấn'
};

export const kpiNameVi = (id: string) => KPI_DEFINITIONS.find((d) => d.id === id)!.name.vi;

/**
 * How the report names what it covers: "tháng 10/2026", or the campaign "theo đợt “Cao điểm 2026”
 * (từ ngày 01/07/2026 đến ngày 31/12/2026)"; what it is compared with ("tháng trước", "kỳ trước": the same
 * number of days before a campaign's window); and "in it" ("trong tháng", "trong đợt").
 */
export function windowWords(window: ReportWindow): {
	subject: string;
	previous: string;
	within: string;
} {
	if (window.kind === 'month') {
		const [year, month] = window.month.split('-');
		return {
			subject: `tháng ${Number(month)}/${year}`,
			previous: 'tháng trước',
			within: 'trong tháng'
		};
	}
	const { from, to } = window.period;
	// "theo Chiến dịch …" reads as Vietnamese; a bare name ("Cao điểm 2026") is named an "đợt".
	const name = /^(chiến dịch|đợt|kế hoạch|phong trào)\s/iu.test(window.name.trim())
		? window.name.trim()
		: `đợt “${window.name.trim()}”`;
	return {
		subject: `theo ${name} (từ ngày ${formatDate(from)} đến ngày ${formatDate(to)})`,
		previous: 'kỳ trước',
		within: 'trong đợt'
	};
}
