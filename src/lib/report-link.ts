/**
 * The monthly report a dashboard page offers ("Xuất báo cáo", issue 13): the report of the page's
 * campaign when its period is a campaign's window, else of the month the period ends in (the
 * report is a month's or a campaign's, never a quarter's or an arbitrary range's), as the query of
 * CONTRACT's `GET /api/v1/report`.
 */
import { shapeOf, type DateRange } from './domain/periods';

export type ReportFormat = 'xlsx' | 'pdf' | 'csv';

export type OfferedReport =
	| { kind: 'month'; month: string; /** The period is that month exactly. */ exact: boolean }
	| { kind: 'campaign'; id: number; name: string };

export function offeredReport(
	period: DateRange,
	campaign: { id: number; name: string } | null
): OfferedReport {
	if (campaign) return { kind: 'campaign', id: campaign.id, name: campaign.name };
	const month = period.to.slice(0, 7);
	return { kind: 'month', month, exact: shapeOf(period).kind === 'month' };
}

/** `?unit=…&month=…&format=…` (or `campaign=…`) for the report endpoint. */
export function reportQuery(unit: string, report: OfferedReport, format: ReportFormat): string {
	const window: [string, string] =
		report.kind === 'campaign' ? ['campaign', String(report.id)] : ['month', report.month];
	return `?${new URLSearchParams([['unit', unit], window, ['format', format]])}`;
}
