import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema';

/**
 * Usernames become case-insensitive (issue 10): `ADMIN` and `admin` were two accounts sharing one
 * throttle counter. Every username is stored in lower case from now on. Where two accounts differ
 * only in case, the older keeps the name and the newer ones are renamed `<name>-2`, `-3`…, with
 * an audit entry, so an administrator sees the change and can tell its owner.
 */
export async function up(db: Kysely<Database>): Promise<void> {
	const { rows } = await sql<{ id: string; username: string }>`SELECT id, username FROM users
		ORDER BY created_at, id`.execute(db);
	const taken = new Set<string>();
	const renames: { id: string; from: string; to: string }[] = [];
	for (const row of rows) {
		const lower = row.username.toLowerCase();
		let name = lower;
		for (let n = 2; taken.has(name); n++) name = `${lower}-${n}`;
		taken.add(name);
		if (name !== row.username) renames.push({ id: row.id, from: row.username, to: name });
	}
	// In two steps: a name wanted by one account may still be held by another one being renamed.
	for (const { id } of renames) {
		await sql`UPDATE users SET username = ${`renaming ${id}`} WHERE id = ${id}`.execute(db);
	}
	for (const { id, from, to } of renames) {
		await sql`UPDATE users SET username = ${to} WHERE id = ${id}`.execute(db);
		if (to === from.toLowerCase()) continue;
		await sql`INSERT INTO audit_log (logged_at, user_id, username, action, detail)
			VALUES (current_localtimestamp(), ${id}, 'migration', 'user.rename',
				${JSON.stringify({ from, to, why: 'usernames differing only in case' })})`.execute(db);
	}
}
