import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema';

/**
 * Published monthly reports (issue 13, "published reports stay true"): a report of a unit for a
 * month as the reform team sent it, kept whole — the three files exactly as made (BLOBs, with
 * their SHA-256 and download names) and the figures they were made from (the gathered report as
 * JSON), so that the report page can say, KPI by KPI, what a later import changed.
 *
 * Publishing the same unit and month again adds an edition (1, 2, …) and keeps the old ones: a
 * document that was sent stays what it was; the newest edition is the current one.
 * `published_at` is Vietnam wall-clock time, as every timestamp of the schema (audit_log).
 */
export async function up(db: Kysely<Database>): Promise<void> {
	await sql`
		CREATE SEQUENCE published_report_ids START 1;

		CREATE TABLE published_reports (
			id INTEGER PRIMARY KEY DEFAULT nextval('published_report_ids'),
			unit_code VARCHAR NOT NULL,
			-- The version of the code valid in the month (codes are reused: DOMAIN.md, Units).
			unit_version_id INTEGER NOT NULL,
			-- As published: a unit renamed since keeps its old name on its old documents.
			unit_name VARCHAR NOT NULL,
			month VARCHAR NOT NULL CHECK (regexp_full_match(month, '\\d{4}-(0[1-9]|1[0-2])')),
			edition INTEGER NOT NULL CHECK (edition >= 1),
			document_number VARCHAR,
			published_by_id VARCHAR,
			published_by VARCHAR NOT NULL,
			published_at TIMESTAMP NOT NULL,
			-- db/cache.ts dataVersion when the figures were gathered: the same now, nothing changed.
			data_version VARCHAR NOT NULL,
			figures VARCHAR NOT NULL,
			xlsx BLOB NOT NULL,
			xlsx_sha256 VARCHAR NOT NULL,
			xlsx_name VARCHAR NOT NULL,
			pdf BLOB NOT NULL,
			pdf_sha256 VARCHAR NOT NULL,
			pdf_name VARCHAR NOT NULL,
			csv BLOB NOT NULL,
			csv_sha256 VARCHAR NOT NULL,
			csv_name VARCHAR NOT NULL,
			UNIQUE (unit_version_id, month, edition)
		);
	`.execute(db);
}
