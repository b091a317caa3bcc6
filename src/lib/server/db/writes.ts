/**
 * The small writes of a request (a session's last use, a token's, sign-in counters, the audit
 * log, account changes) one at a time per database.
 *
 * DuckDB's concurrency is optimistic: two transactions that change the same row both run, and
 * the second to commit fails with "Conflict on update" (or "on tuple deletion"). Twenty parallel
 * requests on one idle session all renew it, twenty wrong passwords all bump one counter: each
 * would be a 500 and, for the counter, an uncounted guess. Queued, each write starts after the
 * previous one committed and sees its result, so it changes nothing that is already done (the
 * session already renewed) and counts on the new value (the fifth failure, then the sixth).
 *
 * A write that conflicts with something outside the queue (an import's transaction in the same
 * process) is retried a few times; every queued write is one transaction or idempotent, so a
 * retry never applies half of one twice.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

const queues = new WeakMap<object, Promise<unknown>>();
/** The database whose queue the current async context is running in (a write inside a write). */
const running = new AsyncLocalStorage<object>();

const CONFLICT = /Conflict on (update|tuple deletion)|TransactionContext Error/i;
const RETRIES = 5;

export const isWriteConflict = (error: unknown) =>
	error instanceof Error && CONFLICT.test(error.message);

/**
 * Runs `write` after every write queued before it on `db`, retrying it on a write conflict.
 * A queued write that queues another (an account change that writes the audit log) runs it at once.
 */
export function serialWrite<T>(db: object, write: () => Promise<T>): Promise<T> {
	if (running.getStore() === db) return write();
	const previous = queues.get(db) ?? Promise.resolve();
	const result = previous.then(() => running.run(db, () => retryOnConflict(write)));
	// The queue goes on after a failed write: the failure is its caller's, not the next one's.
	queues.set(
		db,
		result.catch(() => undefined)
	);
	return result;
}

async function retryOnConflict<T>(write: () => Promise<T>): Promise<T> {
	for (let attempt = 1; ; attempt++) {
		try {
			return await write();
		} catch (error) {
			if (!isWriteConflict(error) || attempt > RETRIES) throw error;
			await new Promise((resolve) => setTimeout(resolve, 5 * attempt));
		}
	}
}
