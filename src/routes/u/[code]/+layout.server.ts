import { dashboardLayoutLoad } from '$lib/server/dashboard/page';
import type { LayoutServerLoad } from './$types';

/**
 * The unit's header (breadcrumbs, tabs, period picker) for every page below /u/<code>; for a URL
 * whose period cannot be answered, the header of the default period (`refused`), so the picker is
 * there while the page says what was wrong.
 */
export const load: LayoutServerLoad = (event) =>
	dashboardLayoutLoad(event, async ({ context, refused }) => ({
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
		lastDataDay: context.lastDataDay,
		refused
	}));
