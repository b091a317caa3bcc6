import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema';

/**
 * The frame a unit sets for its reports (issue 13: the issuing body "configurable per unit", who
 * signs, where it is sent), by unit code: a unit's reports keep it across its versions. A unit
 * without a row prints the defaults of domain/official-document.ts.
 */
export async function up(db: Kysely<Database>): Promise<void> {
	await sql`
		CREATE TABLE report_headers (
			unit_code VARCHAR PRIMARY KEY,
			governing_body VARCHAR NOT NULL,
			issuing_body VARCHAR NOT NULL,
			abbreviation VARCHAR NOT NULL,
			place VARCHAR NOT NULL,
			signer_title VARCHAR NOT NULL,
			signer_name VARCHAR NOT NULL,
			recipients VARCHAR NOT NULL,
			updated_by VARCHAR NOT NULL,
			updated_at VARCHAR NOT NULL
		);
	`.execute(db);
}
