/**
 * Login throttling (issue 5): per account and per IP address, the first 5 failures are free;
 * after that the next attempt must wait 1 s, then 2 s, 4 s… up to 15 minutes. An attempt made
 * before its wait is over is refused without looking at the password. Counters live in the
 * database so a restart does not reset them, and are forgotten an hour after the last failure.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema';

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
const localMillis = (time: number) =>
	new Date(time + VIETNAM_OFFSET_MS).toISOString().slice(0, 23).replace('T', ' ');

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

/** Milliseconds before these keys may try again (0: now). */
export async function throttleWait(
	db: Kysely<Database>,
	keys: string[],
	now = Date.now()
): Promise<number> {
	let wait = 0;
	for (const row of await counters(db, keys)) {
		if (now - row.last >= FORGET_AFTER_MS) continue;
		wait = Math.max(wait, row.last + delayAfter(row.failures) - now);
	}
	return wait;
}

export async function recordFailure(
	db: Kysely<Database>,
	keys: string[],
	now = Date.now()
): Promise<void> {
	await db.transaction().execute(async (trx) => {
		const rows = new Map((await counters(trx, keys)).map((r) => [r.key, r]));
		for (const key of keys) {
			const row = rows.get(key);
			const failures = row && now - row.last < FORGET_AFTER_MS ? row.failures + 1 : 1;
			const values = { key, failures, last_failure_at: localMillis(now) };
			if (row) {
				await trx.updateTable('login_throttle').set(values).where('key', '=', key).execute();
			} else {
				await trx.insertInto('login_throttle').values(values).execute();
			}
		}
	});
}

export async function clearFailures(db: Kysely<Database>, key: string): Promise<void> {
	await db.deleteFrom('login_throttle').where('key', '=', key).execute();
}
