import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema';

/**
 * The lineage of a reorganisation (the 1 July 2025 merger of communes): which unit was formed from
 * which, by code and the day the change took effect. The old code names its version valid the day
 * before, the new code its version valid on that day. Access scopes follow it (auth/scope.ts), so
 * a user whose unit was replaced keeps seeing its territory.
 */
export async function up(db: Kysely<Database>): Promise<void> {
	await sql`
		CREATE TABLE unit_lineage (
			new_code VARCHAR NOT NULL,
			old_code VARCHAR NOT NULL,
			changed_on DATE NOT NULL,
			-- Only part of the old unit went into the new one (the rest went elsewhere).
			partial BOOLEAN NOT NULL DEFAULT false,
			PRIMARY KEY (new_code, old_code, changed_on)
		);
	`.execute(db);
}
