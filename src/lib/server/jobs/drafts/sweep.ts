/**
 * Drafts removed with their files: those past an uploader's MAX_OPEN_DRAFTS, the expired ones
 * (at each new draft and at the server's start), and, at the start, checks cut off by a stop.
 */
import { rm } from 'node:fs/promises';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db';
import { serialWrite } from '../../db/writes';
import { now } from './draft';
import { rejectedFileOf } from './rejected';

/**
 * Drafts an uploader keeps at once (each up to 500 MB on disk): a new one past them removes the
 * oldest not committed nor being checked.
 */
export const MAX_OPEN_DRAFTS = 5;

/** Removes the uploader's open drafts past the newest MAX_OPEN_DRAFTS, with their files. */
export async function dropOldDrafts(db: Kysely<Database>, userId: string): Promise<void> {
	const old = await db
		.selectFrom('import_drafts')
		.select(['id', 'stored_file'])
		.where('user_id', '=', userId)
		.where('batch_id', 'is', null)
		.where('check_status', 'not in', ['queued', 'checking'])
		.orderBy('id', 'desc')
		.offset(MAX_OPEN_DRAFTS)
		.limit(1000)
		.execute();
	if (old.length === 0) return;
	await serialWrite(db, () =>
		db
			.deleteFrom('import_drafts')
			.where(
				'id',
				'in',
				old.map((d) => d.id)
			)
			.execute()
	);
	for (const draft of old) {
		if (!draft.stored_file) continue;
		await rm(draft.stored_file, { force: true });
		await rm(rejectedFileOf(draft.stored_file), { force: true });
	}
}

/**
 * Removes the expired drafts and their files. Run at each new draft and at the server's start;
 * the files of the drafts still open are returned, for the start's sweep of stray files.
 */
export async function sweepDrafts(db: Kysely<Database>): Promise<Set<string>> {
	const expired = await db
		.selectFrom('import_drafts')
		.select(['id', 'stored_file'])
		.where(sql<boolean>`expires_at <= ${now()}::TIMESTAMP`)
		.execute();
	for (const draft of expired) {
		if (draft.stored_file) {
			await rm(draft.stored_file, { force: true });
			await rm(rejectedFileOf(draft.stored_file), { force: true });
		}
	}
	if (expired.length > 0) {
		await serialWrite(db, () =>
			db
				.deleteFrom('import_drafts')
				.where(
					'id',
					'in',
					expired.map((d) => d.id)
				)
				.execute()
		);
	}
	const open = await db
		.selectFrom('import_drafts')
		.select('stored_file')
		.where('stored_file', 'is not', null)
		.execute();
	const keep = new Set<string>();
	for (const { stored_file } of open) {
		keep.add(stored_file!);
		keep.add(rejectedFileOf(stored_file!));
	}
	return keep;
}

/** At the server's start: a check cut off by a stop is forgotten (it wrote nothing). */
export async function resetInterruptedChecks(db: Kysely<Database>): Promise<void> {
	await db
		.updateTable('import_drafts')
		.set({ check_status: 'none' })
		.where('check_status', 'in', ['queued', 'checking'])
		.execute();
}
