/**
 * The running server's nightly backup (settings BACKUP_DIR, BACKUP_KEEP, BACKUP_AT: config.ts):
 * once a day at a fixed Vietnam time, whatever the machine's zone, a snapshot named by that day's
 * Vietnam date (`kpi-2026-12-01.duckdb`) is written to the folder, and the oldest beyond the
 * retention count are deleted. Only files of that name pattern are ours: anything else in the
 * folder is left alone. A failure is logged and the next night tries again; it never stops the
 * server, and a failed night deletes nothing.
 *
 * The clock and the timer are passed in, so that a test can run a night without waiting for it.
 */
import { mkdir, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { addDays, vietnamInstant, vietnamToday } from '../../domain/dates';
import type { BackupSettings } from '../config';
import { firstLine } from './check';
import type { BackupWritten } from './snapshot';

const NIGHTLY_FILE = /^kpi-(\d{4}-\d{2}-\d{2})\.duckdb$/;

export const nightlyFileName = (day: string) => `kpi-${day}.duckdb`;

export interface NightlyLog {
	info(line: string): void;
	error(line: string): void;
}

export interface NightlyOptions {
	settings: BackupSettings;
	/** Writes the snapshot to `file` (snapshot.ts writeBackup on the server's store). */
	takeBackup(file: string): Promise<BackupWritten>;
	/** Milliseconds since the epoch, as Date.now(). */
	now?: () => number;
	/** Runs `run` in `ms` milliseconds; returns what cancels it. */
	schedule?: (run: () => void, ms: number) => () => void;
	log?: NightlyLog;
}

export interface NightlyBackups {
	/** The instant of the next backup (milliseconds since the epoch). */
	next(): number;
	/** No more backups; waits for one that is being written. */
	stop(): Promise<void>;
}

const timer = (run: () => void, ms: number) => {
	const handle = setTimeout(run, ms);
	// The nightly timer alone must not keep a stopping process alive.
	handle.unref();
	return () => clearTimeout(handle);
};

const consoleLog: NightlyLog = {
	info: (line) => console.log(line),
	error: (line) => console.error(line)
};

/** What the server says at start: `Nightly backups at 02:00 Vietnam time to …, keeping 14`. */
export function nightlySummary(settings: BackupSettings): string {
	return (
		`Nightly backups at ${clockTime(settings.at)} Vietnam time to ${settings.dir}, ` +
		`keeping the newest ${settings.keep}`
	);
}

const clockTime = (at: BackupSettings['at']) =>
	`${String(at.hour).padStart(2, '0')}:${String(at.minute).padStart(2, '0')}`;

/** The first instant after `now` at which Vietnam's clock shows `at`, and that day's date. */
export function nextNightlySlot(
	now: number,
	at: BackupSettings['at']
): { day: string; at: number } {
	const time = `${clockTime(at)}:00`;
	const today = vietnamToday(now);
	for (const day of [today, addDays(today, 1)]) {
		const instant = vietnamInstant(`${day} ${time}`);
		if (instant > now) return { day, at: instant };
	}
	throw new Error(`no nightly slot after ${new Date(now).toISOString()}`);
}

export function startNightlyBackups(options: NightlyOptions): NightlyBackups {
	const { settings, takeBackup, now = Date.now, schedule = timer, log = consoleLog } = options;
	let stopped = false;
	let cancel = () => {};
	let running: Promise<void> = Promise.resolve();
	let slot = nextNightlySlot(now(), settings.at);

	const arm = () => {
		// From the slot, not from the clock: a timer that fires a little early still names its night.
		slot = nextNightlySlot(Math.max(now(), slot.at), settings.at);
		cancel = schedule(fire, Math.max(0, slot.at - now()));
	};
	const fire = () => {
		if (stopped) return;
		running = runNightlyBackup(settings, slot.day, takeBackup, log).finally(() => {
			if (!stopped) arm();
		});
	};
	cancel = schedule(fire, Math.max(0, slot.at - now()));

	return {
		next: () => slot.at,
		async stop() {
			stopped = true;
			cancel();
			await running;
		}
	};
}

/** One night: the snapshot, then (only when it was written) the oldest beyond `keep` deleted. */
export async function runNightlyBackup(
	settings: BackupSettings,
	day: string,
	takeBackup: (file: string) => Promise<BackupWritten>,
	log: NightlyLog = consoleLog
): Promise<void> {
	const file = path.join(settings.dir, nightlyFileName(day));
	try {
		await mkdir(settings.dir, { recursive: true, mode: 0o700 });
		const written = await takeBackup(file);
		const deleted = await pruneNightlyBackups(settings.dir, settings.keep);
		log.info(
			`nightly backup: wrote ${file} (${(written.bytes / 1e6).toFixed(1)} MB, ` +
				`${(written.milliseconds / 1000).toFixed(1)} s)` +
				(deleted.length > 0 ? `; deleted the oldest: ${deleted.join(', ')}` : '')
		);
	} catch (error) {
		log.error(`nightly backup to ${file} failed: ${firstLine(error)}`);
	}
}

/** Deletes the nightly files beyond the newest `keep` (by the date in their names); their names. */
export async function pruneNightlyBackups(dir: string, keep: number): Promise<string[]> {
	const nightly = (await readdir(dir)).filter((name) => NIGHTLY_FILE.test(name)).sort();
	const old = nightly.slice(0, Math.max(0, nightly.length - keep));
	for (const name of old) await rm(path.join(dir, name), { force: true });
	return old;
}
