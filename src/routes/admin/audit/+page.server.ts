import { auditActions, auditEntries, parseAuditFilter } from '$lib/server/auth/audit-log';
import { getStore } from '$lib/server/store';
import type { PageServerLoad } from './$types';

/** `GET /admin/audit?user=&action=&from=&to=&page=`: the filter lives in the URL, to share or keep. */
export const load: PageServerLoad = async ({ locals, url }) => {
	const { db } = await getStore();
	const filter = parseAuditFilter(url.searchParams);
	return {
		filter,
		log: await auditEntries(db, locals.user!, filter),
		actions: await auditActions(db, locals.user!)
	};
};
