/** The import log's rows that outlive the process writing them. */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema';

export const INTERRUPTED =
	'interrupted: the process stopped before the import finished; nothing was imported, import the file again';

/**
 * A batch still `running` when the store opens was cut off by a kill or a crash: its transaction
 * never committed, so it changed nothing. Mark it failed, or it would show as running forever
 * (issue 10). Only one process can hold the file, and it has just opened it: no import of its own
 * has started yet.
 */
export async function failInterruptedImports(db: Kysely<Database>): Promise<number> {
	const result = await sql`UPDATE import_batches SET status = 'failed', message = ${INTERRUPTED}
		WHERE status = 'running'`.execute(db);
	return Number(result.numAffectedRows ?? 0);
}
