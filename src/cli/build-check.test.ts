import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildStaleness } from './build-check';

let root: string;

/** Writes `file` under the root, dated `secondsAgo` before now. */
function write(file: string, secondsAgo: number): void {
	const full = path.join(root, file);
	mkdirSync(path.dirname(full), { recursive: true });
	writeFileSync(full, '');
	const at = Date.now() / 1000 - secondsAgo;
	utimesSync(full, at, at);
}

beforeEach(() => {
	root = mkdtempSync(path.join(os.tmpdir(), 'kpi-build-check-'));
	write('src/routes/+page.svelte', 300);
	write('messages/vi.json', 300);
	write('build/handler.js', 200);
});

afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('whether the build is stale', () => {
	it('is up to date when nothing changed after the build', () => {
		expect(buildStaleness(root)).toBeNull();
	});

	it('is stale without a build', () => {
		rmSync(path.join(root, 'build'), { recursive: true });
		expect(buildStaleness(root)).toBe('there is no build yet');
	});

	it('is stale when a source or a message changed after the build', () => {
		write('messages/vi.json', 10);
		expect(buildStaleness(root)).toBe(
			`${path.join('messages', 'vi.json')} changed since the last build`
		);
	});

	it('stays up to date when a test run rewrites the compiled messages or a unit test changes', () => {
		write('src/lib/paraglide/messages/_index.js', 10);
		write('src/lib/server/kpi/engine.test.ts', 10);
		expect(buildStaleness(root)).toBeNull();
	});
});
