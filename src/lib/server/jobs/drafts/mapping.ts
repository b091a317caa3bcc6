/** A draft's mapping as the importer takes it: the check's, and the commit's import's (jobs.ts). */
import type { Kysely } from 'kysely';
import type { Database } from '../../db';

/** A draft's mapping as the importer takes it: source header as written → column or null. */
export function mappingRecord(
	headers: string[],
	mapping: (string | null)[]
): Record<string, string | null> {
	const record: Record<string, string | null> = {};
	headers.forEach((header, i) => {
		if (header.trim() !== '') record[header.trim()] = mapping[i] ?? null;
	});
	return record;
}

/** The mapping a committed draft gave its import (jobs.ts runs the import with it). */
export async function committedMapping(
	db: Kysely<Database>,
	batchId: number
): Promise<Record<string, string | null> | undefined> {
	const draft = await db
		.selectFrom('import_drafts')
		.select(['headers', 'mapping'])
		.where('batch_id', '=', batchId)
		.executeTakeFirst();
	if (!draft) return undefined;
	return mappingRecord(JSON.parse(draft.headers), JSON.parse(draft.mapping));
}
