import { rmSync } from 'node:fs';
import type { Handle, ServerInit } from '@sveltejs/kit';
import { building, dev } from '$app/environment';
import { controlSocketPath } from '$lib/server/config';
import { errorLine } from '$lib/server/control/protocol';
import { startControlServer, type CloseControlServer } from '$lib/server/control/server';
import { DatabaseLockedError, getStore, type Store } from '$lib/server/db';
import {
	contentSecurityPolicy,
	CSP_DIRECTIVES,
	SECURITY_HEADERS
} from '$lib/server/security-headers.js';

/**
 * Opens the database (applying migrations) before the first request, and opens the control socket
 * through which CLI commands reach this process while it holds the database file.
 */
export const init: ServerInit = async () => {
	// `vite build` runs this hook while prerendering: the build must not take the database.
	if (building) return;
	try {
		const store = await getStore();
		const socketPath = controlSocketPath(store.path);
		const closeControl = await startControlServer(socketPath);
		closeOnShutdown(store, socketPath, closeControl);
	} catch (error) {
		if (dev) throw error;
		// A server that cannot open its database cannot serve: say why in one line and stop.
		console.error(error instanceof DatabaseLockedError ? error.message : errorLine(error));
		process.exit(1);
	}
};

function closeOnShutdown(store: Store, socketPath: string, closeControl: CloseControlServer): void {
	let controlClosed = false;
	const stopCommands = () => {
		controlClosed = true;
		return closeControl();
	};
	const onSignal = (signal: NodeJS.Signals) => {
		void stopCommands();
		// adapter-node drains HTTP on these signals; where nobody else listens (vite dev), keep the
		// signal's default meaning and terminate.
		if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
	};
	process.once('SIGINT', onSignal);
	process.once('SIGTERM', onSignal);
	// adapter-node emits this once HTTP has drained: let running commands finish, then checkpoint.
	process.once('sveltekit:shutdown', async () => {
		await stopCommands();
		await store.close();
	});
	process.once('exit', () => {
		// Closing the listener removed the file; otherwise it would be left stale. Once the database
		// is released another server may own the path, so only an unclosed socket is ours to remove.
		if (!controlClosed) rmSync(socketPath, { force: true });
	});
}

const CSP = contentSecurityPolicy(CSP_DIRECTIVES);

/**
 * Rendered pages already carry SvelteKit's policy (svelte.config.js `kit.csp`, with the nonce of its
 * hydration script); everything else (endpoints, redirects) gets the same policy here.
 */
export const handle: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
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
	for (const [name, value] of Object.entries(SECURITY_HEADERS)) response.headers.set(name, value);
	return response;
}
