import { parseMonth } from '$lib/domain/periods';
import { MAP } from '$lib/domain/url-params';
import { communeMap, COMMUNE_MAP_FROM } from '$lib/server/dashboard/map';
import { dashboardLoad } from '$lib/server/dashboard/page';
import { KPI_DEFINITIONS } from '$lib/server/kpi/definitions';
import type { PageServerLoad } from './$types';

/** `GET /u/<code>/map?kpi=`: one KPI over the communes of the unit, or its children's table. */
export const load: PageServerLoad = (event) =>
	dashboardLoad(event, MAP, async ({ db, principal, context, state: { kpi } }) => {
		const map = await communeMap(
			db,
			principal,
			context.unit,
			context.period,
			kpi,
			context.dataVersion
		);
		const definitions = KPI_DEFINITIONS.map((d) => ({
			id: d.id,
			name: d.name,
			formula: d.formula
		}));
		// Where a period before the communes existed can send the user instead: the latest month,
		// when the unit still exists then.
		const latest = context.lastDataDay ? parseMonth(context.lastDataDay.slice(0, 7)) : null;
		const mapPeriod =
			map.kind === 'children' &&
			map.reason === 'period' &&
			latest !== null &&
			latest.from >= COMMUNE_MAP_FROM &&
			(context.unit.valid_to === null || context.unit.valid_to >= latest.to)
				? latest
				: null;
		return { map, definitions, mapPeriod };
	});
