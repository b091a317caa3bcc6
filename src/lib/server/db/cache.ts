/**
 * Catalogue counts and campaign targets change only when a file is imported, yet every dashboard
 * question needs them: they are remembered per data version (the import log's size and last
 * finish), so a new import — in this process or through the control socket — forgets them.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from './schema';

const MAX_ENTRIES = 500;
/** Per database handle, so two stores in one process (tests, tools) never share answers. */
const stores = new WeakMap<object, Map<string, Promise<unknown>>>();

export async function dataVersion(db: Kysely<Database>): Promise<string> {
	const { rows } = await sql<{ version: string }>`SELECT count(*) || ':' ||
		coalesce(CAST(max(finished_at) AS VARCHAR), '') || ':' || coalesce(max(id), 0) AS version
		FROM import_batches`.execute(db);
	return rows[0].version;
}

export function remember<T>(db: object, key: string, compute: () => Promise<T>): Promise<T> {
	let entries = stores.get(db);
	if (!entries) {
		entries = new Map();
		stores.set(db, entries);
	}
	let entry = entries.get(key) as Promise<T> | undefined;
	if (!entry) {
		if (entries.size >= MAX_ENTRIES) entries.delete(entries.keys().next().value!);
		entry = compute();
		entry.catch(() => entries.delete(key));
		entries.set(key, entry);
	}
	return entry;
}
