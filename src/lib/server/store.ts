/**
 * The store the application works on: the database (db/), with what the layers above keep in it
 * made ready — the KPI aggregates built or rebuilt when their measures changed, and the imports a
 * kill cut off marked failed. The one place that composes them, so that db/ depends on nothing
 * above it. The server keeps one store for its lifetime (`getStore`); a CLI command or a test
 * opens one and closes it.
 */
import { failInterruptedImports } from './import/batches';
import { ensureAggregates } from './kpi/aggregates';
import { databasePath } from './config';
import { openDatabase, type Store } from './db';

export { DatabaseLockedError, type Store } from './db';

export async function openStore(file = databasePath()): Promise<Store> {
	const store = await openDatabase(file);
	try {
		await failInterruptedImports(store.db);
		await ensureAggregates(store.db);
	} catch (error) {
		await store.close();
		throw error;
	}
	return store;
}

let serverStore: Promise<Store> | undefined;

/** The web server's one store per process, opened on first use. */
export function getStore(): Promise<Store> {
	serverStore ??= openStore().catch((error) => {
		serverStore = undefined;
		throw error;
	});
	return serverStore;
}
