/**
 * Import jobs as the API shows them (CONTRACT: `GET /api/v1/imports/<id>`), and the import
 * history, to the users who may see them.
 *
 * Who sees a job: an administrator every job; anyone else the jobs they uploaded themselves, and
 * the imports that touched a unit of their scope (the data page's rule, migration 005). So a
 * district's reform team sees its own uploads from the moment they are queued, and the
 * province's imports once they have touched its district; never another district's file or its
 * row errors. Any other id is answered as one that does not exist.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import { formatDateTime } from '../../domain/format';
import type { ImportKind } from '../../domain/types';
import { inScope, scopeOf, type Scope } from '../auth/scope';
import type { Database, ImportStatus } from '../db/schema';
import { keptErrors } from '../import/batches';
import type { RowError } from '../import/errors';
import type { Uploader } from './jobs';
import { importQueue } from './queue';

/** An import in the history: who, when (Vietnam time, with its offset), what, and what it did. */
export interface ImportJobSummary {
	id: string;
	kind: ImportKind;
	filename: string;
	/** Bytes. */
	size: number;
	sha256: string;
	format: string;
	status: Exclude<ImportStatus, 'running'>;
	/** `api` (an upload), `cli` (a command) or `editor` (a save of the campaigns editor). */
	source: 'api' | 'cli' | 'editor';
	/** The username of who asked for it (`cli` for a command). */
	user: string | null;
	queued_at: string | null;
	started_at: string | null;
	commit_started_at: string | null;
	finished_at: string | null;
	duration_seconds: number | null;
	rows_total: number;
	rows_done: number;
	inserted: number;
	updated: number;
	unchanged: number;
	rejected: number;
	skipped: number;
	/** The share of the current phase done (0 to 1), while validating or committing; 1 when done. */
	progress: number | null;
	rows_per_second: number | null;
	/** While running, at the current phase's speed; null when it cannot be told yet. */
	seconds_left: number | null;
	/** While queued: how many jobs run or wait before it. */
	queue_position: number | null;
	/** Why it failed, or its warnings. */
	message: string | null;
	/** The last done import of the same kind and file content (SHA-256) when this one was queued. */
	duplicate_of: { id: string; filename: string; finished_at: string | null } | null;
	undone_at: string | null;
	undone_by: string | null;
	/** Done, and logged with what it replaced: an undo may be asked for. */
	undoable: boolean;
}

export interface ImportJobView extends ImportJobSummary {
	/** A rejected file's first row errors (at most 1,000), in row order. */
	errors: RowError[];
}

/** The longest page of the history. */
export const MAX_HISTORY_PAGE = 100;

const stamp = (column: string) =>
	sql<string | null>`strftime(${sql.ref(column)}, '%Y-%m-%dT%H:%M:%S.%g+07:00')`;

interface JobRow {
	id: number;
	kind: ImportKind;
	file_name: string;
	file_size: number;
	sha256: string;
	format: string;
	status: ImportStatus;
	source: 'api' | 'cli' | 'editor';
	user_id: string | null;
	username: string | null;
	queued_at: string | null;
	started_at: string | null;
	commit_started_at: string | null;
	finished_at: string | null;
	duration_ms: number | null;
	rows_total: number;
	rows_done: number;
	inserted: number;
	updated: number;
	unchanged: number;
	rejected: number;
	skipped: number;
	message: string | null;
	duplicate_of: number | null;
	duplicate_name: string | null;
	duplicate_finished_at: string | null;
	undone_at: string | null;
	undone_by: string | null;
	undoable: boolean;
	units: number[];
}

/** The jobs `where` selects, newest first, with the unit versions each touched. */
async function jobRows(
	db: Kysely<Database>,
	where: RawBuilder<unknown>,
	limit: number
): Promise<JobRow[]> {
	const { rows } = await sql<JobRow>`SELECT b.id, b.kind, b.file_name, b.file_size, b.sha256,
			b.format, b.status, b.source, b.user_id, b.username,
			${stamp('b.queued_at')} AS queued_at, ${stamp('b.started_at')} AS started_at,
			${stamp('b.commit_started_at')} AS commit_started_at,
			${stamp('b.finished_at')} AS finished_at,
			date_diff('millisecond', b.started_at, b.finished_at) AS duration_ms,
			b.rows_total, b.rows_done, b.inserted, b.updated, b.unchanged, b.rejected, b.skipped,
			b.message, b.duplicate_of, d.file_name AS duplicate_name,
			${stamp('d.finished_at')} AS duplicate_finished_at,
			${stamp('b.undone_at')} AS undone_at, b.undone_by, b.undoable,
			coalesce((SELECT list(u.unit_version_id) FROM import_batch_units u
				WHERE u.batch_id = b.id), []) AS units
		FROM import_batches b LEFT JOIN import_batches d ON d.id = b.duplicate_of
		WHERE ${where} ORDER BY b.id DESC LIMIT ${limit}`.execute(db);
	return rows;
}

function canSee(viewer: Uploader, scope: Scope, job: JobRow): boolean {
	return (
		scope.all ||
		(job.user_id !== null && job.user_id === viewer.id) ||
		job.units.some((id) => inScope(scope, id))
	);
}

function summary(db: Kysely<Database>, job: JobRow): ImportJobSummary {
	const queue = importQueue(db);
	const live = queue.progressOf(job.id);
	// A batch of an older version still `running` was cut off: the store marks it failed at open.
	const status = job.status === 'running' ? 'failed' : job.status;
	const running = status === 'validating' || status === 'committing';
	let { rows_total, rows_done } = job;
	let progress: number | null = status === 'done' ? 1 : null;
	let rowsPerSecond: number | null = null;
	let secondsLeft: number | null = null;
	if (running && live) {
		rows_total = live.rowsTotal;
		rows_done = live.rowsDone;
		progress = round(live.fraction, 3);
		const seconds = (Date.now() - live.phaseStartedAt) / 1000;
		if (seconds > 0.5 && live.rowsDone > 0) {
			rowsPerSecond = Math.round(live.rowsDone / seconds);
			secondsLeft = Math.round((live.rowsTotal - live.rowsDone) / (live.rowsDone / seconds));
		}
	} else if (status === 'done' && job.duration_ms) {
		rowsPerSecond = Math.round(job.rows_total / (job.duration_ms / 1000));
	}
	return {
		id: String(job.id),
		kind: job.kind,
		filename: fileNameOf(job.file_name),
		size: job.file_size,
		sha256: job.sha256,
		format: job.format,
		status: running && live ? live.status : status,
		source: job.source,
		user: job.username,
		queued_at: job.queued_at,
		started_at: job.started_at,
		commit_started_at: job.commit_started_at,
		finished_at: job.finished_at,
		duration_seconds: job.duration_ms === null ? null : round(job.duration_ms / 1000, 3),
		rows_total,
		rows_done,
		inserted: job.inserted,
		updated: job.updated,
		unchanged: job.unchanged,
		rejected: job.rejected,
		skipped: job.skipped,
		progress,
		rows_per_second: rowsPerSecond,
		seconds_left: secondsLeft,
		queue_position: status === 'queued' ? queue.position(job.id) : null,
		message: job.message ?? duplicateNote(job),
		duplicate_of:
			job.duplicate_of === null
				? null
				: {
						id: String(job.duplicate_of),
						filename: fileNameOf(job.duplicate_name ?? ''),
						finished_at: job.duplicate_finished_at
					},
		undone_at: job.undone_at,
		undone_by: job.undone_by,
		undoable: status === 'done' && job.undoable
	};
}

/** What the user is told of a file imported before (issue 14: "recognised and the user told"). */
function duplicateNote(job: JobRow): string | null {
	if (job.duplicate_of === null) return null;
	const when = job.duplicate_finished_at
		? `, ${formatDateTime(job.duplicate_finished_at.slice(0, 19))}`
		: '';
	return (
		`the same file (SHA-256) was imported as import ${job.duplicate_of} ` +
		`(${fileNameOf(job.duplicate_name ?? '')}${when}); importing it again changes nothing`
	);
}

/**
 * The last part of a path: a command logs the path as typed, and where a file sat on the server
 * is nobody's business (issue 10; the data page does the same).
 */
const fileNameOf = (file: string) => file.split(/[\\/]/).at(-1) || file;

const round = (n: number, digits: number) => Math.round(n * 10 ** digits) / 10 ** digits;

/** A job id as the URL gives it: digits only, within INTEGER; anything else names no job. */
export function parseJobId(text: string): number | null {
	if (!/^[1-9][0-9]{0,9}$/.test(text)) return null;
	const id = Number(text);
	return id <= 2_147_483_647 ? id : null;
}

/** A job the viewer may see, with what deciding on its undo needs. */
export interface VisibleJob {
	view: ImportJobView;
	/** The unit versions it touched (import_batch_units). */
	touched: number[];
	userId: string | null;
}

/** The job `id` with its row errors, when `viewer` may see it; else null (the API's 404). */
export async function visibleJob(
	db: Kysely<Database>,
	viewer: Uploader,
	id: number
): Promise<VisibleJob | null> {
	const [job] = await jobRows(db, sql`b.id = ${id}`, 1);
	if (!job || !canSee(viewer, await scopeOf(db, viewer), job)) return null;
	return {
		view: { ...summary(db, job), errors: await keptErrors(db, id) },
		touched: job.units,
		userId: job.user_id
	};
}

export interface HistoryPage {
	imports: ImportJobSummary[];
	/** The `before` of the next (older) page, or null at the log's start. */
	next: string | null;
}

/**
 * A page of the import history the viewer may see, newest first: `limit` jobs (at most
 * MAX_HISTORY_PAGE) older than the job `before`, when given.
 */
export async function jobHistory(
	db: Kysely<Database>,
	viewer: Uploader,
	options: { before?: number; limit: number }
): Promise<HistoryPage> {
	const limit = Math.min(Math.max(1, options.limit), MAX_HISTORY_PAGE);
	const scope = await scopeOf(db, viewer);
	const found: ImportJobSummary[] = [];
	let before = options.before ?? Number.MAX_SAFE_INTEGER;
	let more = true;
	// The log is read newest first, a few pages at most, until a page's worth is visible.
	while (found.length < limit && more) {
		const rows = await jobRows(db, sql`b.id < ${before}`, SCAN_PAGE);
		for (const job of rows) {
			if (found.length < limit && canSee(viewer, scope, job)) found.push(summary(db, job));
			before = job.id;
			if (found.length === limit) break;
		}
		more = rows.length === SCAN_PAGE;
	}
	const last = found.at(-1);
	return { imports: found, next: found.length === limit && last ? last.id : null };
}

const SCAN_PAGE = 200;
