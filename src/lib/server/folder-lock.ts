/**
 * A lock between processes (the test files, which Vitest runs in parallel; a server and a CLI
 * unpacking one Chromium): a folder, since mkdir either creates it or fails, at once. A lock older
 * than `staleAfterMs` was left by a killed run.
 */
import { mkdirSync, rmSync, statSync } from 'node:fs';

export async function withLock<T>(
	lock: string,
	staleAfterMs: number,
	run: () => Promise<T>
): Promise<T> {
	for (;;) {
		try {
			mkdirSync(lock);
			break;
		} catch {
			const age = Date.now() - (statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
			if (age > staleAfterMs) rmSync(lock, { recursive: true, force: true });
			await new Promise((resolve) => setTimeout(resolve, 100));
		}
	}
	try {
		return await run();
	} finally {
		rmSync(lock, { recursive: true, force: true });
	}
}
