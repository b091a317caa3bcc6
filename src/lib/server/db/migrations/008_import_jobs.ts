import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema';

/**
 * Import jobs (issue 14): an import is queued before it runs (a file uploaded through the API
 * waits for the one before it), shows its progress, keeps its row errors, and can be undone.
 *
 * `import_batches` gains who asked (user id and username as they were), where it came from
 * (`api` or `cli`), the file kept while it waits (`stored_file`), when it was queued and when its
 * commit began, the rows done so far, the earlier import of the same file (`duplicate_of`) and
 * when and by whom it was undone. A queued job has not started: `started_at` may be empty.
 *
 * `undoable` is true for the imports that keep what they replace (every import from this
 * version on). Imports logged before it did not: their updated rows' old values are gone, so
 * they cannot be undone, and stay `undoable = false`.
 *
 * The `import_replaced_*` tables hold, per batch, the rows as they were before that batch
 * replaced them, with the same columns as the table itself (nothing else is stored): what an
 * undo puts back. Rows a batch inserted need no copy; they carry its `import_batch_id`.
 * `import_errors` keeps a rejected file's first row errors (row, column as headed, value,
 * reason), for the API and the upload page.
 */
export async function up(db: Kysely<Database>): Promise<void> {
	await sql`
		-- Made anew rather than altered: DuckDB refuses to commit a transaction that alters a
		-- table and then updates its rows.
		CREATE TABLE import_batches_8 (
			id INTEGER PRIMARY KEY DEFAULT nextval('import_batch_ids'),
			kind VARCHAR NOT NULL,
			file_name VARCHAR NOT NULL,
			file_size BIGINT NOT NULL,
			sha256 VARCHAR NOT NULL,
			format VARCHAR NOT NULL,
			status VARCHAR NOT NULL,
			rows_total INTEGER NOT NULL DEFAULT 0,
			rows_done INTEGER NOT NULL DEFAULT 0,
			inserted INTEGER NOT NULL DEFAULT 0,
			updated INTEGER NOT NULL DEFAULT 0,
			unchanged INTEGER NOT NULL DEFAULT 0,
			rejected INTEGER NOT NULL DEFAULT 0,
			skipped INTEGER NOT NULL DEFAULT 0,
			message VARCHAR,
			queued_at TIMESTAMP,
			started_at TIMESTAMP,
			commit_started_at TIMESTAMP,
			finished_at TIMESTAMP,
			source VARCHAR NOT NULL DEFAULT 'cli',
			user_id VARCHAR,
			username VARCHAR,
			stored_file VARCHAR,
			duplicate_of INTEGER,
			undoable BOOLEAN NOT NULL DEFAULT true,
			undone_at TIMESTAMP,
			undone_by VARCHAR
		);
		INSERT INTO import_batches_8 (id, kind, file_name, file_size, sha256, format, status,
			rows_total, rows_done, inserted, updated, unchanged, rejected, skipped, message,
			queued_at, started_at, finished_at, source, username, undoable)
		SELECT id, kind, file_name, file_size, sha256, format, status, rows_total,
			CASE WHEN status = 'done' THEN rows_total ELSE 0 END, inserted, updated, unchanged,
			rejected, skipped, message, started_at, started_at, finished_at, 'cli', 'cli', false
		FROM import_batches;
		DROP TABLE import_batches;
		ALTER TABLE import_batches_8 RENAME TO import_batches;

		CREATE TABLE import_errors (
			batch_id INTEGER NOT NULL,
			position INTEGER NOT NULL,
			"row" INTEGER,
			column_name VARCHAR,
			value VARCHAR,
			message VARCHAR NOT NULL
		);

		CREATE TABLE import_replaced_dossiers (
			batch_id INTEGER NOT NULL,
			dossier_code VARCHAR NOT NULL,
			procedure_code VARCHAR NOT NULL,
			unit_code VARCHAR NOT NULL,
			unit_version_id INTEGER NOT NULL,
			channel VARCHAR NOT NULL,
			received_at TIMESTAMP NOT NULL,
			due_at TIMESTAMP,
			completed_at TIMESTAMP,
			status VARCHAR NOT NULL,
			online_level VARCHAR,
			fee_required BOOLEAN NOT NULL,
			paid_online BOOLEAN NOT NULL,
			dossier_digitized BOOLEAN NOT NULL,
			result_digitized BOOLEAN NOT NULL,
			data_reused BOOLEAN NOT NULL,
			portal_synced BOOLEAN NOT NULL,
			rating VARCHAR,
			import_batch_id INTEGER
		);

		CREATE TABLE import_replaced_units (
			batch_id INTEGER NOT NULL,
			id INTEGER NOT NULL,
			code VARCHAR NOT NULL,
			name VARCHAR NOT NULL,
			level VARCHAR NOT NULL,
			parent_code VARCHAR,
			valid_from DATE,
			valid_to DATE,
			import_batch_id INTEGER
		);

		CREATE TABLE import_replaced_procedures (
			batch_id INTEGER NOT NULL,
			code VARCHAR NOT NULL,
			name VARCHAR NOT NULL,
			level VARCHAR NOT NULL,
			field VARCHAR,
			online_level VARCHAR NOT NULL,
			has_fee BOOLEAN NOT NULL,
			online_payment BOOLEAN NOT NULL,
			unit_code VARCHAR,
			active BOOLEAN NOT NULL,
			import_batch_id INTEGER
		);

		CREATE TABLE import_replaced_campaigns (
			batch_id INTEGER NOT NULL,
			id INTEGER NOT NULL,
			name VARCHAR NOT NULL,
			starts_on DATE NOT NULL,
			ends_on DATE NOT NULL,
			import_batch_id INTEGER
		);

		CREATE TABLE import_replaced_targets (
			batch_id INTEGER NOT NULL,
			campaign_id INTEGER NOT NULL,
			unit_code VARCHAR NOT NULL,
			kpi VARCHAR NOT NULL,
			level VARCHAR NOT NULL,
			target DOUBLE NOT NULL,
			import_batch_id INTEGER
		);
	`.execute(db);
}
