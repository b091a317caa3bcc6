import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema';

/**
 * The unit a campaign is set on (issue 14, the campaigns editor): a campaign made in the browser
 * is set on one unit before it has any target, and must be seen there (dashboard/context.ts
 * `campaignsFor`) and covered from there. Null for a campaign only imported from a targets file
 * (CONTRACT: targets), which is set on the units its targets name, as before.
 *
 * `import_replaced_campaigns` keeps the same columns as `campaigns` (migration 8), so that undo
 * puts the unit back with the name and dates.
 */
export async function up(db: Kysely<Database>): Promise<void> {
	await sql`
		ALTER TABLE campaigns ADD COLUMN unit_code VARCHAR;
		ALTER TABLE import_replaced_campaigns ADD COLUMN unit_code VARCHAR;
	`.execute(db);
}
