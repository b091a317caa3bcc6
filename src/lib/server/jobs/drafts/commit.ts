/** A draft committed: queued as an import of its file with its mapping, like any upload. */
import type { Kysely } from 'kysely';
import type { Database } from '../../db';
import { serialWrite } from '../../db/writes';
import { logImport } from '../../import/batches';
import { queueUploadedJob, type Uploader } from '../jobs';
import { assertOpen, ownDraft } from './draft';
import { checkManager, DraftRefused } from './refused';

/**
 * Commits a draft whose last check was clean: queued as an import of its file with its mapping
 * (the import validates again); the import's id. Refused (409) for any other draft.
 */
export async function commitDraft(
	db: Kysely<Database>,
	viewer: Uploader,
	id: number
): Promise<number | null> {
	checkManager(viewer);
	// Looked at and committed in one turn of the writes' queue: a second commit meets a 409.
	const batchId = await serialWrite(db, async () => {
		const draft = await ownDraft(db, viewer, id);
		if (!draft) return null;
		assertOpen(draft);
		if (draft.check_status !== 'clean') {
			throw new DraftRefused(
				'check the file first: only a file whose check was clean is imported',
				409
			);
		}
		// The import logged and the draft marked in one transaction: never one without the other.
		return db.transaction().execute(async (trx) => {
			const batchId = await logImport(trx, {
				kind: draft.kind,
				fileName: draft.file_name,
				fileSize: draft.file_size,
				sha256: draft.sha256,
				format: draft.format,
				source: 'api',
				userId: viewer.id,
				username: viewer.username,
				storedFile: draft.stored_file
			});
			await trx
				.updateTable('import_drafts')
				.set({ batch_id: batchId, stored_file: null })
				.where('id', '=', id)
				.execute();
			return batchId;
		});
	});
	if (batchId === null) return null;
	void queueUploadedJob(db, batchId);
	return batchId;
}
