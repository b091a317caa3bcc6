import { visibleUnitNames } from '$lib/server/auth/admin';
import { auditActions, auditEntries, parseAuditFilter } from '$lib/server/auth/audit-log';
import { getStore } from '$lib/server/store';
import type { PageServerLoad } from './$types';

/** `GET /admin/audit?user=&action=&from=&to=&page=`: the filter lives in the URL, to share or keep. */
export const load: PageServerLoad = async ({ locals, url }) => {
	const { db } = await getStore();
	const filter = parseAuditFilter(url.searchParams);
	const log = await auditEntries(db, locals.user!, filter);
	const codes = log.entries.flatMap((entry) => unitCodesOf(entry.detail));
	return {
		filter,
		log,
		actions: await auditActions(db, locals.user!),
		unitNames: Object.fromEntries(await visibleUnitNames(db, locals.user!, codes))
	};
};

/**
 * The units an entry's detail names by code (auth/users.ts writes `unit_code`, an export or a
 * report `unit`), to name them.
 */
function unitCodesOf(detail: string | null): string[] {
	try {
		const parsed = detail === null ? null : JSON.parse(detail);
		const code: unknown = parsed?.unit_code ?? parsed?.unit;
		return typeof code === 'string' ? [code] : [];
	} catch {
		return [];
	}
}
