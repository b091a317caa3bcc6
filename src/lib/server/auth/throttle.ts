/**
 * Login throttling (issue 5): per account and per IP address, the first 5 failures are free;
 * after that the next attempt must wait 1 s, then 2 s, 4 s… up to 15 minutes. An attempt made
 * before its wait is over is refused without looking at the password. Counters live in the
 * database so a restart does not reset them, and are forgotten an hour after the last failure.
 *
 * An attempt is counted before its password is checked (issue 10): twenty guesses sent at once
 * would otherwise all pass the check of a counter still at zero. So `chargeAttempt` decides and
 * counts in one queued transaction, the password is verified after, a right password gives its
 * charge back (`settleSuccess`), and the attempt is released (`releaseAttempt`).
 */
import { sql, type Kysely } from 'kysely';
import { vietnamTimestamp } from '../../domain/dates';
import type { Database } from '../db/schema';
import { serialWrite } from '../db/writes';

export const FREE_FAILURES = 5;
const BASE_DELAY_MS = 1000;
const MAX_DELAY_MS = 15 * 60 * 1000;
const FORGET_AFTER_MS = 60 * 60 * 1000;

/**
 * Failure times are kept to the millisecond (a timestamp read back as text has whole seconds,
 * which would shorten a 1-second wait to nothing): written as local time with milliseconds,
 * read back as epoch milliseconds.
 */
const VIETNAM_OFFSET_MS = 7 * 60 * 60 * 1000;
const localMillis = (time: number) => vietnamTimestamp(time, { milliseconds: true });

async function counters(db: Kysely<Database>, keys: string[]) {
	return db
		.selectFrom('login_throttle')
		.select([
			'key',
			'failures',
			sql<number>`epoch_ms(last_failure_at) - ${VIETNAM_OFFSET_MS}`.as('last')
		])
		.where('key', 'in', keys)
		.execute();
}

/** The counters an attempt is charged to: the account named (known or not) and the address. */
export function throttleKeys(username: string, ip: string | null): string[] {
	const keys = [`user:${username.trim().toLowerCase()}`];
	if (ip) keys.push(`ip:${ip}`);
	return keys;
}

/** The wait after `failures` failures: none for the first five, then doubling. */
export function delayAfter(failures: number): number {
	if (failures < FREE_FAILURES) return 0;
	return Math.min(BASE_DELAY_MS * 2 ** (failures - FREE_FAILURES), MAX_DELAY_MS);
}

type Counter = Awaited<ReturnType<typeof counters>>[number];

function waitOf(rows: Counter[], now: number): number {
	let wait = 0;
	for (const row of rows) {
		if (now - row.last >= FORGET_AFTER_MS) continue;
		wait = Math.max(wait, row.last + delayAfter(row.failures) - now);
	}
	return wait;
}

/**
 * Attempts counted and not yet settled, per key. This process is the database's only writer, so
 * what is in flight is known here: a charge still in flight may be a right password, which will
 * give it back, so an attempt that finds the limit reached while others are in flight waits for
 * them rather than being refused on their account (twenty colleagues signing in at once behind
 * one address all get in; twenty wrong guesses still get five checks).
 */
const inFlight = new Map<string, number>();
let onSettle: (() => void)[] = [];
/** Longer than any password check; an attempt waits no longer for others to settle. */
const MAX_WAIT_FOR_OTHERS_MS = 10_000;

const pending = (keys: string[]) => keys.some((key) => (inFlight.get(key) ?? 0) > 0);

function settled(timeoutMs: number): Promise<void> {
	return new Promise((resolve) => {
		const timer = setTimeout(resolve, timeoutMs);
		onSettle.push(() => {
			clearTimeout(timer);
			resolve();
		});
	});
}

/**
 * Before a password is checked: the wait still to run on these keys (the attempt is refused and
 * not counted), or 0 once the attempt has been counted as a failure on every key. Every attempt
 * counted must be released (`releaseAttempt`) once its check is over, whatever the outcome.
 */
export async function chargeAttempt(
	db: Kysely<Database>,
	keys: string[],
	now = Date.now()
): Promise<number> {
	const deadline = Date.now() + MAX_WAIT_FOR_OTHERS_MS;
	for (;;) {
		const outcome = await serialWrite(db, () =>
			db.transaction().execute(async (trx) => {
				const rows = await counters(trx, keys);
				const wait = waitOf(rows, now);
				if (wait > 0) return pending(keys) && Date.now() < deadline ? 'wait for others' : wait;
				const known = new Map(rows.map((r) => [r.key, r]));
				for (const key of keys) {
					const row = known.get(key);
					const failures = row && now - row.last < FORGET_AFTER_MS ? row.failures + 1 : 1;
					const values = { key, failures, last_failure_at: localMillis(now) };
					if (row) {
						await trx.updateTable('login_throttle').set(values).where('key', '=', key).execute();
					} else {
						await trx.insertInto('login_throttle').values(values).execute();
					}
				}
				for (const key of keys) inFlight.set(key, (inFlight.get(key) ?? 0) + 1);
				return 0;
			})
		);
		if (outcome !== 'wait for others') return outcome;
		await settled(Math.max(0, deadline - Date.now()));
	}
}

/** The check of a counted attempt is over (after settleSuccess when the password was right). */
export function releaseAttempt(keys: string[]): void {
	for (const key of keys) {
		const left = (inFlight.get(key) ?? 1) - 1;
		if (left > 0) inFlight.set(key, left);
		else inFlight.delete(key);
	}
	const waiting = onSettle;
	onSettle = [];
	for (const wake of waiting) wake();
}

/**
 * The password was right: the account's counter starts again, and the charge on the other keys
 * (the address) is given back, so that colleagues signing in behind one address never throttle it.
 */
export function settleSuccess(db: Kysely<Database>, keys: string[]): Promise<void> {
	const [account, ...others] = keys;
	return serialWrite(db, () =>
		db.transaction().execute(async (trx) => {
			await trx.deleteFrom('login_throttle').where('key', '=', account).execute();
			if (others.length === 0) return;
			await trx
				.updateTable('login_throttle')
				.set({ failures: sql`failures - 1` })
				.where('key', 'in', others)
				.where('failures', '>', 0)
				.execute();
		})
	);
}
