import { error } from '@sveltejs/kit';
import { NONE } from '$lib/domain/url-params';
import { dashboardLoad } from '$lib/server/dashboard/page';
import { parseReportId, publishedDifferences, publishedReport } from '$lib/server/report/publish';
import type { PageServerLoad } from './$types';

/**
 * `GET /u/<code>/reports/<id>`: a published report of that unit — its figures as published, its
 * files, and the KPIs whose figures changed since (publishedDifferences). An id that is no
 * number, names no report, a report of another unit code, or one outside the scope: 404.
 */
export const load: PageServerLoad = (event) =>
	dashboardLoad(event, NONE, async ({ db, principal }) => {
		const id = parseReportId(event.params.id);
		if (id === null) error(404, 'not found');
		const published = await publishedReport(db, principal, id);
		if (published.unitCode !== event.params.code) error(404, 'not found');
		const { report, dataVersion: _, ...summary } = published;
		return {
			published: {
				...summary,
				period: report.period,
				kpis: report.kpis.map((k) => ({ id: k.id, name: k.name, figure: k.figure }))
			},
			differences: await publishedDifferences(db, published)
		};
	});
