import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { backupSettings, type BackupSettings } from '../config';
import { importFile } from '../import/run';
import { tempStore, UNITS_CSV, type TempStore } from '../testing/fixtures';
import { nextNightlySlot, startNightlyBackups } from './nightly';
import { writeBackup, type BackupWritten } from './snapshot';

const TWO_AM = { hour: 2, minute: 0 };
const HOUR = 3_600_000;

/** A clock the test moves, and a timer that fires only when the test says so. */
function fakeTime(start: string) {
	let now = Date.parse(start);
	const timers: { run: () => void; at: number; cancelled: boolean }[] = [];
	return {
		now: () => now,
		schedule: (run: () => void, ms: number) => {
			const timer = { run, at: now + ms, cancelled: false };
			timers.push(timer);
			return () => (timer.cancelled = true);
		},
		/** The pending timer, if there is one. */
		pending: () => timers.filter((t) => !t.cancelled).at(-1),
		/** Moves the clock to the pending timer and fires it. */
		fire() {
			const timer = timers.pop()!;
			now = timer.at;
			timer.run();
		},
		timers
	};
}

function recordingLog() {
	const lines: { info: string[]; error: string[] } = { info: [], error: [] };
	return {
		lines,
		log: { info: (l: string) => lines.info.push(l), error: (l: string) => lines.error.push(l) }
	};
}

let store: TempStore;

beforeAll(async () => {
	store = await tempStore('kpi-nightly-');
	await importFile(store.db, 'units', store.file('units.csv', UNITS_CSV));
});
afterAll(() => store?.dispose());

describe('the nightly backup slot', () => {
	it('is the next 02:00 in Vietnam, whatever the zone of the machine', () => {
		const zone = process.env.TZ;
		try {
			for (const tz of ['UTC', 'America/New_York', 'Asia/Ho_Chi_Minh']) {
				process.env.TZ = tz;
				// 01:59:59 on 1 December in Vietnam is 18:59:59 UTC the day before.
				expect(nextNightlySlot(Date.parse('2026-11-30T18:59:59Z'), TWO_AM)).toEqual({
					day: '2026-12-01',
					at: Date.parse('2026-11-30T19:00:00Z')
				});
				// At 02:00 exactly, that night's backup is being taken: the next is tomorrow's.
				expect(nextNightlySlot(Date.parse('2026-11-30T19:00:00Z'), TWO_AM)).toEqual({
					day: '2026-12-02',
					at: Date.parse('2026-12-01T19:00:00Z')
				});
			}
		} finally {
			process.env.TZ = zone;
		}
	});

	it('crosses the end of a month and of a year', () => {
		expect(nextNightlySlot(Date.parse('2026-12-31T20:00:00Z'), { hour: 23, minute: 30 })).toEqual({
			day: '2027-01-01',
			at: Date.parse('2027-01-01T16:30:00Z')
		});
	});
});

describe('the nightly backups of a running server', () => {
	it('takes a real backup at the set time, named by the Vietnam date, then waits for the next night', async () => {
		const dir = path.join(store.dir, 'nightly');
		const time = fakeTime('2026-11-30T16:30:00Z'); // 23:30 on 30 November in Vietnam
		const { lines, log } = recordingLog();
		const nightly = startNightlyBackups({
			settings: { dir, keep: 14, at: TWO_AM },
			takeBackup: (file) => writeBackup(store.db, store.path, file),
			now: time.now,
			schedule: time.schedule,
			log
		});
		expect(time.pending()!.at - time.now()).toBe(2.5 * HOUR);
		time.fire();
		await vi.waitFor(() => expect(time.pending()).toBeDefined());
		expect(readdirSync(dir)).toEqual(['kpi-2026-12-01.duckdb']);
		expect(lines.error).toEqual([]);
		expect(lines.info).toEqual([
			expect.stringMatching(
				new RegExp(
					`^nightly backup: wrote ${dir}/kpi-2026-12-01\\.duckdb \\([\\d.]+ MB, [\\d.]+ s\\)$`
				)
			)
		]);
		expect(nightly.next()).toBe(Date.parse('2026-12-01T19:00:00Z'));
		await nightly.stop();
		expect(time.pending()).toBeUndefined();
	});

	it('keeps only the newest BACKUP_KEEP nightly files, and leaves every other file alone', async () => {
		const dir = path.join(store.dir, 'retention');
		mkdirSync(dir);
		const others = ['notes.txt', 'kpi-manual.duckdb', 'kpi-2026-11-01.duckdb.bak', 'kpi.duckdb'];
		for (const name of others) writeFileSync(path.join(dir, name), 'not a nightly backup');
		for (let day = 1; day <= 20; day++) {
			writeFileSync(path.join(dir, `kpi-2026-11-${String(day).padStart(2, '0')}.duckdb`), 'old');
		}
		const time = fakeTime('2026-11-30T18:00:00Z');
		const { lines, log } = recordingLog();
		const nightly = startNightlyBackups({
			settings: { dir, keep: 3, at: TWO_AM },
			takeBackup: (file) => writeBackup(store.db, store.path, file),
			now: time.now,
			schedule: time.schedule,
			log
		});
		time.fire();
		await vi.waitFor(() => expect(time.pending()).toBeDefined());
		await nightly.stop();
		expect(readdirSync(dir).sort()).toEqual(
			[...others, 'kpi-2026-11-19.duckdb', 'kpi-2026-11-20.duckdb', 'kpi-2026-12-01.duckdb'].sort()
		);
		expect(lines.info[0]).toMatch(
			/; deleted the oldest: kpi-2026-11-01\.duckdb, kpi-2026-11-02\.duckdb, .*, kpi-2026-11-18\.duckdb$/
		);
	});

	it('logs a failed night, deletes nothing, and tries again the next night', async () => {
		const dir = path.join(store.dir, 'failing');
		mkdirSync(dir);
		for (const day of ['01', '02', '03'])
			writeFileSync(path.join(dir, `kpi-2026-11-${day}.duckdb`), '');
		const time = fakeTime('2026-11-30T18:00:00Z');
		const { lines, log } = recordingLog();
		const attempts: string[] = [];
		const nightly = startNightlyBackups({
			settings: { dir, keep: 1, at: TWO_AM },
			takeBackup: async (file): Promise<BackupWritten> => {
				attempts.push(path.basename(file));
				throw new Error('No space left on device\n(the rest of a long message)');
			},
			now: time.now,
			schedule: time.schedule,
			log
		});
		time.fire();
		await vi.waitFor(() => expect(time.timers).toHaveLength(1));
		time.fire();
		await vi.waitFor(() => expect(time.timers).toHaveLength(1));
		await nightly.stop();
		expect(attempts).toEqual(['kpi-2026-12-01.duckdb', 'kpi-2026-12-02.duckdb']);
		expect(lines.error).toEqual([
			`nightly backup to ${dir}/kpi-2026-12-01.duckdb failed: No space left on device`,
			`nightly backup to ${dir}/kpi-2026-12-02.duckdb failed: No space left on device`
		]);
		expect(readdirSync(dir).sort()).toEqual([
			'kpi-2026-11-01.duckdb',
			'kpi-2026-11-02.duckdb',
			'kpi-2026-11-03.duckdb'
		]);
	});

	it('waits, when stopped, for the backup it is writing', async () => {
		const time = fakeTime('2026-11-30T18:00:00Z');
		let finish = () => {};
		let started = false;
		let finished = false;
		const nightly = startNightlyBackups({
			settings: { dir: path.join(store.dir, 'stopping'), keep: 1, at: TWO_AM },
			takeBackup: () =>
				new Promise<BackupWritten>((resolve) => {
					started = true;
					finish = () => {
						finished = true;
						resolve({ file: '', bytes: 0, schemaVersion: 7, milliseconds: 0 });
					};
				}),
			now: time.now,
			schedule: time.schedule,
			log: recordingLog().log
		});
		time.fire();
		await vi.waitFor(() => expect(started).toBe(true));
		const stopped = nightly.stop().then(() => finished);
		setTimeout(() => finish(), 50);
		expect(await stopped).toBe(true);
		expect(time.pending()).toBeUndefined();
	});
});

describe('the backup settings', () => {
	const settings = (env: Record<string, string>) => backupSettings(env);

	it('are off without BACKUP_DIR, and keep 14 at 02:00 by default', () => {
		expect(settings({})).toBeNull();
		expect(settings({ BACKUP_DIR: ' ' })).toBeNull();
		expect(settings({ BACKUP_DIR: '/srv/kpi-backups' })).toEqual<BackupSettings>({
			dir: '/srv/kpi-backups',
			keep: 14,
			at: { hour: 2, minute: 0 }
		});
		expect(
			settings({ BACKUP_DIR: 'backups', BACKUP_KEEP: '30', BACKUP_AT: '23:45' })
		).toEqual<BackupSettings>({
			dir: path.resolve('backups'),
			keep: 30,
			at: { hour: 23, minute: 45 }
		});
	});

	it.each(['0', '-1', 'abc', '1e3', '7.5', '3661', '99999999'])(
		'refuse BACKUP_KEEP=%s, saying what it takes',
		(keep) => {
			expect(() => settings({ BACKUP_DIR: '/b', BACKUP_KEEP: keep })).toThrow(
				`BACKUP_KEEP=${keep}: expected how many nightly backups to keep, a whole number from 1 to 3660 (default 14)`
			);
		}
	);

	it.each(['2:00', '24:00', '02:60', '2am', '02:00:00'])(
		'refuse BACKUP_AT=%s, saying what it takes',
		(at) => {
			expect(() => settings({ BACKUP_DIR: '/b', BACKUP_AT: at })).toThrow(
				`BACKUP_AT=${at}: expected the time of the nightly backup as HH:MM, Vietnam time, from 00:00 to 23:59 (default 02:00)`
			);
		}
	);
});
