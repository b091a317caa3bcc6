/**
 * Import jobs (issue 14): a file uploaded (or named on the command line), logged as queued, run
 * in the database's one queue (queue.ts), and audited when it ends. The user who uploaded it may
 * leave: the job goes on in the server.
 *
 * At a restart (resumeQueuedJobs), an upload that was waiting runs, in its order: its file is on
 * disk and its sender was told 202. A command's import that was waiting is failed as interrupted:
 * the command that waited for it is gone, and would not know it ran. A job cut off while
 * validating or committing was already marked failed by the store (import/batches.ts).
 */
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import type { Kysely } from 'kysely';
import { IMPORT_KINDS, MANAGING_ROLES, type ImportKind, type Principal } from '../../domain/types';
import { scopeOf } from '../auth/scope';
import { audit, sessionUser, type Actor } from '../auth/users';
import type { Database, Store } from '../db';
import { failQueuedImport, INTERRUPTED, logImport } from '../import/batches';
import { fileError, ImportRejected } from '../import/errors';
import { formatOf } from '../import/formats';
import { checkFile, runImport, sha256Of, type ImportResult } from '../import/run';
import { committedMapping } from './drafts/mapping';
import { resetInterruptedChecks, sweepDrafts } from './drafts/sweep';
import { openImportsFolder, removeStrayUploads, saveUpload, UploadTooLarge } from './files';
import { importQueue, QueueClosed, type RunningTask } from './queue';

/** A signed-in uploader: who they are, for the log, and what they may change (their scope). */
export interface Uploader extends Principal {
	id: string;
}

/** The longest file name kept (the name a user sees in the history), in characters. */
export const MAX_FILE_NAME = 200;

/** Why an upload is refused before it is queued: 400 for its name or kind, 413 for its size. */
export class UploadRefused extends Error {
	constructor(
		message: string,
		readonly status: 400 | 403 | 413
	) {
		super(message);
	}
}

/**
 * The file name an upload may have: a name, not a path (no `/`, `\`, control characters, no
 * leading dot), at most MAX_FILE_NAME characters, with an extension we read (CONTRACT: the
 * extension decides the format). Returns the format, or throws UploadRefused (400).
 */
export function uploadFormat(fileName: string): string {
	if (fileName.length === 0 || fileName.length > MAX_FILE_NAME) {
		throw new UploadRefused(`filename must have 1 to ${MAX_FILE_NAME} characters`, 400);
	}
	// eslint-disable-next-line no-control-regex -- refusing control characters is the point
	if (/[/\\\u0000-\u001f\u007f-\u009f]/.test(fileName) || fileName.startsWith('.')) {
		throw new UploadRefused(
			'filename must be a file name, without a folder (/ or \\), control characters or a leading dot',
			400
		);
	}
	try {
		return formatOf(fileName, fileName);
	} catch (error) {
		if (error instanceof ImportRejected) throw new UploadRefused(error.message, 400);
		throw error;
	}
}

/**
 * What an upload request must be before its body is read: from a reform team or an administrator
 * (403), of a kind we import (400), under a file name we accept (400). Its kind and format.
 */
export function checkUpload(
	uploader: Principal,
	kind: string,
	fileName: string
): { kind: ImportKind; format: string } {
	if (!MANAGING_ROLES.includes(uploader.role)) {
		throw new UploadRefused('only a reform team or an administrator may import files', 403);
	}
	if (!(IMPORT_KINDS as readonly string[]).includes(kind)) {
		throw new UploadRefused(`kind must be one of ${IMPORT_KINDS.join(', ')}`, 400);
	}
	return { kind: kind as ImportKind, format: uploadFormat(fileName) };
}

/**
 * Saves `body` as the file `fileName` of `kind` and queues its import for `uploader`; the job's
 * id. The queue runs it when its turn comes; nothing here waits for that.
 */
export async function queueUpload(
	store: Store,
	uploader: Uploader,
	kindAsked: string,
	fileName: string,
	body: ReadableStream<Uint8Array>
): Promise<number> {
	const { kind, format } = checkUpload(uploader, kindAsked, fileName);
	const folder = await openImportsFolder(store.path);
	let saved;
	try {
		saved = await saveUpload(body, folder, format);
	} catch (error) {
		if (error instanceof UploadTooLarge) throw error;
		throw new UploadRefused(
			'the upload was cut off before the end of the file; send it again',
			400
		);
	}
	if (saved.size === 0) {
		await rm(saved.file, { force: true });
		throw new UploadRefused('the file is empty (0 bytes): send the file as the request body', 400);
	}
	const batchId = await logImport(store.db, {
		kind,
		fileName,
		fileSize: saved.size,
		sha256: saved.sha256,
		format,
		source: 'api',
		userId: uploader.id,
		username: uploader.username,
		storedFile: saved.file
	});
	void queueUploadedJob(store.db, batchId);
	return batchId;
}

/** Puts a logged upload in the queue; failures are the job's (logged in it), never the caller's. */
export function queueUploadedJob(db: Kysely<Database>, batchId: number): Promise<void> {
	return importQueue(db)
		.enqueue(batchId, (running) => runUploadedJob(db, batchId, running))
		.catch((error: unknown) => {
			// A closed queue leaves the job queued for the next start; anything else is a bug.
			if (!(error instanceof QueueClosed)) console.error(`import job ${batchId} failed:`, error);
		});
}

async function runUploadedJob(
	db: Kysely<Database>,
	batchId: number,
	running: RunningTask
): Promise<void> {
	const job = await db
		.selectFrom('import_batches')
		.select(['kind', 'file_name', 'stored_file', 'user_id', 'status'])
		.where('id', '=', batchId)
		.executeTakeFirst();
	if (!job || job.status !== 'queued') return;
	const file = job.stored_file;
	try {
		if (!file || !existsSync(file)) {
			await failQueuedImport(db, batchId, `${INTERRUPTED} (the uploaded file is gone)`);
			return;
		}
		// The uploader as they are now: an account disabled, or no longer a manager, imports nothing.
		const user = job.user_id ? await sessionUser(db, job.user_id) : null;
		if (!user || !MANAGING_ROLES.includes(user.role)) {
			await failQueuedImport(
				db,
				batchId,
				'the account that uploaded this file may no longer import'
			);
			return;
		}
		const scope = await scopeOf(db, user);
		const actor: Actor = { username: user.username, userId: user.id };
		await runAudited(db, actor, batchId, job.kind, file, {
			name: job.file_name,
			// A draft committed from the upload page imports with the mapping its check was of.
			mapping: await committedMapping(db, batchId),
			allowedUnits: scope.all ? undefined : [...scope.versions],
			onStart: running.started,
			onProgress: running.progress
		});
	} catch (error) {
		if (!(error instanceof ImportRejected)) throw error;
	} finally {
		if (file) await rm(file, { force: true });
		await db
			.updateTable('import_batches')
			.set({ stored_file: null })
			.where('id', '=', batchId)
			.where('stored_file', 'is not', null)
			.execute();
	}
}

/** Runs a logged import and writes its outcome to the audit log (accepted or rejected). */
export async function runAudited(
	db: Kysely<Database>,
	actor: Actor,
	batchId: number,
	kind: ImportKind,
	file: string,
	options: Parameters<typeof runImport>[4] & { name: string }
): Promise<ImportResult> {
	let result: ImportResult;
	try {
		result = await runImport(db, batchId, kind, file, options);
	} catch (error) {
		if (error instanceof ImportRejected) {
			const detail = { kind, file: options.name, batch: batchId, errors: error.totalErrors };
			await audit(db, { action: 'import.rejected', actor, detail });
		}
		throw error;
	}
	const { rows, inserted, updated, unchanged } = result;
	// Campaign and target changes are imports of kind `targets`: this entry records them too.
	await audit(db, {
		action: 'import',
		actor,
		detail: { kind, file: options.name, batch: batchId, rows, inserted, updated, unchanged }
	});
	return result;
}

/**
 * The CLI's import (here, or in the server through the control socket): logged, then run in the
 * same queue as the uploads, waiting for its turn; its result, or its rejection.
 */
export async function importInQueue(
	db: Kysely<Database>,
	actor: Actor,
	kind: ImportKind,
	file: string,
	name = path.basename(file)
): Promise<ImportResult> {
	const format = formatOf(file, name);
	const size = await checkFile(file, name);
	const batchId = await logImport(db, {
		kind,
		fileName: name,
		fileSize: size,
		sha256: await sha256Of(file),
		format,
		source: 'cli',
		userId: actor.userId ?? null,
		username: actor.username
	});
	try {
		return await importQueue(db).enqueue(batchId, (running) =>
			runAudited(db, actor, batchId, kind, file, {
				name,
				onStart: running.started,
				onProgress: running.progress
			})
		);
	} catch (error) {
		if (error instanceof QueueClosed) {
			await failQueuedImport(db, batchId, INTERRUPTED);
			throw fileError(name, INTERRUPTED);
		}
		throw error;
	}
}

/**
 * The server's start: its jobs run lean beside the dashboard, the uploads left waiting run in
 * their order, a command's waiting import is failed (its command is gone), and files no waiting
 * job names are removed.
 */
export async function resumeQueuedJobs(store: Store): Promise<void> {
	const { db } = store;
	// The server's jobs share the machine with the dashboard (queue.ts holdMemory).
	importQueue(db).lean = true;
	const waiting = await db
		.selectFrom('import_batches')
		.select(['id', 'source', 'stored_file'])
		.where('status', '=', 'queued')
		.orderBy('id')
		.execute();
	// The upload page's drafts keep their files until they expire; a check cut off is forgotten.
	await resetInterruptedChecks(db);
	const keep = await sweepDrafts(db);
	for (const job of waiting) {
		if (job.source === 'api' && job.stored_file && existsSync(job.stored_file)) {
			keep.add(job.stored_file);
			void queueUploadedJob(db, job.id);
		} else {
			await failQueuedImport(
				db,
				job.id,
				job.source === 'api'
					? `${INTERRUPTED} (the uploaded file is gone)`
					: job.source === 'editor'
						? 'interrupted: the server stopped before this save of the campaigns editor began; save again'
						: 'interrupted: the server stopped before this command’s import began; run the command again'
			);
		}
	}
	await removeStrayUploads(await openImportsFolder(store.path), keep);
}

/** The server's stop: no new job starts, the running one is interrupted (and fails, unchanged). */
export function stopImports(db: Kysely<Database>): Promise<void> {
	return importQueue(db).close();
}
