/**
 * A unit's monthly report as a file (CONTRACT: `GET /api/v1/report?unit=&month=&format=`, and the
 * `report` command; `campaign=<id>` in place of the month for a campaign's window): the unit
 * checked against the principal's scope, the report gathered once, written as XLSX, a ZIP of
 * CSVs, or a PDF printed by the shared Chromium, and the export written to the audit log (who,
 * unit, month or campaign, format).
 */
import type { Kysely } from 'kysely';
import { vietnamToday } from '../../domain/dates';
import type { Principal } from '../../domain/types';
import { audit, type Actor } from '../auth/users';
import { visibleUnit } from '../auth/scope';
import { campaignsFor } from '../dashboard/context';
import { dataVersion, type DataVersion } from '../db/cache';
import type { Database } from '../db/schema';
import { XLSX_CONTENT_TYPE } from '../export/xlsx';
import { ZIP_CONTENT_TYPE } from '../export/zip';
import { printPdf } from '../print/browser';
import { reportDocument } from './document';
import { reportHeader } from './header';
import { windowPeriod, windowReport, type MonthlyReport, type ReportWindow } from './monthly';
import { reportCsvArchive, reportFileName, reportXlsx } from './tables';

export const REPORT_FORMATS = ['xlsx', 'pdf', 'csv'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

/** What each format's file is, for the `Content-Type` of a download. */
export const REPORT_CONTENT_TYPES: Record<ReportFormat, string> = {
	xlsx: XLSX_CONTENT_TYPE,
	pdf: 'application/pdf',
	csv: ZIP_CONTENT_TYPE
};

export const isReportFormat = (text: string): text is ReportFormat =>
	(REPORT_FORMATS as readonly string[]).includes(text);

export interface ReportFile {
	body: Buffer;
	contentType: string;
	/** `bao-cao-42-2026-10.xlsx`; the CSV tables come as `bao-cao-42-2026-10.zip`. */
	fileName: string;
}

/** What a report is asked for: a unit and a month (`YYYY-MM`), or a campaign (its id). */
export type ReportRequest = { unit: string; format: ReportFormat } & (
	{ month: string; campaign?: undefined } | { campaign: string; month?: undefined }
);

export class UnknownCampaign extends Error {}

/**
 * The window a request names: its month, or a campaign the principal may see (one set on a unit
 * of his scope or above it, as the period picker offers: dashboard/context.ts), by id. Its period
 * is checked by `windowPeriod`.
 */
async function requestedWindow(
	db: Kysely<Database>,
	principal: Principal,
	request: { month?: string; campaign?: string },
	version: DataVersion
): Promise<ReportWindow> {
	if (request.campaign === undefined) return { kind: 'month', month: request.month ?? '' };
	const campaigns = await campaignsFor(db, principal, version);
	const chosen = campaigns.find((c) => String(c.id) === request.campaign);
	if (!chosen) throw new UnknownCampaign(`no campaign ${request.campaign.slice(0, 20)}`);
	return {
		kind: 'campaign',
		id: chosen.id,
		name: chosen.name,
		period: { from: chosen.starts_on, to: chosen.ends_on }
	};
}

/** What a file of a report may carry besides its figures. */
export interface RenderOptions {
	/** The document's number when it is published ("15/BC-SNV"); blanks to fill at signing else. */
	number?: string;
}

/** One file of a gathered report, dated `now`'s day in Vietnam. */
export async function renderReport(
	db: Kysely<Database>,
	report: MonthlyReport,
	format: ReportFormat,
	now = Date.now(),
	options: RenderOptions = {}
): Promise<ReportFile> {
	if (format === 'xlsx') {
		return {
			body: await reportXlsx(report),
			contentType: REPORT_CONTENT_TYPES.xlsx,
			fileName: reportFileName(report, 'xlsx')
		};
	}
	if (format === 'csv') {
		return {
			body: reportCsvArchive(report),
			contentType: REPORT_CONTENT_TYPES.csv,
			fileName: reportFileName(report, 'zip')
		};
	}
	const html = reportDocument(report, {
		day: vietnamToday(now),
		header: (await reportHeader(db, report.unit)).header,
		number: options.number
	});
	return {
		body: await printPdf(html),
		contentType: REPORT_CONTENT_TYPES.pdf,
		fileName: reportFileName(report, 'pdf')
	};
}

/** The audit entry's words for a window: the month, or `campaign <id>`. */
const windowDetail = (window: ReportWindow) =>
	window.kind === 'month' ? { month: window.month } : { campaign: window.id };

export async function reportFile(
	db: Kysely<Database>,
	principal: Principal,
	actor: Actor,
	request: ReportRequest,
	now = Date.now()
): Promise<ReportFile> {
	const version = await dataVersion(db);
	const window = await requestedWindow(db, principal, request, version);
	const unit = await visibleUnit(db, principal, request.unit, windowPeriod(window), version);
	const report = await windowReport(db, unit, window, version);
	const file = await renderReport(db, report, request.format, now);
	await audit(
		db,
		{
			action: 'report',
			actor,
			detail: { unit: unit.code, ...windowDetail(window), format: request.format }
		},
		now
	);
	return file;
}
