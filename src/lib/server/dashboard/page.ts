/**
 * The frame of every dashboard page load: the signed-in principal, the store, the unit context
 * (scope checked there) and the answers a page gives to a bad URL — 404 outside the scope or for
 * an unknown unit, 400 with the reason for a question that cannot be answered (a refused period
 * with its problem, which the error page words in the page's language), and a redirect to the
 * canonical URL for a period picker submission.
 */
import { error, redirect } from '@sveltejs/kit';
import type { Kysely } from 'kysely';
import { canonicalQuery } from '../../domain/periods';
import type { Principal } from '../../domain/types';
import { OutOfScope } from '../auth/scope';
import { getStore } from '../store';
import type { Database } from '../db/schema';
import { PeriodError } from '../kpi/period';
import { KpiQueryError } from '../kpi/units';
import { unitContext, type UnitContext } from './context';

export interface DashboardEvent {
	params: { code: string };
	url: URL;
	locals: App.Locals;
}

export interface DashboardScope {
	db: Kysely<Database>;
	principal: Principal;
	context: UnitContext;
}

/**
 * The layout's load and the page's load of one request share the same `locals`: the context is
 * computed once for both (they run side by side), not once each.
 */
const contexts = new WeakMap<App.Locals, Promise<UnitContext>>();

function sharedContext(event: DashboardEvent, db: Kysely<Database>): Promise<UnitContext> {
	// Read by every load, cached or not: SvelteKit re-runs a load on client navigation only when it
	// read what changed, and a load served from the cache would otherwise read nothing.
	const { code } = event.params;
	const params = new URLSearchParams(event.url.search);
	let context = contexts.get(event.locals);
	if (!context) {
		context = unitContext(db, event.locals.user!, code, params);
		contexts.set(event.locals, context);
	}
	return context;
}

export async function dashboardLoad<T>(
	event: DashboardEvent,
	load: (scope: DashboardScope) => Promise<T>
): Promise<T> {
	const { db } = await getStore();
	const principal = event.locals.user!;
	try {
		const context = await sharedContext(event, db);
		const picked = canonicalQuery(event.url.searchParams, context.campaigns);
		if (picked && 'problem' in picked) throw new PeriodError(picked.problem);
		if (picked) redirect(303, `${event.url.pathname}?${picked.query}`);
		return await load({ db, principal, context });
	} catch (e) {
		if (e instanceof OutOfScope) error(404, 'not found');
		if (e instanceof PeriodError) error(400, { message: e.message, period: e.problem });
		if (e instanceof KpiQueryError) error(400, e.message);
		throw e;
	}
}
