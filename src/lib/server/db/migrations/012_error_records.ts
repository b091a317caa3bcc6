import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema';

/**
 * A kept row error names its record by its key where the file's format does (issue 15: the
 * portal's sync payload names a dossier by its place in `data` and its `MaHoSo`). Empty for the
 * errors of other files, and of those kept before.
 */
export async function up(db: Kysely<Database>): Promise<void> {
	await sql`ALTER TABLE import_errors ADD COLUMN record VARCHAR`.execute(db);
}
