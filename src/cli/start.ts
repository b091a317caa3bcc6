/**
 * `npm start` (CONTRACT: HTTP): build the app when the build is missing or stale, create the demo
 * database when DATABASE_PATH does not exist, then run the production server in the foreground.
 */
import { spawn } from 'node:child_process';
import { existsSync, renameSync, rmSync } from 'node:fs';
import { constants } from 'node:os';
import path from 'node:path';
import { executeCommand, type CommandOutput } from '../lib/server/commands';
import { databasePath } from '../lib/server/config';
import { errorLine } from '../lib/server/control/protocol';
import { openStore } from '../lib/server/store';
import { DEMO_USERS } from '../lib/server/demo/users';
import { buildIfStale, PROJECT_ROOT } from './build-check';

const terminal: CommandOutput = {
	out: (line) => process.stdout.write(`${line}\n`),
	err: (line) => process.stderr.write(`${line}\n`)
};

async function start(): Promise<number> {
	const build = await buildIfStale(PROJECT_ROOT, {
		announce: (reason) => terminal.out(`Building the app (${reason})…`)
	});
	if (build && build.status !== 0) {
		terminal.err(`the build failed (vite build exited with ${build.status})`);
		return build.status;
	}
	const dbPath = databasePath();
	const firstStart = !existsSync(dbPath);
	if (firstStart && !(await createDemoDatabase(dbPath))) return 1;
	return runServer(dbPath, firstStart);
}

/**
 * Builds the demo beside the target and moves it into place only when complete, so an interrupted
 * or failed build never leaves a half-filled database that the next start would serve as is.
 */
async function createDemoDatabase(dbPath: string): Promise<boolean> {
	const partial = `${dbPath}.building`;
	removeDatabaseFiles(partial);
	terminal.out(`Creating the demo database at ${dbPath}…`);
	try {
		const store = await openStore(partial);
		let status: number;
		try {
			status = await executeCommand(store, { name: 'demo' }, terminal);
		} finally {
			await store.close();
		}
		if (status !== 0) throw new Error(`the demo command exited with ${status}`);
	} catch (error) {
		removeDatabaseFiles(partial);
		terminal.err(`could not create the demo database: ${errorLine(error)}`);
		terminal.err('set DATABASE_PATH to an existing database, or create it with `npm run cli`');
		return false;
	}
	renameSync(partial, dbPath);
	// Closing normally checkpoints the log into the file; move it along if one remains.
	if (existsSync(`${partial}.wal`)) renameSync(`${partial}.wal`, `${dbPath}.wal`);
	terminal.out('The demo database is ready.');
	return true;
}

function removeDatabaseFiles(file: string): void {
	rmSync(file, { force: true });
	rmSync(`${file}.wal`, { force: true });
}

function runServer(dbPath: string, demoCreated: boolean): Promise<number> {
	return new Promise((resolve, reject) => {
		// adapter-node's output reads PORT, HOST and ORIGIN itself; DATABASE_PATH is passed absolute
		// so the server opens the same file whatever its working directory.
		const server = spawn(
			process.execPath,
			[path.join(PROJECT_ROOT, 'src', 'production-server.js')],
			{
				cwd: PROJECT_ROOT,
				stdio: 'inherit',
				env: { ...process.env, DATABASE_PATH: dbPath }
			}
		);
		const forward = (signal: NodeJS.Signals) => server.kill(signal);
		process.on('SIGINT', forward);
		process.on('SIGTERM', forward);
		server.once('error', reject);
		server.once('exit', (code, signal) => {
			process.off('SIGINT', forward);
			process.off('SIGTERM', forward);
			resolve(code ?? 128 + (signal ? constants.signals[signal] : 0));
		});
		void announceWhenReady(
			() => server.exitCode === null && server.signalCode === null,
			demoCreated
		);
	});
}

/** Tells the user where to go once the server answers, rather than before it can. */
async function announceWhenReady(running: () => boolean, demoCreated: boolean): Promise<void> {
	const port = process.env.PORT || '3000';
	const host = process.env.HOST || '0.0.0.0';
	const reachable = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
	const probe = `http://${reachable.includes(':') ? `[${reachable}]` : reachable}:${port}/`;
	while (running()) {
		try {
			await fetch(probe, { redirect: 'manual' });
			terminal.out(`\nOpen ${process.env.ORIGIN || `http://localhost:${port}`} in a browser.`);
			if (demoCreated) printDemoLogins();
			return;
		} catch {
			await new Promise((resolve) => setTimeout(resolve, 250));
		}
	}
}

/** On the start that created the demo database: who can sign in to it (also in the README). */
function printDemoLogins(): void {
	const width = Math.max(...DEMO_USERS.map((u) => u.username.length));
	terminal.out('Demo accounts (username  password  role):');
	for (const user of DEMO_USERS) {
		terminal.out(`  ${user.username.padEnd(width)}  ${user.password}  ${user.who}`);
	}
}

start().then(
	(status) => {
		process.exitCode = status;
	},
	(error: unknown) => {
		terminal.err(errorLine(error));
		process.exitCode = 1;
	}
);
