/**
 * The one way this project starts Chromium, for the server's PDF printing and the browser tests
 * alike, driven by playwright-core (Playwright cannot download its own browser here). The browser
 * comes from npm, `@sparticuz/chromium` (a headless Chromium shipped inside the package), so a
 * machine with only Node prints and runs the tests; Debian's `/usr/bin/chromium` is the fallback
 * where the npm build cannot run (another CPU, another C library).
 */
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sparticuz from '@sparticuz/chromium';
import { chromium, type Browser, type LaunchOptions } from 'playwright-core';
import { withLock } from '../folder-lock';

const DEBIAN_CHROMIUM = '/usr/bin/chromium';

/** Flags for a headless Chromium in a container: no sandbox, no GPU, no calls home. */
const CHROMIUM_ARGS = [
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync'
];

/**
 * The npm build, unpacked into the temp folder on first use. The package unpacks without a lock,
 * and a second process (parallel test files, a server and a CLI) would launch a half-written
 * binary: the first takes a lock folder, the others wait for it.
 */
async function unpackedChromium(): Promise<string> {
	const lock = path.join(os.tmpdir(), 'kpi-chromium-unpack.lock');
	return withLock(lock, 120_000, () => sparticuz.executablePath());
}

/**
 * `options` are playwright's (e.g. the server keeps the browser through SIGTERM, so that prints
 * under way finish while HTTP drains, and closes it itself).
 */
export async function launchChromium(options: LaunchOptions = {}): Promise<Browser> {
	let npmError: unknown;
	try {
		const executablePath = await unpackedChromium();
		return await chromium.launch({ ...options, executablePath, args: CHROMIUM_ARGS });
	} catch (error) {
		npmError = error;
	}
	if (!existsSync(DEBIAN_CHROMIUM)) {
		throw new Error(`@sparticuz/chromium did not start, and ${DEBIAN_CHROMIUM} is not installed`, {
			cause: npmError
		});
	}
	return chromium.launch({ ...options, executablePath: DEBIAN_CHROMIUM, args: CHROMIUM_ARGS });
}
