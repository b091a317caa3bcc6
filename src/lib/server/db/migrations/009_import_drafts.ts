import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema';

/**
 * The upload page's drafts and mapping profiles (issue 14).
 *
 * A draft is an uploaded file not yet imported: its kind and column mapping as the user set them,
 * the last check of it (validation only: how many rows, its first row errors, the preview of its
 * first typed rows, as JSON) and, once committed, the import it became (`batch_id`). It belongs to
 * the account that uploaded it and expires (`expires_at`): its file is removed then.
 *
 * A profile is a named mapping for one kind and one set of source headers (folded, sorted:
 * `header_set`), offered to every reform team: the next file with the same headers is mapped by
 * it. One profile per kind and header set (saving again replaces it).
 */
export async function up(db: Kysely<Database>): Promise<void> {
	await sql`
		CREATE SEQUENCE import_draft_ids START 1;
		CREATE TABLE import_drafts (
			id INTEGER PRIMARY KEY DEFAULT nextval('import_draft_ids'),
			user_id VARCHAR NOT NULL,
			username VARCHAR NOT NULL,
			kind VARCHAR NOT NULL,
			file_name VARCHAR NOT NULL,
			file_size BIGINT NOT NULL,
			sha256 VARCHAR NOT NULL,
			format VARCHAR NOT NULL,
			stored_file VARCHAR,
			header_row INTEGER,
			head_rows VARCHAR NOT NULL,
			headers VARCHAR NOT NULL,
			header_set VARCHAR NOT NULL,
			mapping VARCHAR NOT NULL,
			profile_id INTEGER,
			check_status VARCHAR NOT NULL DEFAULT 'none',
			check_result VARCHAR,
			checked_at TIMESTAMP,
			batch_id INTEGER,
			created_at TIMESTAMP NOT NULL,
			expires_at TIMESTAMP NOT NULL
		);

		CREATE SEQUENCE import_profile_ids START 1;
		CREATE TABLE import_profiles (
			id INTEGER PRIMARY KEY DEFAULT nextval('import_profile_ids'),
			name VARCHAR NOT NULL,
			kind VARCHAR NOT NULL,
			header_set VARCHAR NOT NULL,
			mapping VARCHAR NOT NULL,
			updated_by VARCHAR NOT NULL,
			updated_at TIMESTAMP NOT NULL
		);
	`.execute(db);
}
