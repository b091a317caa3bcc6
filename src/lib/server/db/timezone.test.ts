/**
 * Every time stored and shown is Vietnam time, whatever the machine's clock zone (issue 11: a
 * server set to UTC showed import times 7 hours early). The store is opened in child processes
 * whose TZ is UTC and America/Los_Angeles, since a process reads its zone once.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { UNITS_CSV } from '../testing/fixtures';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '../../../..');
// Inside the project (tests/tmp is git-ignored), so that the script finds its packages.
mkdirSync(path.join(ROOT, 'tests', 'tmp'), { recursive: true });
const dir = mkdtempSync(path.join(ROOT, 'tests', 'tmp', 'kpi-tz-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SCRIPT = `
import { sql } from 'kysely';
import { openStore } from ${JSON.stringify(path.join(HERE, '../store.ts'))};
import { importFile } from ${JSON.stringify(path.join(HERE, '../import/run.ts'))};
import { createSession } from ${JSON.stringify(path.join(HERE, '../auth/sessions.ts'))};
const store = await openStore(process.argv[2]);
await importFile(store.db, 'units', process.argv[3]);
const { rows } = await sql\`SELECT started_at::VARCHAR AS started,
	(SELECT applied_at::VARCHAR FROM schema_migrations ORDER BY version LIMIT 1) AS migrated
	FROM import_batches\`.execute(store.db);
await store.db.insertInto('users').values({ id: 'u', username: 'u', password_hash: 'x',
	role: 'leader', unit_code: '42', locale: 'vi', disabled: false,
	created_at: '2026-01-01 00:00:00', password_changed_at: '2026-01-01 00:00:00' }).execute();
await createSession(store.db, 'u');
const session = await sql\`SELECT created_at::VARCHAR AS created FROM sessions\`.execute(store.db);
console.log(JSON.stringify({ ...rows[0], session: session.rows[0].created }));
await store.close();
`;

/** Seconds between a stored wall-clock time and Vietnam's wall clock now. */
const offFromVietnam = (local: string) =>
	Math.abs(Date.parse(`${local.slice(0, 19).replace(' ', 'T')}+07:00`) - Date.now()) / 1000;

describe('times in a process whose clock zone is not Vietnam', () => {
	for (const zone of ['UTC', 'America/Los_Angeles']) {
		it(`stores import, migration and session times in Vietnam time with TZ=${zone}`, () => {
			const script = path.join(dir, `tz-${zone.replace('/', '-')}.mts`);
			writeFileSync(script, SCRIPT);
			const units = path.join(dir, 'units.csv');
			writeFileSync(units, UNITS_CSV);
			const run = spawnSync(
				path.join(ROOT, 'node_modules', '.bin', 'tsx'),
				[script, path.join(dir, `${zone.replace('/', '-')}.duckdb`), units],
				{ cwd: ROOT, env: { ...process.env, TZ: zone }, encoding: 'utf8' }
			);
			expect(run.status, run.stderr).toBe(0);
			const times = JSON.parse(run.stdout.trim().split('\n').at(-1)!);
			for (const [what, local] of Object.entries(times)) {
				expect(offFromVietnam(String(local)), `${what} ${local}`).toBeLessThan(120);
			}
		});
	}
});
