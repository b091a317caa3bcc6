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
import type { ImportProgress, ProgressTracker } from '../import/progress';

export class QueueClosed extends Error {
	constructor() {
		super('the server is stopping; the import waits for its next start');
	}
}

interface Running {
	batchId: number | null;
	tracker: ProgressTracker | null;
	progress: ImportProgress | null;
}

export class ImportQueue {
	#tail: Promise<unknown> = Promise.resolve();
	/** Batch ids waiting, in order; a task without a batch (an undo) waits unlisted. */
	#waiting: number[] = [];
	#running: Running | null = null;
	#closed = false;

	/**
	 * Runs `task` after every task queued before it; `batchId` names the import it runs, so that
	 * its place and progress can be asked for. A task receives the handle to report progress on.
	 */
	enqueue<T>(batchId: number | null, task: (running: RunningTask) => Promise<T>): Promise<T> {
		if (this.#closed) return Promise.reject(new QueueClosed());
		if (batchId !== null) this.#waiting.push(batchId);
		const result = this.#tail.then(async () => {
			if (batchId !== null) this.#waiting = this.#waiting.filter((id) => id !== batchId);
			if (this.#closed) throw new QueueClosed();
			const running: Running = { batchId, tracker: null, progress: null };
			this.#running = running;
			try {
				return await task({
					started: (tracker) => (running.tracker = tracker),
					progress: (progress) => (running.progress = progress)
				});
			} finally {
				this.#running = null;
			}
		});
		// The queue goes on after a failed task: the failure is its caller's.
		this.#tail = result.catch(() => undefined);
		return result;
	}

	/** How many tasks run or wait before the waiting import `batchId`; null when it does not wait. */
	position(batchId: number): number | null {
		const index = this.#waiting.indexOf(batchId);
		return index < 0 ? null : index + (this.#running ? 1 : 0);
	}

	/** The running import's last progress, when `batchId` is the one running. */
	progressOf(batchId: number): ImportProgress | null {
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

const queues = new WeakMap<object, ImportQueue>();

/** The queue of the database `db` (one per store handle in this process). */
export function importQueue(db: object): ImportQueue {
	let queue = queues.get(db);
	if (!queue) {
		queue = new ImportQueue();
		queues.set(db, queue);
	}
	return queue;
}
