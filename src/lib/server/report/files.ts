/**
 * A unit's monthly report as a file (CONTRACT: `GET /api/v1/report?unit=&month=&format=`, and the
 * `report` command): the unit checked against the principal's scope, the report gathered once,
 * written as XLSX, a ZIP of CSVs, or a PDF printed by the shared Chromium, and the export written
 * to the audit log (who, unit, month, format).
 */
import { sql, type Kysely } from 'kysely';
import { vietnamToday } from '../../domain/dates';
import type { Principal } from '../../domain/types';
import { audit, type Actor } from '../auth/users';
import { visibleUnit } from '../auth/scope';
import { dataVersion } from '../db/cache';
import type { Database } from '../db/schema';
import { XLSX_CONTENT_TYPE } from '../export/xlsx';
import { ZIP_CONTENT_TYPE } from '../export/zip';
import { printPdf } from '../print/browser';
import type { UnitVersionRef } from '../units/versions';
import { reportDocument } from './document';
import { monthlyReport, reportPeriod } from './monthly';
import { reportCsvArchive, reportFileName, reportXlsx } from './tables';

export const REPORT_FORMATS = ['xlsx', 'pdf', 'csv'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export const isReportFormat = (text: string): text is ReportFormat =>
	(REPORT_FORMATS as readonly string[]).includes(text);

export interface ReportFile {
	body: Buffer;
	contentType: string;
	/** `bao-cao-42-2026-10.xlsx`; the CSV tables come as `bao-cao-42-2026-10.zip`. */
	fileName: string;
}

/** The province above a unit (or the unit itself), for a department's header and the place. */
async function provinceOf(db: Kysely<Database>, unit: UnitVersionRef) {
	const { rows } = await sql<{ name: string }>`SELECT u.name FROM unit_closure c
		JOIN unit_versions u ON u.id = c.ancestor_id
		WHERE c.descendant_id = ${unit.id} AND u.level = 'province'
		ORDER BY c.depth DESC LIMIT 1`.execute(db);
	return rows[0] ?? null;
}

export async function reportFile(
	db: Kysely<Database>,
	principal: Principal,
	actor: Actor,
	request: { unit: string; month: string; format: ReportFormat },
	now = Date.now()
): Promise<ReportFile> {
	const period = reportPeriod(request.month);
	const unit = await visibleUnit(db, principal, request.unit, period);
	const report = await monthlyReport(db, unit, request.month, await dataVersion(db));
	let file: ReportFile;
	if (request.format === 'xlsx') {
		file = {
			body: await reportXlsx(report),
			contentType: XLSX_CONTENT_TYPE,
			fileName: reportFileName(report, 'xlsx')
		};
	} else if (request.format === 'csv') {
		file = {
			body: reportCsvArchive(report),
			contentType: ZIP_CONTENT_TYPE,
			fileName: reportFileName(report, 'zip')
		};
	} else {
		const html = reportDocument(report, {
			day: vietnamToday(now),
			province: await provinceOf(db, unit)
		});
		file = {
			body: await printPdf(html),
			contentType: 'application/pdf',
			fileName: reportFileName(report, 'pdf')
		};
	}
	await audit(
		db,
		{
			action: 'report',
			actor,
			detail: { unit: unit.code, month: request.month, format: request.format }
		},
		now
	);
	return file;
}
