import { getLocale } from '$lib/paraglide/runtime';
import { exportResponse } from '$lib/server/export/respond';
import type { RequestHandler } from './$types';

/** `GET /u/<code>/late/export?format=xlsx|csv&<the page's parameters>`: the page's table as a file. */
export const GET: RequestHandler = (event) => exportResponse(event, 'late', getLocale());
