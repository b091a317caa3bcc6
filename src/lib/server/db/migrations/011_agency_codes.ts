import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema';

/**
 * A unit version's agency identifier (issue 15, CONTRACT: units `agency_code`): the electronic
 * code of the agency in the national scheme (`000.00.18.H28`), which the portal's sync payload
 * names a dossier's unit by (`DonViXuLy`). Optional: units imported before have none.
 *
 * `import_replaced_units` keeps the same columns (migration 8), so that undo restores it.
 *
 * No index: lookups join a whole file of dossiers on it (a hash join over ~300 versions), and a
 * DuckDB index on a column the units importer updates in place would only make those updates
 * refuse a code moved from one version to another in the same transaction.
 */
export async function up(db: Kysely<Database>): Promise<void> {
	await sql`
		ALTER TABLE unit_versions ADD COLUMN agency_code VARCHAR;
		ALTER TABLE import_replaced_units ADD COLUMN agency_code VARCHAR;
	`.execute(db);
}
