import { COMPARE } from '$lib/domain/url-params';
import { compareChildren } from '$lib/server/dashboard/compare';
import { dashboardLoad } from '$lib/server/dashboard/page';
import { KPI_DEFINITIONS } from '$lib/server/kpi/definitions';
import { unitServiceIndex } from '$lib/server/service-index';
import type { PageServerLoad } from './$types';

/**
 * `GET /u/<code>/compare?kpi=&sort=&dir=`: the unit's children side by side (issue 6), with each
 * child's service index and its rank within its level (issue 16).
 */
export const load: PageServerLoad = (event) =>
	dashboardLoad(event, COMPARE, async ({ db, principal, context, state }) => {
		const [compared, index] = await Promise.all([
			compareChildren(db, context, state),
			unitServiceIndex(db, principal, context.unit.code, context.period, context.dataVersion)
		]);
		const definitions = KPI_DEFINITIONS.map((d) => ({
			id: d.id,
			name: d.name,
			formula: d.formula
		}));
		// The service index of each child as its scorecard ranks it (within its level), for the
		// table's last column; the full ranking is on the index page.
		const indexOf = index.children.map((c) => ({
			code: c.unit.code,
			level: c.unit.level,
			score: c.score,
			measured_points: c.measured_points,
			rank: c.rank,
			of: c.of,
			rank_change: c.rank_change
		}));
		return { compared, definitions, index: indexOf };
	});
