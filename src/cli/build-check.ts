/**
 * Whether the production build (`build/`, adapter-node) is missing or older than its sources, and
 * how to rebuild it. Shared by `npm start` and the end-to-end tests, which run the built server.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { withLock } from '../lib/server/folder-lock';

export const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** What the built app is made of; a file newer than the build means the build is stale. */
const BUILD_INPUTS = [
	'src',
	'static',
	'messages',
	'project.inlang',
	'svelte.config.js',
	'vite.config.ts',
	'package.json'
];

/**
 * Paraglide's compiled messages are written from `messages/` and `project.inlang`, by the build
 * and by every Vitest run, each in its own form: read as a source, they made the build stale at
 * each test run, and a test starting its server rebuilt the app under the servers other test
 * files were running (a 500 for every page whose chunk was gone). Their sources stand for them.
 */
const GENERATED = [path.join('src', 'lib', 'paraglide')];

/** Unit tests sit beside their modules but never reach the build; editing one needs no rebuild. */
const NOT_BUILT = /\.(test|spec)\.[cm]?[jt]s$/;

/** Why the build must be (re)made, or null when it is up to date. */
export function buildStaleness(root = PROJECT_ROOT): string | null {
	const handler = path.join(root, 'build', 'handler.js');
	if (!existsSync(handler)) return 'there is no build yet';
	const builtAt = statSync(handler).mtimeMs;
	const generated = new Set(GENERATED.map((entry) => path.join(root, entry)));
	for (const input of BUILD_INPUTS) {
		const newer = firstNewerFile(path.join(root, input), builtAt, generated);
		if (newer) return `${path.relative(root, newer)} changed since the last build`;
	}
	return null;
}

function firstNewerFile(entry: string, than: number, skipped: Set<string>): string | null {
	if (!existsSync(entry) || skipped.has(entry)) return null;
	const info = statSync(entry);
	if (!info.isDirectory()) return info.mtimeMs > than && !NOT_BUILT.test(entry) ? entry : null;
	for (const child of readdirSync(entry)) {
		const newer = firstNewerFile(path.join(entry, child), than, skipped);
		if (newer) return newer;
	}
	return null;
}

export interface BuildOutcome {
	status: number;
	/** What vite printed, when it was captured rather than shown. */
	output: string;
}

/** Runs `vite build` in the project, showing its output or, with `capture`, keeping it. */
export function buildApp(root = PROJECT_ROOT, { capture = false } = {}): Promise<BuildOutcome> {
	return new Promise((resolve, reject) => {
		const vite = spawn(path.join(root, 'node_modules', '.bin', 'vite'), ['build'], {
			cwd: root,
			// A production build whoever asks for it: under Vitest (NODE_ENV=test) Vite would resolve
			// the `development` conditions, and SvelteKit's `dev` would be true in the built server.
			env: { ...process.env, NODE_ENV: 'production' },
			stdio: capture ? ['ignore', 'pipe', 'pipe'] : 'inherit'
		});
		let output = '';
		vite.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
		vite.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
		vite.once('error', reject);
		vite.once('close', (code) => resolve({ status: code ?? 1, output }));
	});
}

/** What `buildIfStale` did: nothing (null), or the build it ran and why. */
export interface Rebuild extends BuildOutcome {
	reason: string;
}

/**
 * Builds the app when it is stale, one build at a time across processes (`npm start` and the
 * test files, which Vitest runs two at once): two `vite build`s writing one `build/` at once left
 * a server serving half of each. Whoever waited for the lock looks at the build again first.
 * `announce` hears the reason before the build starts.
 */
export function buildIfStale(
	root = PROJECT_ROOT,
	options: { capture?: boolean; announce?: (reason: string) => void } = {}
): Promise<Rebuild | null> {
	if (!buildStaleness(root)) return Promise.resolve(null);
	return withLock(path.join(root, '.build-lock'), 10 * 60_000, async () => {
		const reason = buildStaleness(root);
		if (!reason) return null;
		options.announce?.(reason);
		return { reason, ...(await buildApp(root, { capture: options.capture })) };
	});
}
