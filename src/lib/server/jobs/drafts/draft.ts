/**
 * The upload page's drafts (issue 14): an uploaded file is first a draft, not an import. The
 * server reads its first rows, tells its kind (the kind whose columns its headers match best),
 * finds its header row and proposes a mapping of each source header to a column (the aliases, or
 * a saved profile of the same headers); the user adjusts it, checks the file (the whole
 * validation, in the import queue, writing nothing to the data), and commits a draft whose last
 * check was clean: it is then queued as an import like any upload (jobs.ts), with its mapping.
 *
 * A draft is its uploader's alone (any other id is answered as one that does not exist) and
 * expires after DRAFT_HOURS: its file and its file of rejected rows are removed then, and at
 * the server's start.
 *
 * This module: a stored draft as the others read it (its owner's, not expired) and whether it
 * may still change. The others, beside it: create.ts, update.ts, profiles.ts, check.ts,
 * rejected.ts, commit.ts, view.ts, sweep.ts, with detect.ts and mapping.ts below them.
 */
import { existsSync } from 'node:fs';
import { sql, type Kysely } from 'kysely';
import { vietnamTimestamp } from '../../../domain/dates';
import type { Database } from '../../db';
import type { DraftCheckStatus, ImportDraftTable } from '../../db/schema';
import type { Uploader } from '../jobs';
import { DraftRefused } from './refused';

export type DraftRow = ImportDraftTable & { id: number; check_status: DraftCheckStatus };

export const now = () => vietnamTimestamp(Date.now(), { milliseconds: true });

/** The draft `id` when it is `viewer`'s and has not expired; else null (the API's 404). */
export async function ownDraft(
	db: Kysely<Database>,
	viewer: Uploader,
	id: number
): Promise<DraftRow | null> {
	const draft = await db
		.selectFrom('import_drafts')
		.selectAll()
		.where('id', '=', id)
		.where('user_id', '=', viewer.id)
		.where(sql<boolean>`expires_at > ${now()}::TIMESTAMP`)
		.executeTakeFirst();
	return (draft as DraftRow | undefined) ?? null;
}

/** Whether the draft `id` is `viewer`'s and open to see (the endpoints ask before reading a body). */
export async function hasDraft(
	db: Kysely<Database>,
	viewer: Uploader,
	id: number
): Promise<boolean> {
	return (await ownDraft(db, viewer, id)) !== null;
}

/** A draft id as the URL gives it: digits only, within INTEGER; anything else names no draft. */
export function parseDraftId(text: string): number | null {
	if (!/^[1-9][0-9]{0,9}$/.test(text)) return null;
	const id = Number(text);
	return id <= 2_147_483_647 ? id : null;
}

/** What a draft may still be changed or checked in: not committed, not being checked. */
export function assertOpen(draft: DraftRow): void {
	if (draft.batch_id !== null) {
		throw new DraftRefused('this draft was already committed as an import', 409);
	}
	if (draft.check_status === 'queued' || draft.check_status === 'checking') {
		throw new DraftRefused('this draft is being checked; wait for the check to end', 409);
	}
	if (draft.stored_file === null || !existsSync(draft.stored_file)) {
		throw new DraftRefused('the uploaded file is gone; upload it again', 409);
	}
}
