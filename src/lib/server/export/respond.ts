/**
 * The answer to `GET /u/<code>/<page>/export?format=xlsx|csv&<the page's parameters>`: the page's
 * load frame (dashboard/page.ts: a session, the unit in scope or 404, every parameter read by the
 * page's own vocabulary or 400), then the table as a file to download, and an entry in the audit
 * log saying who exported which table of which unit and period, in which format.
 */
import { error } from '@sveltejs/kit';
import type { ParamProblem } from '../../domain/url-params';
import { actorOf } from '../auth/admin';
import { audit } from '../auth/users';
import { dashboardLoad, type DashboardEvent } from '../dashboard/page';
import { CSV_CONTENT_TYPE, writeCsv } from './csv';
import { DASHBOARD_EXPORTS, type DashboardExport, type DashboardTable } from './dashboard';
import { downloadName } from './names';
import { writeXlsx, XLSX_CONTENT_TYPE } from './xlsx';
import type { Locale } from '../../domain/format';

export const EXPORT_FORMATS = ['xlsx', 'csv'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ExportEvent extends DashboardEvent {
	getClientAddress: () => string;
}

function formatOf(params: URLSearchParams): ExportFormat {
	const text = params.get('format') ?? '';
	if ((EXPORT_FORMATS as readonly string[]).includes(text)) return text as ExportFormat;
	const problem: ParamProblem = {
		kind: 'param',
		name: 'format',
		value: text.slice(0, 40),
		accepted: EXPORT_FORMATS,
		tooLong: false
	};
	error(400, { message: 'bad request', problem });
}

export function exportResponse(
	event: ExportEvent,
	table: DashboardTable,
	locale: Locale
): Promise<Response> {
	const spec = DASHBOARD_EXPORTS[table] as unknown as DashboardExport<unknown>;
	return dashboardLoad(event, spec.vocabulary, async (scope) => {
		// Read after the unit's scope and the page's parameters: a unit outside scope is 404 first.
		const format = formatOf(event.url.searchParams);
		const { context, principal } = scope;
		const now = Date.now();
		const frame = {
			unit: { code: context.unit.code, name: context.unit.name },
			period: context.period,
			locale,
			username: principal.username,
			now
		};
		const written = await spec.build(scope, frame);
		const body = format === 'xlsx' ? await writeXlsx([written]) : writeCsv(written);
		const user = event.locals.user!;
		await audit(
			scope.db,
			{
				action: 'export',
				actor: actorOf(user, event.getClientAddress()),
				detail: {
					table,
					unit: context.unit.code,
					from: context.period.from,
					to: context.period.to,
					format,
					rows: written.rows.length
				}
			},
			now
		);
		const name = downloadName(
			spec.fileName(scope.state),
			context.unit.code,
			context.period,
			format
		);
		return new Response(new Uint8Array(body), {
			headers: {
				'content-type': format === 'xlsx' ? XLSX_CONTENT_TYPE : CSV_CONTENT_TYPE,
				'content-disposition': `attachment; filename="${name}"`,
				'content-length': String(body.length)
			}
		});
	});
}
