import { dashboardLoad } from '$lib/server/dashboard/page';
import type { LayoutServerLoad } from './$types';

/** The unit's header (breadcrumbs, tabs, period picker) for every page below /u/<code>. */
export const load: LayoutServerLoad = (event) =>
	dashboardLoad(event, async ({ context }) => ({
		unit: {
			code: context.unit.code,
			name: context.unit.name,
			level: context.unit.level,
			valid_from: context.unit.valid_from,
			valid_to: context.unit.valid_to
		},
		period: context.period,
		comparison: context.comparison,
		campaign: context.campaign,
		campaigns: context.campaigns,
		breadcrumbs: context.breadcrumbs,
		lastDataDay: context.lastDataDay
	}));
