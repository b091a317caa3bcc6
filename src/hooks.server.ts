import { rmSync } from 'node:fs';
import {
	json,
	type Handle,
	type HandleServerError,
	type RequestEvent,
	type ServerInit
} from '@sveltejs/kit';
import { sequence } from '@sveltejs/kit/hooks';
import { building, dev } from '$app/environment';
import { paraglideMiddleware } from '$lib/paraglide/server';
import { isApi, routeAccess, routedPath, SESSION_COOKIE } from '$lib/server/auth/access';
import { clearSessionCookie } from '$lib/server/auth/cookies';
import { validateSessionToken } from '$lib/server/auth/sessions';
import { validateApiToken } from '$lib/server/auth/tokens';
import { sessionUser } from '$lib/server/auth/users';
import {
	nightlySummary,
	startNightlyBackups,
	type NightlyBackups
} from '$lib/server/backup/nightly';
import { writeBackup } from '$lib/server/backup/snapshot';
import { backupSettings, controlSocketPath, type BackupSettings } from '$lib/server/config';
import { errorLine } from '$lib/server/control/protocol';
import {
	BUSY_MESSAGE,
	busyResponse,
	isOutOfMemory,
	markBusy,
	wasBusy
} from '$lib/server/http/busy';
import { isCrossSiteForm } from '$lib/server/http/origin';
import { startControlServer, type CloseControlServer } from '$lib/server/control/server';
import { resumeQueuedJobs, stopImports } from '$lib/server/jobs/jobs';
import { DatabaseLockedError, getStore, type Store } from '$lib/server/store';
import {
	contentSecurityPolicy,
	CSP_DIRECTIVES,
	SECURITY_HEADERS
} from '$lib/server/security-headers.js';

/**
 * An unexpected error is logged, as SvelteKit does; one that is DuckDB short of memory is marked
 * so that `secure` answers it 503 (http/busy.ts), and the error page says to try again.
 */
export const handleError: HandleServerError = ({ error, event, message }) => {
	if (isOutOfMemory(error)) {
		// One line for the operator: no stack, this is the server's state, not a defect.
		console.warn(`503 ${event.url.pathname}: ${(error as Error).message}`);
		markBusy(event.locals);
		return { message: BUSY_MESSAGE, busy: true };
	}
	console.error(error);
	return { message };
};

/**
 * Opens the database (applying migrations) before the first request, opens the control socket
 * through which CLI commands reach this process while it holds the database file, starts the
 * nightly backups when BACKUP_DIR is set, and runs the uploads left waiting by the last stop
 * (jobs/jobs.ts).
 */
export const init: ServerInit = async () => {
	// `vite build` runs this hook while prerendering: the build must not take the database.
	if (building) return;
	try {
		// A bad setting stops the server before it takes the database (config.ts: SettingError).
		const nightly = backupSettings();
		const store = await getStore();
		const socketPath = controlSocketPath(store.path);
		// `vite dev` runs init again when it reloads this module, in the same process: the socket
		// and the timer the previous init started are still ours, and must be stopped first.
		const reloaded = globalThis as {
			closeKpiControl?: CloseControlServer;
			kpiNightly?: NightlyBackups;
		};
		const previous = reloaded.closeKpiControl;
		if (previous) await previous();
		await reloaded.kpiNightly?.stop();
		reloaded.closeKpiControl = await startControlServer(socketPath);
		reloaded.kpiNightly = nightly ? startNightly(store, nightly) : undefined;
		if (!previous) {
			closeOnShutdown(store, socketPath, async () => {
				await reloaded.closeKpiControl!();
				await reloaded.kpiNightly?.stop();
			});
			await resumeQueuedJobs(store);
		}
	} catch (error) {
		if (dev) throw error;
		// A server that cannot open its database cannot serve: say why in one line and stop.
		console.error(error instanceof DatabaseLockedError ? error.message : errorLine(error));
		process.exit(1);
	}
};

function startNightly(store: Store, settings: BackupSettings): NightlyBackups {
	console.log(nightlySummary(settings));
	return startNightlyBackups({
		settings,
		takeBackup: (file) => writeBackup(store.db, store.path, file)
	});
}

/** `closeWork` stops the control socket and the nightly backups, waiting for what they run. */
function closeOnShutdown(store: Store, socketPath: string, closeWork: () => Promise<void>): void {
	let controlClosed = false;
	const stopCommands = () => {
		controlClosed = true;
		return closeWork();
	};
	const onSignal = (signal: NodeJS.Signals) => {
		void stopCommands();
		// adapter-node drains HTTP on these signals; where nobody else listens (vite dev), keep the
		// signal's default meaning and terminate.
		if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
	};
	process.once('SIGINT', onSignal);
	process.once('SIGTERM', onSignal);
	// adapter-node emits this once HTTP has drained: let running commands and a nightly backup
	// finish, stop the import queue (a running import is interrupted and fails; waiting uploads run
	// at the next start), then checkpoint.
	process.once('sveltekit:shutdown', async () => {
		await Promise.all([stopCommands(), stopImports(store.db)]);
		await store.close();
	});
	process.once('exit', () => {
		// Closing the listener removed the file; otherwise it would be left stale. Once the database
		// is released another server may own the path, so only an unclosed socket is ours to remove.
		if (!controlClosed) rmSync(socketPath, { force: true });
	});
}

/**
 * Who is asking, resolved once per request (not in a layout load, which does not re-run on client
 * navigation): on `/api/…` an API token in `Authorization: Bearer`, else the session cookie; on
 * pages and form actions the session cookie only (CONTRACT: a token is for programs reading the
 * API, and must not create accounts or mint tokens through the admin forms). Then the route
 * tree's one access rule (auth/access.ts), decided on the path as SvelteKit routes it: sign in,
 * 404 for an area of other roles, or go on.
 */
const authenticate: Handle = async ({ event, resolve }) => {
	event.locals.user = null;
	event.locals.sessionId = null;
	withSafeClientAddress(event);
	const path = routedPath(event.url.pathname);
	// A path that does not decode matches no route: SvelteKit answers it 400.
	if (path === null) return resolve(event);
	const { db } = await getStore();
	const authorization = isApi(path) ? event.request.headers.get('authorization') : null;
	if (authorization !== null) {
		const token = /^Bearer\s+(\S+)$/i.exec(authorization)?.[1];
		const valid = token ? await validateApiToken(db, token) : null;
		if (valid) event.locals.user = await sessionUser(db, valid.userId);
	} else {
		const token = event.cookies.get(SESSION_COOKIE);
		const session = token ? await validateSessionToken(db, token) : null;
		if (session) {
			event.locals.user = await sessionUser(db, session.userId);
			event.locals.sessionId = session.sessionId;
		} else if (token) {
			clearSessionCookie(event);
		}
	}
	const access = routeAccess(path, event.locals.user?.role ?? null);
	if (access === 'sign-in') return signIn(event, path);
	if (access === 'not-found') return notFound(event, path);
	return resolve(event);
};

/**
 * Behind a proxy (`ADDRESS_HEADER`), a request without that header did not come through it, and
 * adapter-node's getClientAddress throws (a 500 on every sign-in). Such requests share one
 * address for throttling and the audit log instead.
 */
function withSafeClientAddress(event: RequestEvent): void {
	const clientAddress = event.getClientAddress.bind(event);
	event.getClientAddress = () => {
		try {
			return clientAddress();
		} catch {
			return 'unknown';
		}
	};
}

function signIn(event: RequestEvent, path: string): Response {
	if (isApi(path)) {
		return json(
			{ error: 'unauthorized' },
			{ status: 401, headers: { 'www-authenticate': 'Bearer' } }
		);
	}
	const asked = event.url.pathname + event.url.search;
	const location = asked === '/' ? '/login' : `/login?redirectTo=${encodeURIComponent(asked)}`;
	return new Response(null, { status: 303, headers: { location } });
}

/**
 * A path that no route matches and no role area holds, at the depth of `path`: SvelteKit renders
 * its 404 for it, and writes its asset paths relative to that depth (`./_app`, `../_app`).
 */
const noSuchPage = (path: string) => path.replace(/^\/[^/]*/, '/__khong-tim-thay');

/**
 * A page of another role is answered as one that does not exist (CONTRACT: 404, no data of it),
 * and looks like one: the app's own error page in the user's language, rendered for a path that
 * matches no route, so that none of the hidden page's loads or actions run. Form posts and the
 * JSON of client-side navigation (which the client shows as its error page) stay short.
 */
async function notFound(event: RequestEvent, path: string): Promise<Response> {
	if (isApi(path)) return json({ error: 'not found' }, { status: 404 });
	if (event.request.method === 'GET' && !event.isDataRequest) {
		const page = await event.fetch(noSuchPage(event.url.pathname), {
			headers: { accept: 'text/html', 'accept-encoding': 'identity' }
		});
		if (page.status === 404) {
			// The body is read as text; the production server encodes the answer itself.
			const headers = new Headers(page.headers);
			headers.delete('content-encoding');
			headers.delete('content-length');
			return new Response(await page.text(), { status: 404, headers });
		}
	}
	return new Response('Không tìm thấy trang / Not found', {
		status: 404,
		headers: { 'content-type': 'text/plain; charset=utf-8' }
	});
}

/**
 * Messages in the request's language (a cookie; Vietnamese when none), and `<html lang>`.
 *
 * Paraglide's middleware hands on a clone of the request it is given, and `Request.clone()` tees
 * the body: while the route read the clone's branch, the original's branch, which nothing reads,
 * queued every chunk of it, so an upload was held whole in memory (82 MB for an 85 MB file,
 * issue 14). Its strategy (cookie, then Vietnamese) needs only the headers: it is given a copy
 * without the body, and the route reads the request as it came.
 */
const localize: Handle = ({ event, resolve }) =>
	paraglideMiddleware(
		new Request(event.request.url, { headers: event.request.headers }),
		({ locale }) =>
			resolve(event, { transformPageChunk: ({ html }) => html.replace('%lang%', locale) })
	);

const CSP = contentSecurityPolicy(CSP_DIRECTIVES);

/**
 * Rendered pages already carry SvelteKit's policy (svelte.config.js `kit.csp`, with the nonce of its
 * hydration script); everything else (endpoints, redirects) gets the same policy here.
 */
const secure: Handle = async ({ event, resolve }) => {
	let response: Response;
	try {
		response = await resolve(event);
	} catch (error) {
		// Thrown before any page or endpoint ran (signing in reads the database too).
		if (isOutOfMemory(error)) return busyResponse(isApi(event.url.pathname));
		throw error;
	}
	if (wasBusy(event.locals, response)) {
		response = busyResponse(isApi(event.url.pathname), response);
	}
	try {
		return withSecurityHeaders(response);
	} catch {
		// Headers of a response passed through from fetch() are immutable: copy it.
		return withSecurityHeaders(new Response(response.body, response));
	}
};

function withSecurityHeaders(response: Response): Response {
	if (!response.headers.has('content-security-policy')) {
		response.headers.set('content-security-policy', CSP);
	}
	// Every page and answer holds figures or accounts of the signed-in user: never kept by a shared
	// proxy or left in the browser's cache for the next person at a shared desk. (Static assets
	// are served before the hooks and stay cacheable.)
	if (!response.headers.has('cache-control')) {
		response.headers.set('cache-control', 'private, no-store');
	}
	for (const [name, value] of Object.entries(SECURITY_HEADERS)) response.headers.set(name, value);
	return response;
}

/**
 * A form action's name comes from the URL (`?/create`) and SvelteKit looks it up as a property of
 * the page's actions: `?/default` throws, `?/constructor` or `?/__proto__` find what every object
 * inherits and run it (issue 10: 500s on /login before any sign-in). Only a page's own action
 * names reach SvelteKit; any other answers 404, as an unknown action does.
 */
const formActionNames: Handle = ({ event, resolve }) => {
	if (event.request.method !== 'POST') return resolve(event);
	const asked = [...event.url.searchParams.keys()].find((key) => key.startsWith('/'));
	const name = asked?.slice(1);
	if (name !== undefined && (name === 'default' || name in Object.prototype)) {
		return new Response('Không tìm thấy thao tác / No such action', {
			status: 404,
			headers: { 'content-type': 'text/plain; charset=utf-8' }
		});
	}
	return resolve(event);
};

/**
 * A form posted from another site is refused before anything reads it (CSRF), as SvelteKit's own
 * check did (kit.csrf, turned off in svelte.config.js because it answers in English): 403, in
 * Vietnamese first on pages, `{ error }` on the API as its other refusals. Like SvelteKit's, not
 * in `vite dev`, whose pages may be opened through another host name.
 */
const sameOriginForms: Handle = ({ event, resolve }) => {
	if (dev || !isCrossSiteForm(event.request, event.url)) return resolve(event);
	const path = routedPath(event.url.pathname) ?? event.url.pathname;
	if (isApi(path) || event.request.headers.get('accept') === 'application/json') {
		return json({ error: 'cross-site form submission refused' }, { status: 403 });
	}
	return new Response(
		'Không nhận biểu mẫu gửi từ trang khác / Form posted from another site refused',
		{
			status: 403,
			headers: { 'content-type': 'text/plain; charset=utf-8' }
		}
	);
};

export const handle = sequence(secure, sameOriginForms, formActionNames, localize, authenticate);
