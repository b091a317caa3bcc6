/**
 * Published monthly reports stay true (issue 13): the reform team (or an admin) publishes a
 * unit's report for a month; its three files and the figures they were made from are stored
 * (migration 006), downloaded afterwards byte for byte, and the report page compares the figures
 * with the month recomputed now, KPI by KPI, so that a later import that changed the month shows.
 *
 * - Only MANAGING_ROLES publish, and only a unit of their scope: anyone else is answered as for a
 *   unit outside the scope (OutOfScope, 404), so a leader learns nothing by trying.
 * - The report is gathered once and every file written from that one gathering (renderReport),
 *   so the XLSX, the PDF, the CSVs and the stored figures cannot disagree.
 * - Publishing the same unit and month again adds an edition; the newest is the current one.
 * - Publishes run one at a time (each prints a PDF, and the printer refuses what it cannot queue:
 *   print/browser.ts); the row is written in one transaction through serialWrite, with its audit
 *   entry, so twenty at once all succeed and each is stored once.
 */
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { KpiFigure } from '../../domain/figures';
import type { KpiId } from '../../domain/kpi-ids';
import { monthIndex, monthSpan, monthText } from '../../domain/months';
import type { DateRange } from '../../domain/periods';
import { vietnamTimestamp } from '../../domain/dates';
import type { Principal } from '../../domain/types';
import {
	assertManages,
	inScope,
	OutOfScope,
	scopeOf,
	visibleUnit,
	visibleVersionsOf
} from '../auth/scope';
import { audit, type Actor } from '../auth/users';
import { dataVersion } from '../db/cache';
import type { Database } from '../db/schema';
import { serialWrite } from '../db/writes';
import { PrintRefusedError } from '../print/browser';
import { KpiQueryError, UnknownUnit, type UnitVersionRef } from '../units/versions';
import { REPORT_CONTENT_TYPES, REPORT_FORMATS, renderReport, type ReportFormat } from './files';
import { monthlyReport, ReportMonthError, reportPeriod, type MonthlyReport } from './monthly';

/** The longest document number accepted ("15/BC-SNV" is 9 characters). */
export const MAX_NUMBER_LENGTH = 40;
/** Rows per page of the list of published reports. */
export const PUBLISHED_PAGE_SIZE = 50;
/** Publishes waiting their turn; one more is refused (PublishError 'busy') rather than piling up. */
const MAX_WAITING_PUBLISHES = 32;
/** The months the publish form offers: the newest of the months with data, ten years at most. */
const MAX_OFFERED_MONTHS = 120;

export type PublishProblem = 'number' | 'busy';

/** A publish refused for what the person asked (a document number it cannot print, a queue full). */
export class PublishError extends Error {
	constructor(
		message: string,
		readonly code: PublishProblem
	) {
		super(message);
	}
}

export interface PublishRequest {
	/** The unit's code. */
	unit: string;
	/** `YYYY-MM`, 2000-01 to 2100-12 (report/monthly.ts `reportPeriod`). */
	month: string;
	/** The document's number, printed in the PDF's header; empty or absent for none. */
	number?: string | null;
}

/** One edition of a published report, as the list shows it. */
export interface PublishedReportSummary {
	id: number;
	unitCode: string;
	unitVersionId: number;
	unitName: string;
	month: string;
	edition: number;
	number: string | null;
	publishedBy: string;
	/** Vietnam wall-clock time, `YYYY-MM-DDTHH:mm:ss`. */
	publishedAt: string;
	/** The newest edition of the same unit and month: the one that counts. */
	current: boolean;
}

export interface PublishedFileInfo {
	name: string;
	sha256: string;
	size: number;
}

/** One edition with the figures it was made from and what its files are (not their bytes). */
export interface PublishedReport extends PublishedReportSummary {
	dataVersion: string;
	report: MonthlyReport;
	files: Record<ReportFormat, PublishedFileInfo>;
	/** The current edition's id when this one is superseded; null when this is it. */
	currentId: number | null;
}

export interface PublishedFile {
	body: Buffer;
	contentType: string;
	fileName: string;
	sha256: string;
}

/** What a KPI difference compares: the figure's own values, not its changes against other months. */
export type ComparedFigure = Pick<
	KpiFigure,
	'numerator' | 'denominator' | 'value' | 'target' | 'status'
>;

export interface KpiDifference {
	id: KpiId;
	published: ComparedFigure;
	/** Null when the unit version is no longer in the data. */
	now: ComparedFigure | null;
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** An id in a URL: 1 to 2^31 − 1 in plain digits, else null (no such report). */
export function parseReportId(text: string): number | null {
	if (!/^[1-9]\d{0,9}$/.test(text)) return null;
	const id = Number(text);
	return id <= 2_147_483_647 ? id : null;
}

/**
 * Characters a document number never holds: controls (a line break would break the header),
 * format characters (invisible, and able to reorder text), private use, unassigned, and line or
 * paragraph separators.
 */
const UNPRINTABLE = /[\p{Cc}\p{Cf}\p{Co}\p{Cn}\p{Zl}\p{Zp}]/u;

/** The number trimmed, null when empty; a PublishError for one too long or not printable. */
export function documentNumber(text: string | null | undefined): string | null {
	const number = (text ?? '').trim();
	if (number === '') return null;
	if (number.length > MAX_NUMBER_LENGTH) {
		throw new PublishError(
			`the document number has ${number.length} characters; at most ${MAX_NUMBER_LENGTH}`,
			'number'
		);
	}
	if (UNPRINTABLE.test(number)) {
		throw new PublishError(
			'the document number holds a character that cannot be printed',
			'number'
		);
	}
	return number;
}

/** The months the publish form offers, newest first: those from the first to the last with data. */
export function publishableMonths(dataRange: DateRange | null): string[] {
	if (!dataRange) return [];
	const last = monthIndex(dataRange.to);
	const first = Math.max(monthIndex(dataRange.from), last - MAX_OFFERED_MONTHS + 1);
	return monthSpan(first, last, MAX_OFFERED_MONTHS).reverse().map(monthText);
}

/** What a refused publish was refused for, in a form's terms; null for an error that is a bug. */
export type PublishFormProblem = PublishProblem | 'month' | 'unit_month';

export function publishProblem(error: unknown): PublishFormProblem | null {
	if (error instanceof PublishError) return error.code;
	if (error instanceof ReportMonthError) return 'month';
	if (error instanceof PrintRefusedError) return 'busy';
	if (error instanceof KpiQueryError && !(error instanceof UnknownUnit)) return 'unit_month';
	return null;
}

/** The month and number of a request, checked without publishing (ReportMonthError, PublishError). */
export function checkPublishRequest(request: PublishRequest): void {
	reportPeriod(request.month);
	documentNumber(request.number);
}

const queues = new WeakMap<object, { tail: Promise<unknown>; waiting: number }>();

/** Runs `work` after every publish queued before it on `db`. */
function oneAtATime<T>(db: object, work: () => Promise<T>): Promise<T> {
	let queue = queues.get(db);
	if (!queue) {
		queue = { tail: Promise.resolve(), waiting: 0 };
		queues.set(db, queue);
	}
	if (queue.waiting >= MAX_WAITING_PUBLISHES) {
		throw new PublishError(
			`${queue.waiting} reports are being published; try again shortly`,
			'busy'
		);
	}
	const mine = queue;
	mine.waiting++;
	const result = mine.tail.then(work).finally(() => mine.waiting--);
	mine.tail = result.catch(() => undefined);
	return result;
}

/**
 * Publishes the report of `request.unit` for `request.month`. Refusals: OutOfScope (not a managing
 * role, or a unit outside the scope), PublishError (the number; too many waiting),
 * ReportMonthError (the month), KpiQueryError (the code names no single unit in that month),
 * PrintRefusedError (the printer).
 */
export async function publishReport(
	db: Kysely<Database>,
	principal: Principal,
	actor: Actor,
	request: PublishRequest,
	now = Date.now()
): Promise<PublishedReportSummary> {
	await assertManages(db, principal, request.unit);
	const number = documentNumber(request.number);
	const period = reportPeriod(request.month);
	return oneAtATime(db, async () => {
		// Looked up before gathering: an import landing meanwhile makes the stored version older
		// than the figures at worst, so the report page recomputes and compares, never skips.
		const version = await dataVersion(db);
		const unit = await visibleUnit(db, principal, request.unit, period, version);
		const report = await monthlyReport(db, unit, request.month, version);
		const [xlsx, pdf, csv] = await Promise.all(
			REPORT_FORMATS.map((format) =>
				renderReport(db, report, format, now, { number: number ?? undefined })
			)
		);
		const publishedAt = vietnamTimestamp(now);
		const stored = await serialWrite(db, () =>
			db.transaction().execute(async (trx) => {
				const { latest } = await trx
					.selectFrom('published_reports')
					.select((eb) => eb.fn.max('edition').as('latest'))
					.where('unit_version_id', '=', unit.id)
					.where('month', '=', request.month)
					.executeTakeFirstOrThrow();
				const edition = (latest ?? 0) + 1;
				const { id } = await trx
					.insertInto('published_reports')
					.values({
						unit_code: unit.code,
						unit_version_id: unit.id,
						unit_name: unit.name,
						month: request.month,
						edition,
						document_number: number,
						published_by_id: actor.userId ?? null,
						published_by: actor.username,
						published_at: publishedAt,
						data_version: version,
						figures: JSON.stringify(report),
						xlsx: xlsx.body,
						xlsx_sha256: sha256(xlsx.body),
						xlsx_name: xlsx.fileName,
						pdf: pdf.body,
						pdf_sha256: sha256(pdf.body),
						pdf_name: pdf.fileName,
						csv: csv.body,
						csv_sha256: sha256(csv.body),
						csv_name: csv.fileName
					})
					.returning('id')
					.executeTakeFirstOrThrow();
				await audit(
					trx,
					{
						action: 'report_publish',
						actor,
						detail: {
							unit: unit.code,
							month: request.month,
							edition,
							report: id,
							...(number === null ? {} : { number })
						}
					},
					now
				);
				return { id, edition };
			})
		);
		return {
			id: stored.id,
			unitCode: unit.code,
			unitVersionId: unit.id,
			unitName: unit.name,
			month: request.month,
			edition: stored.edition,
			number,
			publishedBy: actor.username,
			publishedAt: publishedAt.replace(' ', 'T'),
			current: true
		};
	});
}

/** The columns of a summary, and whether each row is the newest edition of its unit and month. */
function summaries(db: Kysely<Database>) {
	// The newest edition by a grouped join, not max() OVER (…): DuckDB 1.5.5's parallel window
	// over a small filtered input now and then fails with an internal error that invalidates the
	// whole database (duckdb/duckdb#25713, kpi/targets.ts).
	const latest = db
		.selectFrom('published_reports')
		.select(['unit_version_id', 'month'])
		.select((eb) => eb.fn.max('edition').as('latest_edition'))
		.groupBy(['unit_version_id', 'month'])
		.as('latest');
	return db
		.selectFrom('published_reports as r')
		.innerJoin(latest, (join) =>
			join
				.onRef('latest.unit_version_id', '=', 'r.unit_version_id')
				.onRef('latest.month', '=', 'r.month')
		)
		.select([
			'r.id',
			'r.unit_code',
			'r.unit_version_id',
			'r.unit_name',
			'r.month',
			'r.edition',
			'r.document_number',
			'r.published_by',
			'r.published_at',
			'latest.latest_edition'
		]);
}

type SummaryRow = {
	id: number;
	unit_code: string;
	unit_version_id: number;
	unit_name: string;
	month: string;
	edition: number;
	document_number: string | null;
	published_by: string;
	published_at: string;
	latest_edition: number;
};

const summaryOf = (row: SummaryRow): PublishedReportSummary => ({
	id: row.id,
	unitCode: row.unit_code,
	unitVersionId: row.unit_version_id,
	unitName: row.unit_name,
	month: row.month,
	edition: row.edition,
	number: row.document_number,
	publishedBy: row.published_by,
	publishedAt: row.published_at,
	current: row.edition === row.latest_edition
});

export interface PublishedList {
	reports: PublishedReportSummary[];
	total: number;
	page: number;
	pages: number;
}

/**
 * The reports published for the unit `filter.unit` and its subtree, within the principal's scope
 * (the code's visible versions and their subtrees: every unit of those is in the scope too),
 * newest first, a page of PUBLISHED_PAGE_SIZE at a time; `month` keeps one month's.
 */
export async function publishedReports(
	db: Kysely<Database>,
	principal: Principal,
	filter: { unit: string; month?: string | null; page?: number }
): Promise<PublishedList> {
	const versions = await visibleVersionsOf(db, principal, filter.unit);
	if (filter.month) reportPeriod(filter.month);
	const page = Math.max(1, Math.floor(filter.page ?? 1));
	const scope = await scopeOf(db, principal);
	const listed = db
		.selectFrom(() => summaries(db).as('editions'))
		.where('unit_version_id', 'in', (eb) =>
			eb.selectFrom('unit_closure').select('descendant_id').where('ancestor_id', 'in', versions)
		)
		.$if(Boolean(filter.month), (query) => query.where('month', '=', filter.month!));
	const rows = await listed
		.selectAll()
		.orderBy('published_at', 'desc')
		.orderBy('id', 'desc')
		.limit(PUBLISHED_PAGE_SIZE)
		.offset((page - 1) * PUBLISHED_PAGE_SIZE)
		.execute();
	// Counted apart, not count(*) OVER (): the same DuckDB race as in `summaries`.
	const total = Number(
		(await listed.select((eb) => eb.fn.countAll<number>().as('total')).executeTakeFirstOrThrow())
			.total
	);
	return {
		// Every row is in the scope by construction; asked again all the same (auth/scope.ts).
		reports: rows.filter((r) => inScope(scope, r.unit_version_id)).map(summaryOf),
		total,
		page,
		pages: Math.max(1, Math.ceil(total / PUBLISHED_PAGE_SIZE))
	};
}

/** One edition, if it exists and the principal may see its unit; OutOfScope (404) otherwise. */
export async function publishedReport(
	db: Kysely<Database>,
	principal: Principal,
	id: number
): Promise<PublishedReport> {
	const row = await db
		.selectFrom(() => summaries(db).as('editions'))
		.innerJoin('published_reports as p', 'p.id', 'editions.id')
		.selectAll('editions')
		.select([
			'p.data_version',
			'p.figures',
			'p.xlsx_name',
			'p.xlsx_sha256',
			(eb) => eb.fn<number>('octet_length', ['p.xlsx']).as('xlsx_size'),
			'p.pdf_name',
			'p.pdf_sha256',
			(eb) => eb.fn<number>('octet_length', ['p.pdf']).as('pdf_size'),
			'p.csv_name',
			'p.csv_sha256',
			(eb) => eb.fn<number>('octet_length', ['p.csv']).as('csv_size')
		])
		.where('editions.id', '=', id)
		.executeTakeFirst();
	if (!row || !inScope(await scopeOf(db, principal), row.unit_version_id)) throw new OutOfScope();
	const summary = summaryOf(row);
	let currentId: number | null = null;
	if (!summary.current) {
		const current = await db
			.selectFrom('published_reports')
			.select('id')
			.where('unit_version_id', '=', row.unit_version_id)
			.where('month', '=', row.month)
			.where('edition', '=', row.latest_edition)
			.executeTakeFirstOrThrow();
		currentId = current.id;
	}
	return {
		...summary,
		dataVersion: row.data_version,
		report: JSON.parse(row.figures) as MonthlyReport,
		files: {
			xlsx: { name: row.xlsx_name, sha256: row.xlsx_sha256, size: row.xlsx_size },
			pdf: { name: row.pdf_name, sha256: row.pdf_sha256, size: row.pdf_size },
			csv: { name: row.csv_name, sha256: row.csv_sha256, size: row.csv_size }
		},
		currentId
	};
}

/**
 * A published file exactly as stored, for a principal who may see its unit (OutOfScope
 * otherwise, or for no such id, or one of another unit code than `unit`: a URL names its unit),
 * with an audit entry of the download.
 */
export async function publishedFile(
	db: Kysely<Database>,
	principal: Principal,
	actor: Actor,
	{ unit, id, format }: { unit: string; id: number; format: ReportFormat },
	now = Date.now()
): Promise<PublishedFile> {
	const row = await db
		.selectFrom('published_reports')
		.select([
			'unit_version_id',
			'unit_code',
			'month',
			'edition',
			format,
			`${format}_name` as const,
			`${format}_sha256` as const
		])
		.where('id', '=', id)
		.where('unit_code', '=', unit)
		.executeTakeFirst();
	if (!row || !inScope(await scopeOf(db, principal), row.unit_version_id)) throw new OutOfScope();
	const record = row as unknown as Record<string, unknown>;
	const body = Buffer.from(record[format] as Uint8Array);
	await audit(
		db,
		{
			action: 'report_download',
			actor,
			detail: { unit: row.unit_code, month: row.month, edition: row.edition, report: id, format }
		},
		now
	);
	return {
		body,
		contentType: REPORT_CONTENT_TYPES[format],
		fileName: record[`${format}_name`] as string,
		sha256: record[`${format}_sha256`] as string
	};
}

const compared = (f: KpiFigure): ComparedFigure => ({
	numerator: f.numerator,
	denominator: f.denominator,
	value: f.value,
	target: f.target,
	status: f.status
});

const sameFigure = (a: ComparedFigure, b: ComparedFigure) =>
	a.numerator === b.numerator &&
	a.denominator === b.denominator &&
	a.value === b.value &&
	a.target === b.target &&
	a.status === b.status;

/**
 * The KPIs whose figure (numerator, denominator, value, target, status) differs between the
 * published report and its month recomputed now, with both figures; none when the data version
 * is the one it was made from (no import since). A unit version gone from the data differs on
 * every KPI, with no figure now (so does one whose validity no longer covers the month).
 */
export async function publishedDifferences(
	db: Kysely<Database>,
	published: PublishedReport
): Promise<KpiDifference[]> {
	const version = await dataVersion(db);
	if (version === published.dataVersion) return [];
	const unit: UnitVersionRef | undefined = await db
		.selectFrom('unit_versions')
		.select(['id', 'code', 'name', 'level', 'valid_from', 'valid_to'])
		.where('id', '=', published.unitVersionId)
		.executeTakeFirst();
	let current: MonthlyReport | null = null;
	try {
		if (unit) current = await monthlyReport(db, unit, published.month, version);
	} catch (error) {
		// Its validity no longer covers the month (a later units file): no figure of it now.
		if (!(error instanceof KpiQueryError)) throw error;
	}
	const nowById = new Map(current?.kpis.map((k) => [k.id, compared(k.figure)]));
	return published.report.kpis.flatMap((kpi): KpiDifference[] => {
		const then = compared(kpi.figure);
		const now = nowById.get(kpi.id) ?? null;
		return now && sameFigure(then, now) ? [] : [{ id: kpi.id, published: then, now }];
	});
}
