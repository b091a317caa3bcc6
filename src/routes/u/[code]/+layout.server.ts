import { vietnamToday } from '$lib/domain/dates';
import { dashboardLayoutLoad } from '$lib/server/dashboard/page';
import type { LayoutServerLoad } from './$types';

/**
 * The unit's header (breadcrumbs, tabs, period picker, what the period's data are, and the units
 * it became or came from) for every page below /u/<code>; for a URL whose period cannot be
 * answered, the header of the default period (`refused`), so the picker is there while the page
 * says what was wrong.
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
		ended: context.unit.valid_to !== null && context.unit.valid_to < vietnamToday(),
		period: context.period,
		comparison: context.comparison,
		campaign: context.campaign,
		campaigns: context.campaigns,
		breadcrumbs: context.breadcrumbs,
		lastDataDay: context.lastDataDay,
		dataRange: context.dataRange,
		periodHasData: context.periodHasData,
		dataUntil: context.dataUntil,
		lineage: context.lineage,
		refused
	}));
