/**
 * Catalogue counts and campaign targets change only when a file is imported, yet every dashboard
 * question needs them: they are remembered per data version (the import log's size and last
 * finish), so a new import — in this process or through the control socket — forgets them.
 *
 * The version is one query: a page load looks it up once (dashboard/context.ts, `UnitContext`
 * `dataVersion`) and passes it to every question it asks. Functions take it as their last,
 * optional argument; without it (a CLI command, a test, one API call) they look it up themselves.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from './schema';

/**
 * Whole page answers are remembered too (a report, a series, the late page's view: a few to a
 * hundred kilobytes each), several per page: room for every page of a busy morning, the least
 * recently asked forgotten first.
 */
const MAX_ENTRIES = 2000;
/** Per database handle, so two stores in one process (tests, tools) never share answers. */
const stores = new WeakMap<object, Map<string, Promise<unknown>>>();

/**
 * The import log's size, last finish, last undo and last id: changes with every import, done,
 * failed or undone (an undo changes no count or finish: its own time is part of the version).
 */
export type DataVersion = string;

export async function dataVersion(db: Kysely<Database>): Promise<DataVersion> {
	const { rows } = await sql<{ version: string }>`SELECT count(*) || ':' ||
		coalesce(CAST(max(finished_at) AS VARCHAR), '') || ':' ||
		coalesce(CAST(max(undone_at) AS VARCHAR), '') || ':' || coalesce(max(id), 0) AS version
		FROM import_batches`.execute(db);
	return rows[0].version;
}

/** The version the caller looked up for its request, else the current one. */
export const versionOf = (db: Kysely<Database>, version?: DataVersion): Promise<DataVersion> =>
	version === undefined ? dataVersion(db) : Promise.resolve(version);

export function remember<T>(db: object, key: string, compute: () => Promise<T>): Promise<T> {
	let entries = stores.get(db);
	if (!entries) {
		entries = new Map();
		stores.set(db, entries);
	}
	let entry = entries.get(key) as Promise<T> | undefined;
	if (entry) {
		// Asked again: now the most recent (a Map keeps insertion order).
		entries.delete(key);
		entries.set(key, entry);
		return entry;
	}
	if (entries.size >= MAX_ENTRIES) entries.delete(entries.keys().next().value!);
	entry = compute();
	entry.catch(() => entries.delete(key));
	entries.set(key, entry);
	return entry;
}
