import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema';

/**
 * Accounts (issue 5): users bound to a unit code whose subtree is their scope, sessions and API
 * tokens stored as the SHA-256 of their secret only (the Lucia session guide), the append-only
 * audit log, and login throttling counters kept here so a restart does not reset them.
 */
export async function up(db: Kysely<Database>): Promise<void> {
	await sql`
		CREATE SEQUENCE audit_ids START 1;

		CREATE TABLE users (
			id VARCHAR PRIMARY KEY,
			username VARCHAR NOT NULL UNIQUE,
			password_hash VARCHAR NOT NULL,
			role VARCHAR NOT NULL,
			unit_code VARCHAR NOT NULL,
			locale VARCHAR NOT NULL DEFAULT 'vi',
			disabled BOOLEAN NOT NULL DEFAULT false,
			created_at TIMESTAMP NOT NULL,
			password_changed_at TIMESTAMP NOT NULL
		);

		CREATE TABLE sessions (
			id VARCHAR PRIMARY KEY,
			user_id VARCHAR NOT NULL,
			secret_hash VARCHAR NOT NULL,
			created_at TIMESTAMP NOT NULL,
			last_used_at TIMESTAMP NOT NULL
		);

		CREATE TABLE api_tokens (
			id VARCHAR PRIMARY KEY,
			user_id VARCHAR NOT NULL,
			name VARCHAR NOT NULL,
			secret_hash VARCHAR NOT NULL,
			created_at TIMESTAMP NOT NULL,
			last_used_at TIMESTAMP,
			revoked_at TIMESTAMP
		);

		CREATE TABLE audit_log (
			id BIGINT PRIMARY KEY DEFAULT nextval('audit_ids'),
			logged_at TIMESTAMP NOT NULL,
			user_id VARCHAR,
			username VARCHAR,
			action VARCHAR NOT NULL,
			detail VARCHAR,
			ip VARCHAR
		);

		CREATE TABLE login_throttle (
			key VARCHAR PRIMARY KEY,
			failures INTEGER NOT NULL,
			last_failure_at TIMESTAMP NOT NULL
		);
	`.execute(db);
}
