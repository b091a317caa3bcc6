import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempStore, type TempStore } from '../testing/fixtures';
import { isWriteConflict, serialWrite } from './writes';
import type { Database } from './schema';

let store: TempStore;
let db: Kysely<Database>;

beforeAll(async () => {
	store = await tempStore('kpi-writes-');
	db = store.db;
	await sql`CREATE TABLE counter (id INTEGER PRIMARY KEY, n INTEGER NOT NULL);
		INSERT INTO counter VALUES (1, 0)`.execute(db);
});
afterAll(() => store.dispose());

/** Read, then write what was read plus one, in one transaction: the shape of a throttle counter. */
const increment = () =>
	db.transaction().execute(async (trx) => {
		const { rows } = await sql<{ n: number }>`SELECT n FROM counter WHERE id = 1`.execute(trx);
		await sql`UPDATE counter SET n = ${rows[0].n + 1} WHERE id = 1`.execute(trx);
	});

const count = async () =>
	(await sql<{ n: number }>`SELECT n FROM counter WHERE id = 1`.execute(db)).rows[0].n;

describe('serialised small writes', () => {
	it('loses increments to write conflicts when twenty run at once unqueued (why the queue exists)', async () => {
		await sql`UPDATE counter SET n = 0`.execute(db);
		const outcomes = await Promise.allSettled(Array.from({ length: 20 }, increment));
		const conflicts = outcomes.filter(
			(o) => o.status === 'rejected' && isWriteConflict(o.reason)
		).length;
		expect(conflicts).toBeGreaterThan(0);
		expect(await count()).toBe(20 - conflicts);
	});

	it('counts all twenty increments when they go through the queue', async () => {
		await sql`UPDATE counter SET n = 0`.execute(db);
		await Promise.all(Array.from({ length: 20 }, () => serialWrite(db, increment)));
		expect(await count()).toBe(20);
	});

	it('runs a write queued inside a queued write at once instead of waiting for itself', async () => {
		await sql`UPDATE counter SET n = 0`.execute(db);
		await serialWrite(db, async () => {
			await serialWrite(db, increment);
			await serialWrite(db, increment);
		});
		expect(await count()).toBe(2);
	});

	it('goes on with the next write after one that failed, and gives the failure to its caller', async () => {
		const failed = serialWrite(db, async () => {
			throw new Error('the first write fails');
		});
		const next = serialWrite(db, increment);
		await expect(failed).rejects.toThrow('the first write fails');
		await expect(next).resolves.toBeUndefined();
	});

	it('retries a write that conflicts with a transaction outside the queue', async () => {
		await sql`UPDATE counter SET n = 0`.execute(db);
		// Ten unqueued increments race with ten queued ones: only unqueued ones may be lost.
		const outcomes = await Promise.allSettled(
			Array.from({ length: 20 }, (_, i) => (i % 2 ? serialWrite(db, increment) : increment()))
		);
		const queuedFailures = outcomes.filter((o, i) => i % 2 === 1 && o.status === 'rejected');
		expect(queuedFailures).toEqual([]);
		const lost = outcomes.filter((o) => o.status === 'rejected').length;
		expect(await count()).toBe(20 - lost);
	});
});
