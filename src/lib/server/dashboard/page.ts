/**
 * The frame of every dashboard page load: the signed-in principal, the store, the unit context
 * (scope checked there), the page's own state read by its vocabulary (domain/url-params.ts), and
 * the answers a page gives to a bad URL — 404 outside the scope or for an unknown unit, a redirect
 * to the canonical URL for a period picker submission, and for any value the page cannot answer
 * (a refused period or campaign, an unknown KPI, sort or page number, a unit not valid in the
 * period) one rule: 400 with the problem, which the error page words in the page's language below
 * the unit's header, so that the period picker is there to recover with.
 */
import { error, redirect } from '@sveltejs/kit';
import type { Kysely } from 'kysely';
import { canonicalQuery } from '../../domain/periods';
import type { Principal } from '../../domain/types';
import {
	parseParams,
	VIEW,
	type UrlProblem,
	type ViewState,
	type Vocabulary
} from '../../domain/url-params';
import { OutOfScope } from '../auth/scope';
import { getStore } from '../store';
import type { Database } from '../db/schema';
import { PeriodError } from '../kpi/period';
import { KpiQueryError, UnknownUnit } from '../units/versions';
import { unitContext, type UnitContext } from './context';

export interface DashboardEvent {
	params: { code: string };
	url: URL;
	locals: App.Locals;
}

export interface DashboardScope<S = Record<never, never>> {
	db: Kysely<Database>;
	principal: Principal;
	context: UnitContext;
	/** The page's own state, from its vocabulary. */
	state: S;
}

/**
 * The unit's context for the URL's view, or — when the view cannot be answered — for the default
 * view, with the problem: the layout still shows the unit, its tabs and the period picker, and
 * the page answers 400 with the problem.
 */
interface SharedContext {
	context: UnitContext;
	problem: UrlProblem | null;
}

const DEFAULT_VIEW: ViewState = { from: null, to: null, campaign: null, vs: 'previous' };

/** The problem a refusal of the engine stands for; null for any other error. */
function problemOf(e: unknown): UrlProblem | null {
	if (e instanceof PeriodError) return e.problem;
	// The unit is not valid in the period, or its code names two units in it (units/versions.ts).
	if (e instanceof KpiQueryError) return { kind: 'unit_period' };
	return null;
}

async function resolveContext(event: DashboardEvent, db: Kysely<Database>): Promise<SharedContext> {
	const principal = event.locals.user!;
	const { code } = event.params;
	const view = parseParams(VIEW, new URLSearchParams(event.url.search));
	let problem: UrlProblem;
	if ('problem' in view) problem = view.problem;
	else {
		try {
			return { context: await unitContext(db, principal, code, view.state), problem: null };
		} catch (e) {
			const refused = problemOf(e);
			if (!refused) throw e;
			problem = refused;
		}
	}
	return { context: await unitContext(db, principal, code, DEFAULT_VIEW), problem };
}

/**
 * The layout's load and the page's load of one request share the same `locals`: the context is
 * computed once for both (they run side by side), not once each.
 */
const contexts = new WeakMap<App.Locals, Promise<SharedContext>>();

function sharedContext(event: DashboardEvent, db: Kysely<Database>): Promise<SharedContext> {
	// Read by every load, cached or not: SvelteKit re-runs a load on client navigation only when it
	// read what changed, and a load served from the cache would otherwise read nothing.
	void event.params.code;
	void event.url.search;
	let context = contexts.get(event.locals);
	if (!context) {
		context = resolveContext(event, db);
		contexts.set(event.locals, context);
	}
	return context;
}

function refuse(problem: UrlProblem): never {
	error(400, { message: 'bad request', problem });
}

/** Runs a load, answering 404 outside the scope and 400 for a question the engine refuses. */
export async function guarded<T>(run: () => Promise<T>): Promise<T> {
	try {
		return await run();
	} catch (e) {
		if (e instanceof OutOfScope || e instanceof UnknownUnit) error(404, 'not found');
		const problem = problemOf(e);
		if (problem) refuse(problem);
		throw e;
	}
}

/**
 * The unit's context for a form action below /u/<code>: the URL's view (a form posts to its own
 * page's query), or the default view's; 404 outside the scope, as for the page.
 */
export function actionContext(event: DashboardEvent): Promise<DashboardScope> {
	return guarded(async () => {
		const { db } = await getStore();
		const { context } = await sharedContext(event, db);
		return { db, principal: event.locals.user!, context, state: {} };
	});
}

/**
 * The layout's load: the unit's header for the URL's view, or for the default view when the
 * URL's cannot be answered (then `refused`, and the page below says why).
 */
export function dashboardLayoutLoad<T>(
	event: DashboardEvent,
	load: (scope: { context: UnitContext; refused: boolean }) => Promise<T>
): Promise<T> {
	return guarded(async () => {
		const { db } = await getStore();
		const { context, problem } = await sharedContext(event, db);
		return load({ context, refused: problem !== null });
	});
}

/** A page's load, with its state read by `vocabulary`; every problem of the URL is a 400. */
export function dashboardLoad<S, T>(
	event: DashboardEvent,
	vocabulary: Vocabulary<S>,
	load: (scope: DashboardScope<S>) => Promise<T>
): Promise<T> {
	return guarded(async () => {
		const { db } = await getStore();
		const principal = event.locals.user!;
		const { context, problem } = await sharedContext(event, db);
		const picked = canonicalQuery(event.url.searchParams, context.campaigns);
		if (picked && 'problem' in picked) refuse(picked.problem);
		if (picked) redirect(303, `${event.url.pathname}?${picked.query}`);
		if (problem) refuse(problem);
		const parsed = parseParams(vocabulary, event.url.searchParams);
		if ('problem' in parsed) refuse(parsed.problem);
		return load({ db, principal, context, state: parsed.state });
	});
}
