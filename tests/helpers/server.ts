/** The built production server as tests run it: a real process on a free port and a database file. */
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { buildIfStale, PROJECT_ROOT } from '../../src/cli/build-check';

export interface RunningServer {
	origin: string;
	child: ChildProcess;
	/** What the server printed so far, for failure messages. */
	output(): string;
	/** Stops it with `signal` and waits for it to exit; its exit code. */
	stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Builds the app when the build is missing or older than its sources (one build at a time). */
export async function ensureBuilt(): Promise<void> {
	const build = await buildIfStale(PROJECT_ROOT, { capture: true });
	if (build && build.status !== 0) {
		throw new Error(`vite build failed (${build.reason}):\n${build.output}`);
	}
}

export function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const probe = net.createServer();
		probe.once('error', reject);
		probe.listen(0, '127.0.0.1', () => {
			const { port } = probe.address() as net.AddressInfo;
			probe.close(() => resolve(port));
		});
	});
}

export function exited(child: ChildProcess): Promise<number | null> {
	if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
	return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

/**
 * Starts `node src/production-server.js` on `dbPath` and waits until it says it listens. A free
 * port may be taken between asking and listening (another test file starts its own server at the
 * same time): answered by another server, a test would have gone on against that one's database.
 * The child's own "Listening on" line is waited for, and a port found taken is tried again.
 */
export async function startServer(
	dbPath: string,
	env: Record<string, string> = {}
): Promise<RunningServer> {
	for (let attempt = 1; ; attempt++) {
		try {
			return await startServerOnce(dbPath, env);
		} catch (error) {
			if (!(error instanceof PortTaken) || attempt === 3) throw error;
		}
	}
}

class PortTaken extends Error {}

async function startServerOnce(
	dbPath: string,
	env: Record<string, string>
): Promise<RunningServer> {
	const port = await freePort();
	const origin = `http://127.0.0.1:${port}`;
	let output = '';
	const child = spawn(process.execPath, [path.join(PROJECT_ROOT, 'src', 'production-server.js')], {
		cwd: PROJECT_ROOT,
		env: {
			...process.env,
			PORT: String(port),
			HOST: '127.0.0.1',
			ORIGIN: origin,
			DATABASE_PATH: dbPath,
			...env
		},
		stdio: ['ignore', 'pipe', 'pipe']
	});
	child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
	child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
	const server: RunningServer = {
		origin,
		child,
		output: () => output,
		async stop(signal = 'SIGTERM') {
			if (child.exitCode === null && child.signalCode === null) child.kill(signal);
			return exited(child);
		}
	};
	const listening = `Listening on ${origin}`;
	for (let waited = 0; ; waited += 100) {
		if (child.exitCode !== null) {
			if (output.includes('EADDRINUSE')) throw new PortTaken(output);
			throw new Error(`the server stopped:\n${output}`);
		}
		if (waited > 30_000) {
			await server.stop('SIGKILL');
			throw new Error(`the server did not answer:\n${output}`);
		}
		if (output.includes(listening)) {
			try {
				await fetch(origin, { redirect: 'manual' });
				return server;
			} catch {
				/* listening, not answering yet */
			}
		}
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
}
