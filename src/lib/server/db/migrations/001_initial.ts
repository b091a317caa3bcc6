import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema';

/**
 * Dossiers carry no index or key: DuckDB's ART indexes slow bulk loads and cost memory at millions
 * of rows, and the importer keeps `dossier_code` unique itself with set-based merges.
 */
export async function up(db: Kysely<Database>): Promise<void> {
	await sql`
		CREATE SEQUENCE unit_version_ids START 1;
		CREATE SEQUENCE campaign_ids START 1;
		CREATE SEQUENCE import_batch_ids START 1;

		CREATE TABLE import_batches (
			id INTEGER PRIMARY KEY DEFAULT nextval('import_batch_ids'),
			kind VARCHAR NOT NULL,
			file_name VARCHAR NOT NULL,
			file_size BIGINT NOT NULL,
			sha256 VARCHAR NOT NULL,
			format VARCHAR NOT NULL,
			status VARCHAR NOT NULL,
			rows_total INTEGER NOT NULL DEFAULT 0,
			inserted INTEGER NOT NULL DEFAULT 0,
			updated INTEGER NOT NULL DEFAULT 0,
			unchanged INTEGER NOT NULL DEFAULT 0,
			rejected INTEGER NOT NULL DEFAULT 0,
			skipped INTEGER NOT NULL DEFAULT 0,
			message VARCHAR,
			started_at TIMESTAMP NOT NULL,
			finished_at TIMESTAMP
		);

		CREATE TABLE unit_versions (
			id INTEGER PRIMARY KEY DEFAULT nextval('unit_version_ids'),
			code VARCHAR NOT NULL,
			name VARCHAR NOT NULL,
			level VARCHAR NOT NULL,
			parent_code VARCHAR,
			parent_id INTEGER,
			valid_from DATE,
			valid_to DATE,
			path VARCHAR NOT NULL,
			depth INTEGER NOT NULL,
			import_batch_id INTEGER
		);

		CREATE TABLE unit_closure (
			ancestor_id INTEGER NOT NULL,
			descendant_id INTEGER NOT NULL,
			depth INTEGER NOT NULL
		);

		CREATE TABLE procedures (
			code VARCHAR PRIMARY KEY,
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

		CREATE TABLE dossiers (
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

		CREATE TABLE campaigns (
			id INTEGER PRIMARY KEY DEFAULT nextval('campaign_ids'),
			name VARCHAR NOT NULL UNIQUE,
			starts_on DATE NOT NULL,
			ends_on DATE NOT NULL,
			import_batch_id INTEGER
		);

		CREATE TABLE targets (
			campaign_id INTEGER NOT NULL,
			unit_code VARCHAR NOT NULL,
			kpi VARCHAR NOT NULL,
			level VARCHAR NOT NULL,
			target DOUBLE NOT NULL,
			import_batch_id INTEGER,
			PRIMARY KEY (campaign_id, unit_code, kpi, level)
		);
	`.execute(db);
}
