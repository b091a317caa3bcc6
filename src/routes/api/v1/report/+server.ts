import { json } from '@sveltejs/kit';
import { actorOf } from '$lib/server/auth/admin';
import { OutOfScope } from '$lib/server/auth/scope';
import { PrintRefusedError } from '$lib/server/print/browser';
import {
	isReportFormat,
	reportFile,
	REPORT_FORMATS,
	UnknownCampaign
} from '$lib/server/report/files';
import { ReportMonthError } from '$lib/server/report/monthly';
import { getStore } from '$lib/server/store';
import { KpiQueryError, UnknownUnit } from '$lib/server/units/versions';
import type { RequestHandler } from './$types';

/**
 * CONTRACT: `GET /api/v1/report?unit=<code>&month=<YYYY-MM>&format=<xlsx|pdf|csv>`, the monthly
 * report file of a unit in scope, with a `Content-Disposition` file name; `campaign=<id>` in place
 * of `month` for a campaign's window (a campaign the user may see, else 404 like a unit).
 */
export const GET: RequestHandler = async ({ url, locals, getClientAddress }) => {
	const { db } = await getStore();
	const unit = url.searchParams.get('unit') ?? '';
	const month = url.searchParams.get('month');
	const campaign = url.searchParams.get('campaign');
	const format = url.searchParams.get('format') ?? '';
	if (!unit || unit.length > 200)
		return json({ error: 'give the unit code: ?unit=<code>' }, { status: 400 });
	if (!isReportFormat(format)) {
		return json({ error: `format must be one of ${REPORT_FORMATS.join(', ')}` }, { status: 400 });
	}
	if ((month === null) === (campaign === null) || (campaign ?? '').length > 20) {
		return json(
			{ error: 'give the month (?month=YYYY-MM) or a campaign (?campaign=<id>)' },
			{ status: 400 }
		);
	}
	try {
		const file = await reportFile(db, locals.user!, actorOf(locals.user!, getClientAddress()), {
			unit,
			format,
			...(month !== null ? { month } : { campaign: campaign! })
		});
		return new Response(new Uint8Array(file.body), {
			headers: {
				'content-type': file.contentType,
				'content-disposition': `attachment; filename="${file.fileName}"`,
				'content-length': String(file.body.length)
			}
		});
	} catch (error) {
		if (
			error instanceof OutOfScope ||
			error instanceof UnknownUnit ||
			error instanceof UnknownCampaign
		) {
			return json({ error: 'not found' }, { status: 404 });
		}
		if (error instanceof ReportMonthError || error instanceof KpiQueryError) {
			return json({ error: error.message }, { status: 400 });
		}
		if (error instanceof PrintRefusedError) {
			return json({ error: 'the printer is busy; try again in a minute' }, { status: 503 });
		}
		throw error;
	}
};
