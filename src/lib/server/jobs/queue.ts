/**
 * One queue of imports per database (issue 14): an import, or an undo, starts when the one before
 * it has ended, whether it came through the API, the upload page or the CLI (here or through the
 * control socket). Two imports at once would only fail each other on DuckDB's write conflicts,
 * and a second would wait on the first's transaction anyway; in line, each is as fast as alone,
 * and the dashboard reads on beside them.
 *
 * The queue also knows, in memory, how far the running import is (import/progress.ts) and which
 * jobs wait before a given one: the API answers from it without writing progress anywhere.
 */
import { availableParallelism } from 'node:os';
import { sql, type Kysely } from 'kysely';
import { duckdbOptions, importMemoryLimit } from '../config';
import type { Database } from '../db/schema';
import type { ImportProgress, ProgressTracker } from '../import/progress';

export class QueueClosed extends Error {
	constructor() {
		super('the server is stopping; the import waits for its next start');
	}
}

/**
 * What a queued task is known by: an import's batch id, or a draft's check (`draft:<id>`, the
 * upload page's validation only, which has no batch).
 */
export type JobKey = number | `draft:${number}`;

interface Running {
	batchId: JobKey | null;
	tracker: ProgressTracker | null;
	progress: ImportProgress | null;
}

export class ImportQueue {
	constructor(private readonly db: Kysely<Database>) {}

	#tail: Promise<unknown> = Promise.resolve();
	/** Batch ids waiting, in order; a task without a batch (an undo) waits unlisted. */
	#waiting: JobKey[] = [];
	#running: Running | null = null;
	#closed = false;
	/** Set by the server (hooks.server.ts): jobs run lean beside the dashboard (holdMemory). */
	lean = false;

	/**
	 * Runs `task` after every task queued before it; `batchId` names the import it runs, so that
	 * its place and progress can be asked for. A task receives the handle to report progress on.
	 */
	enqueue<T>(batchId: JobKey | null, task: (running: RunningTask) => Promise<T>): Promise<T> {
		if (this.#closed) return Promise.reject(new QueueClosed());
		if (batchId !== null) this.#waiting.push(batchId);
		const result = this.#tail.then(async () => {
			if (batchId !== null) this.#waiting = this.#waiting.filter((id) => id !== batchId);
			if (this.#closed) throw new QueueClosed();
			const running: Running = { batchId, tracker: null, progress: null };
			this.#running = running;
			try {
				if (this.lean) await holdMemory(this.db, true);
				return await task({
					started: (tracker) => (running.tracker = tracker),
					progress: (progress) => (running.progress = progress)
				});
			} finally {
				this.#running = null;
				if (this.lean) await holdMemory(this.db, false);
			}
		});
		// The queue goes on after a failed task: the failure is its caller's.
		this.#tail = result.catch(() => undefined);
		return result;
	}

	/** How many tasks run or wait before the waiting import `batchId`; null when it does not wait. */
	position(batchId: JobKey): number | null {
		const index = this.#waiting.indexOf(batchId);
		return index < 0 ? null : index + (this.#running ? 1 : 0);
	}

	/** The running import's last progress, when `batchId` is the one running. */
	progressOf(batchId: JobKey): ImportProgress | null {
		return this.#running?.batchId === batchId ? this.#running.progress : null;
	}

	/**
	 * Takes no new task, interrupts the running import (its transaction rolls back: it is marked
	 * failed, interrupted) and resolves when it has stopped. The waiting jobs stay queued in the
	 * database, for the next start.
	 */
	async close(): Promise<void> {
		this.#closed = true;
		this.#running?.tracker?.interrupt();
		await this.#tail;
	}
}

export interface RunningTask {
	started(tracker: ProgressTracker): void;
	progress(progress: ImportProgress): void;
}

/**
 * While a job of the server runs, DuckDB keeps to the import's memory limit (config.ts), hands freed memory back
 * at once, and works on one thread, leaving the other cores to the dashboard; afterwards the
 * usual limit, allocator and threads come back. Measured by `npm run bench:upload` (1 million
 * rows): the server grew by 460 MB under the limit alone, by about 250 MB with all of these and
 * the allocator's decay set by the production server. A setting DuckDB cannot take at once (it
 * cannot free enough yet) is left as it was: the job runs all the same. A command that holds the
 * database itself (no server) has the machine to itself and runs at full speed.
 */
async function holdMemory(db: Kysely<Database>, held: boolean): Promise<void> {
	const limit = held ? importMemoryLimit() : duckdbOptions().memory_limit;
	const settings: [string, string][] = [
		['allocator_flush_threshold', held ? '1MB' : '128MB'],
		['allocator_background_threads', held ? 'true' : 'false'],
		['threads', held ? '1' : String(threadsAtRest)]
	];
	if (/^\d+(\.\d+)?\s*[KMGT]i?B$/i.test(limit)) settings.unshift(['memory_limit', limit]);
	else
		console.error(`ignoring the DuckDB memory limit ${JSON.stringify(limit)}: expected e.g. 160MB`);
	for (const [name, value] of settings) {
		try {
			// `name` is one of the constant setting names above.
			await sql`SET GLOBAL ${sql.raw(name)} = ${sql.lit(value)}`.execute(db);
		} catch (error) {
			console.error(`cannot set DuckDB's ${name} to ${value}:`, (error as Error).message);
		}
	}
}

/** DuckDB's own default: a thread per core. */
const threadsAtRest = availableParallelism();

const queues = new WeakMap<object, ImportQueue>();

/** The queue of the database `db` (one per store handle in this process). */
export function importQueue(db: Kysely<Database>): ImportQueue {
	let queue = queues.get(db);
	if (!queue) {
		queue = new ImportQueue(db);
		queues.set(db, queue);
	}
	return queue;
}
