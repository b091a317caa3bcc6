import { getStore } from '$lib/server/db';
import { provinceSummary } from '$lib/server/summary';
import type { PageServerLoad } from './$types';

export const load: PageServerLoad = async () => provinceSummary((await getStore()).db);
