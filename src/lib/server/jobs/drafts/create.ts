/**
 * A new draft: the file streamed to disk as any upload, its first rows read, its kind told, its
 * header found and its mapping proposed.
 */
import { rm } from 'node:fs/promises';
import type { Kysely } from 'kysely';
import { vietnamTimestamp } from '../../../domain/dates';
import { IMPORT_KINDS, type ImportKind } from '../../../domain/types';
import type { Database, Store } from '../../db';
import { serialWrite } from '../../db/writes';
import { ImportRejected } from '../../import/errors';
import { formatOf, type FileFormat } from '../../import/formats';
import { headGrids } from '../../import/formats/peek';
import { openImportsFolder, saveUpload, UploadTooLarge, type SavedUpload } from '../files';
import { UploadRefused, uploadFormat, type Uploader } from '../jobs';
import { kindScores, layoutFor } from './detect';
import { now } from './draft';
import { headerSet, mappingFor } from './profiles';
import { checkManager, DraftRefused } from './refused';
import { dropOldDrafts, sweepDrafts } from './sweep';

/** How long a draft and its file are kept. */
export const DRAFT_HOURS = 24;

const later = (hours: number) =>
	vietnamTimestamp(Date.now() + hours * 3_600_000, { milliseconds: true });

/**
 * Saves `body` as a draft of `uploader`: the file streamed to disk as any upload, its first rows
 * read, its kind told (or `kindAsked`), its mapping proposed. Its id.
 */
export async function createDraft(
	store: Store,
	uploader: Uploader,
	fileName: string,
	kindAsked: string | null,
	body: ReadableStream<Uint8Array>
): Promise<number> {
	checkManager(uploader);
	if (kindAsked !== null && !(IMPORT_KINDS as readonly string[]).includes(kindAsked)) {
		throw new DraftRefused(`kind must be one of ${IMPORT_KINDS.join(', ')}`, 400);
	}
	const format = draftFormat(fileName);
	await sweepDrafts(store.db);
	const saved = await saveDraftFile(store.path, body, format);
	try {
		if (saved.size === 0) throw new DraftRefused('the file is empty (0 bytes)', 400);
		const grids = await readHead(store.db, saved.file, format, fileName);
		const kind = (kindAsked as ImportKind | null) ?? kindScores(grids)[0].kind;
		const id = await insertDraft(store.db, uploader, fileName, saved, kind, grids);
		await dropOldDrafts(store.db, uploader.id);
		return id;
	} catch (error) {
		await rm(saved.file, { force: true });
		throw error;
	}
}

/** The file's format by its name; refused (400) for a name no reader takes. */
function draftFormat(fileName: string): FileFormat {
	try {
		return uploadFormat(fileName) as FileFormat;
	} catch (error) {
		if (error instanceof UploadRefused) throw new DraftRefused(error.message, 400);
		throw error;
	}
}

/** The upload streamed into the imports folder; refused (400) when it was cut off. */
async function saveDraftFile(
	databasePath: string,
	body: ReadableStream<Uint8Array>,
	format: FileFormat
): Promise<SavedUpload> {
	const folder = await openImportsFolder(databasePath);
	try {
		return await saveUpload(body, folder, format);
	} catch (error) {
		if (error instanceof UploadTooLarge) throw error;
		throw new DraftRefused('the upload was cut off before the end of the file; send it again', 400);
	}
}

/** The file's first rows, in each reading; refused (400) for a file the readers reject. */
async function readHead(
	db: Kysely<Database>,
	file: string,
	format: FileFormat,
	fileName: string
): Promise<string[][][]> {
	try {
		return await headGrids(db, file, format, fileName);
	} catch (error) {
		if (error instanceof ImportRejected) throw new DraftRefused(error.message, 400);
		throw error;
	}
}

/** The draft's row, with the header found for `kind` and its mapping proposed; its id. */
async function insertDraft(
	db: Kysely<Database>,
	uploader: Uploader,
	fileName: string,
	saved: SavedUpload,
	kind: ImportKind,
	grids: string[][][]
): Promise<number> {
	const layout = layoutFor(kind, grids);
	const { mapping, profileId } = await mappingFor(db, kind, layout);
	const row = await serialWrite(db, () =>
		db
			.insertInto('import_drafts')
			.values({
				user_id: uploader.id,
				username: uploader.username,
				kind,
				file_name: fileName,
				file_size: saved.size,
				sha256: saved.sha256,
				format: formatOf(saved.file, fileName),
				stored_file: saved.file,
				header_row: layout.headerRow,
				head_rows: JSON.stringify(grids),
				headers: JSON.stringify(layout.headers),
				header_set: headerSet(layout.headers),
				mapping: JSON.stringify(mapping),
				profile_id: profileId,
				check_result: null,
				checked_at: null,
				batch_id: null,
				created_at: now(),
				expires_at: later(DRAFT_HOURS)
			})
			.returning('id')
			.executeTakeFirstOrThrow()
	);
	return row.id;
}
