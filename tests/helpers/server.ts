/** The built production server as tests run it: a real process on a free port and a database file. */
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { buildApp, buildStaleness, PROJECT_ROOT } from '../../src/cli/build-check';
import { withLock } from '../../src/lib/server/folder-lock';

export interface RunningServer {
	origin: string;
	child: ChildProcess;
	/** What the server printed so far, for failure messages. */
	output(): string;
	/** Stops it with `signal` and waits for it to exit; its exit code. */
	stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * Builds the app when the build is missing or older than the sources. Test files run two at a
 * time, in separate processes, and each asks: without the lock, two `vite build`s wrote one
 * `build/` folder at once, and a server started between them served half of one (a 500 on a page
 * whose chunk was being rewritten). The lock is a folder (mkdir is atomic); whoever waited for it
 * looks at the build again before building.
 */
export async function ensureBuilt(): Promise<void> {
	if (!buildStaleness()) return;
	await withLock(path.join(PROJECT_ROOT, '.build-lock'), 10 * 60_000, async () => {
		const staleness = buildStaleness();
		if (!staleness) return;
		const { status, output } = await buildApp(PROJECT_ROOT, { capture: true });
		if (status !== 0) throw new Error(`vite build failed (${staleness}):\n${output}`);
	});
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

/** Starts `node src/production-server.js` on `dbPath` and waits until it answers. */
export async function startServer(
	dbPath: string,
	env: Record<string, string> = {}
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
	for (let waited = 0; ; waited += 100) {
		if (child.exitCode !== null) throw new Error(`the server stopped:\n${output}`);
		if (waited > 30_000) throw new Error(`the server did not answer:\n${output}`);
		try {
			await fetch(origin, { redirect: 'manual' });
			return server;
		} catch {
			await new Promise((resolve) => setTimeout(resolve, 100));
		}
	}
}
