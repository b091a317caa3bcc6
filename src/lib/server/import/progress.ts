/**
 * How far an import is, for a progress bar (issue 14): each phase (validating, committing) is a
 * few steps over every row of the file (read, stage, check characters, type, check; merge, log),
 * and within a step DuckDB's own progress of the running statement. Nothing is written to the
 * database here: the owner of the import (jobs/) keeps the last report in memory and answers
 * from it, so a progress bar costs the import nothing.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { sql, type Kysely } from 'kysely';
import { connectionWatch } from '../db/dialect';
import type { Database } from '../db/schema';

export interface ImportProgress {
	status: 'validating' | 'committing';
	/** The file's data rows: 0 until it has been read. */
	rowsTotal: number;
	/** Rows through the phase so far: `fraction × rowsTotal`. */
	rowsDone: number;
	/** The share of the phase done, from 0 to 1; it never goes back. */
	fraction: number;
	/** When the phase began (ms since the epoch), for rows per second and time left. */
	phaseStartedAt: number;
}

export type ProgressListener = (progress: ImportProgress) => void;

/** How often the running statement's progress is read: often enough for a smooth bar. */
const POLL_MS = 250;

export class ProgressTracker {
	#connection: DuckDBConnection | null = null;
	#timer: NodeJS.Timeout | null = null;
	#progress: ImportProgress = {
		status: 'validating',
		rowsTotal: 0,
		rowsDone: 0,
		fraction: 0,
		phaseStartedAt: Date.now()
	};
	#steps = 1;
	#stepsDone = 0;
	#interrupted = false;

	constructor(private readonly listener?: ProgressListener) {}

	/**
	 * Runs `work` (every statement of the import on one connection) while following the
	 * progress of its statements; the first connection it uses is the one followed.
	 */
	async follow<T>(db: Kysely<Database>, work: (db: Kysely<Database>) => Promise<T>): Promise<T> {
		const seen = (connection: DuckDBConnection) => (this.#connection ??= connection);
		return connectionWatch.run(seen, () =>
			db.connection().execute(async (conn) => {
				// DuckDB measures a statement's progress only when asked to; never printed.
				if (this.listener) {
					await sql`SET enable_progress_bar = true`.execute(conn);
					await sql`SET enable_progress_bar_print = false`.execute(conn);
					await sql`SET progress_bar_time = 0`.execute(conn);
					this.#timer = setInterval(() => this.#poll(), POLL_MS);
				}
				try {
					return await work(conn);
				} finally {
					if (this.#timer) clearInterval(this.#timer);
					this.#timer = null;
					if (this.listener) await sql`RESET enable_progress_bar`.execute(conn);
				}
			})
		);
	}

	/** A new phase of `steps` steps, from 0. */
	phase(status: ImportProgress['status'], steps: number): void {
		this.#checkInterrupted();
		this.#steps = steps;
		this.#stepsDone = 0;
		this.#progress = { ...this.#progress, status, rowsDone: 0, fraction: 0 };
		this.#progress.phaseStartedAt = Date.now();
		this.#report(0);
	}

	rows(total: number): void {
		this.#progress.rowsTotal = total;
		this.#report(this.#progress.fraction);
	}

	/** One step of the phase is done. */
	step(): void {
		this.#checkInterrupted();
		this.#stepsDone = Math.min(this.#steps, this.#stepsDone + 1);
		this.#report(this.#stepsDone / this.#steps);
	}

	/**
	 * Stops the import: its running statement at once, or else at its next step. It fails, its
	 * transaction (if begun) rolled back.
	 */
	interrupt(): void {
		this.#interrupted = true;
		this.#connection?.interrupt();
	}

	#checkInterrupted(): void {
		if (this.#interrupted) throw new Error('interrupted: the server is stopping');
	}

	#poll(): void {
		const percentage = this.#connection?.progress.percentage ?? -1;
		if (percentage < 0) return;
		const within = Math.min(1, percentage / 100);
		// A step's statements each run to 100%: the bar stops short of the step's end until it ends.
		this.#report(Math.min((this.#stepsDone + within * 0.95) / this.#steps, 1));
	}

	#report(fraction: number): void {
		const next = Math.max(this.#progress.fraction, fraction);
		this.#progress = {
			...this.#progress,
			fraction: next,
			rowsDone: Math.round(next * this.#progress.rowsTotal)
		};
		this.listener?.({ ...this.#progress });
	}
}
