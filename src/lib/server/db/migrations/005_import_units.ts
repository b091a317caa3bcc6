import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema';

/**
 * Which unit versions each import touched, so the data page lists to a user only the imports of
 * their scope (issue 10). Written in the import's own transaction (a rejected file touched
 * nothing); what "touched" means per kind is the kind's `touchedUnits` (import/kinds).
 *
 * Imports logged before this table existed get the units of the rows they were the last to
 * write: the best the stored rows still tell.
 */
export async function up(db: Kysely<Database>): Promise<void> {
	await sql`
		CREATE TABLE import_batch_units (
			batch_id INTEGER NOT NULL,
			-- No key: rows are written distinct, and renumbering ids (demo/reset.ts) updates
			-- both columns, which DuckDB refuses on a key whose old and new values overlap.
			unit_version_id INTEGER NOT NULL
		);
	`.execute(db);
	await sql`
		INSERT INTO import_batch_units
		SELECT DISTINCT batch_id, unit_version_id FROM (
			SELECT import_batch_id AS batch_id, unit_version_id FROM dossiers
			UNION ALL SELECT import_batch_id, id FROM unit_versions
			UNION ALL SELECT p.import_batch_id, c.descendant_id FROM procedures p
				JOIN unit_versions u ON u.code = p.unit_code
				JOIN unit_closure c ON c.ancestor_id = u.id
			UNION ALL SELECT t.import_batch_id, c.descendant_id FROM targets t
				JOIN unit_versions u ON u.code = t.unit_code
				JOIN unit_closure c ON c.ancestor_id = u.id
		) WHERE batch_id IN (SELECT id FROM import_batches)
	`.execute(db);
}
