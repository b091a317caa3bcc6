import { createHash } from 'node:crypto';
import {
	existsSync,
	mkdirSync,
	readdirSync,
	readFileSync,
	statSync,
	truncateSync,
	writeFileSync
} from 'node:fs';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { Kysely, sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPERATOR } from '../auth/scope';
import { DuckDBDialect } from '../db/dialect';
import { migrate } from '../db/migrate';
import { migrations } from '../db/migrations';
import type { Database } from '../db/schema';
import { importFile } from '../import/run';
import { unitReport } from '../overview';
import { openStore } from '../store';
import { PROCEDURES_CSV, tempStore, UNITS_CSV, type TempStore } from '../testing/fixtures';
import { NotABackup } from './check';
import { restoreBackup } from './restore';
import { BackupRefused, writeBackup } from './snapshot';

const PERIOD = { from: '2025-07-01', to: '2025-12-31' };
/** This build's schema version, and every version it knows. */
const LATEST = Math.max(...migrations.map((m) => m.version));
const KNOWN = migrations.map((m) => m.version).join(', ');

/** `count` dossiers of Xã Đồng Lộc (18100) from July 2025, every third one online. */
function dossiersCsv(count: number, prefix = 'HS'): string {
	const rows = ['dossier_code,procedure_code,unit_code,channel,received_at,completed_at'];
	for (let i = 0; i < count; i++) {
		const day = String(1 + (i % 28)).padStart(2, '0');
		const month = String(7 + (i % 5)).padStart(2, '0');
		const channel = i % 3 === 0 ? 'online' : 'direct';
		const completed = i % 2 === 0 ? `2025-${month}-${day}T16:00:00` : '';
		rows.push(
			`${prefix}-${i},1.001193,18100,${channel},2025-${month}-${day}T08:00:00,${completed}`
		);
	}
	return `${rows.join('\n')}\n`;
}

/** The small Hà Tĩnh of the fixtures with `dossiers` dossiers. */
async function storeWith(dossiers: number): Promise<TempStore> {
	const created = await tempStore('kpi-backup-');
	await importFile(created.db, 'units', created.file('units.csv', UNITS_CSV));
	await importFile(created.db, 'procedures', created.file('procedures.csv', PROCEDURES_CSV));
	await importFile(created.db, 'dossiers', created.file('dossiers.csv', dossiersCsv(dossiers)));
	return created;
}

let store: TempStore;

beforeAll(async () => {
	store = await storeWith(3000);
});
afterAll(() => store?.dispose());

const backupPath = (name: string) => path.join(store.dir, name);

/** A DuckDB file's answer to `query`, opened by DuckDB alone (nothing of ours runs on it). */
async function ask(file: string, query: string): Promise<unknown[][]> {
	const instance = await DuckDBInstance.create(file, { access_mode: 'READ_ONLY' });
	try {
		const connection = await instance.connect();
		const rows = (await connection.runAndReadAll(query)).getRows();
		connection.closeSync();
		return rows;
	} finally {
		instance.closeSync();
	}
}

/**
 * Changes a file with DuckDB alone, as another program (or another version of ours) would; the
 * rows of the last statement.
 */
async function alter(file: string, statements: string): Promise<unknown[][]> {
	const instance = await DuckDBInstance.create(file);
	try {
		const connection = await instance.connect();
		const rows = (await connection.runAndReadAll(statements)).getRows();
		connection.closeSync();
		return rows;
	} finally {
		instance.closeSync();
	}
}

async function kpiOf(file: string) {
	const opened = await openStore(file);
	try {
		return await unitReport(opened.db, OPERATOR, '42', PERIOD);
	} finally {
		await opened.close();
	}
}

describe('a backup', () => {
	it('holds every table row for row, and its sequences go on where the database left off', async () => {
		const file = backupPath('whole.duckdb');
		const written = await writeBackup(store.db, store.path, file);
		expect(written).toMatchObject({ file, schemaVersion: LATEST });
		expect(written.bytes).toBe(statSync(file).size);
		// Owner-only, as the database: it holds the accounts too.
		expect(statSync(file).mode & 0o777).toBe(0o600);
		expect(existsSync(`${file}.wal`)).toBe(false);
		for (const table of ['dossiers', 'unit_versions', 'procedures', 'import_batches']) {
			const { rows } = await sql<{
				n: number;
			}>`SELECT count(*)::INTEGER AS n FROM ${sql.table(table)}`.execute(store.db);
			expect(await ask(file, `SELECT count(*)::INTEGER FROM ${table}`)).toEqual([[rows[0].n]]);
		}
		expect(await ask(file, 'SELECT count(*)::INTEGER FROM dossiers')).toEqual([[3000]]);
		const { rows } = await sql<{
			id: number;
		}>`SELECT max(id)::INTEGER AS id FROM import_batches`.execute(store.db);
		expect(await alter(file, "SELECT nextval('import_batch_ids')::INTEGER")).toEqual([
			[rows[0].id + 1]
		]);
	});

	it('leaves out a transaction that has not committed when it starts, and holds it whole after', async () => {
		const own = await storeWith(3000);
		try {
			const during = path.join(own.dir, 'during.duckdb');
			await own.db.transaction().execute(async (trx) => {
				await sql`INSERT INTO dossiers SELECT * REPLACE ('T-' || dossier_code AS dossier_code)
					FROM dossiers`.execute(trx);
				// On another connection, while this one's 3,000 rows wait to commit.
				await writeBackup(own.db, own.path, during);
			});
			const after = path.join(own.dir, 'after.duckdb');
			await writeBackup(own.db, own.path, after);
			expect(await ask(during, 'SELECT count(*)::INTEGER FROM dossiers')).toEqual([[3000]]);
			expect(await ask(after, 'SELECT count(*)::INTEGER FROM dossiers')).toEqual([[6000]]);
		} finally {
			await own.dispose();
		}
	});

	it('refuses a file that is already there, and replaces it with force', async () => {
		const file = backupPath('existing.duckdb');
		writeFileSync(file, 'a file the operator keeps');
		await expect(writeBackup(store.db, store.path, file)).rejects.toThrow(
			new BackupRefused(`${file} already exists; choose another name, or add --force to replace it`)
		);
		expect(readFileSync(file, 'utf8')).toBe('a file the operator keeps');
		await writeBackup(store.db, store.path, file, { force: true });
		expect(await ask(file, 'SELECT count(*)::INTEGER FROM dossiers')).toEqual([[3000]]);
	});

	it('refuses to write over the database or its log, into a folder, or into a folder that is not there', async () => {
		for (const target of [store.path, `${store.path}.wal`]) {
			await expect(writeBackup(store.db, store.path, target, { force: true })).rejects.toThrow(
				`${target} is the database itself (or one of its files); write the backup to another file`
			);
		}
		await expect(writeBackup(store.db, store.path, store.dir)).rejects.toThrow(
			`${store.dir} is a folder; name the backup file`
		);
		const missing = path.join(store.dir, 'no-such-folder', 'kpi.duckdb');
		await expect(writeBackup(store.db, store.path, missing)).rejects.toThrow(
			`${path.dirname(missing)}: no such folder; create it first, or write elsewhere`
		);
	});

	it('never shows a file under its final name before the snapshot is complete', async () => {
		const own = await storeWith(200_000);
		const folder = path.join(own.dir, 'watched');
		mkdirSync(folder);
		const file = path.join(folder, 'kpi.duckdb');
		const seen: { names: string[]; size: number | null }[] = [];
		const watch = setInterval(() => {
			const names = readdirSync(folder);
			seen.push({
				names,
				size: names.includes('kpi.duckdb') ? statSync(file, { throwIfNoEntry: false })!.size : null
			});
		}, 1);
		const written = await writeBackup(own.db, own.path, file).finally(() => {
			clearInterval(watch);
			return own.dispose();
		});
		const whileWriting = seen.filter((s) => s.size === null);
		expect(whileWriting.some((s) => s.names.some((n) => /^\.kpi\.duckdb\.partial-/.test(n)))).toBe(
			true
		);
		expect(seen.filter((s) => s.size !== null).every((s) => s.size === written.bytes)).toBe(true);
		expect(seen.at(-1)?.names ?? []).not.toContain(expect.stringMatching(/partial/));
	});
});

describe('a restore', () => {
	let backup: string;

	beforeAll(async () => {
		backup = backupPath('to-restore.duckdb');
		await writeBackup(store.db, store.path, backup);
	});

	it('puts the database in a fresh folder, answering the same KPIs as the original', async () => {
		const database = path.join(store.dir, 'fresh', 'kpi.duckdb');
		const restored = await restoreBackup(backup, database);
		expect(restored).toEqual({ database, schemaVersion: LATEST, replacedKeptAs: null });
		expect(readdirSync(path.dirname(database))).toEqual(['kpi.duckdb']);
		const original = await unitReport(store.db, OPERATOR, '42', PERIOD);
		expect(original.kpis.online_submission_rate).toMatchObject({ numerator: 1000 });
		expect(await kpiOf(database)).toEqual(original);
		// The restore is in the restored database's own audit log.
		expect(
			await ask(database, "SELECT action, username FROM audit_log WHERE action = 'restore'")
		).toEqual([['restore', 'cli']]);
	});

	it('moves the database it replaces aside with its log, and leaves no log beside the restored one', async () => {
		const folder = path.join(store.dir, 'replace');
		const database = path.join(folder, 'kpi.duckdb');
		await restoreBackup(backup, database);
		await alter(database, "DELETE FROM dossiers WHERE dossier_code = 'HS-0'");
		writeFileSync(`${database}.wal`, 'a log of the database being replaced');
		const restored = await restoreBackup(backup, database);
		const aside = restored.replacedKeptAs!;
		expect(aside).toMatch(/\/kpi\.duckdb\.before-restore-\d{8}-\d{6}$/);
		expect(readdirSync(folder).sort()).toEqual(
			['kpi.duckdb', path.basename(aside), `${path.basename(aside)}.wal`].sort()
		);
		expect(readFileSync(`${aside}.wal`, 'utf8')).toBe('a log of the database being replaced');
		expect(await ask(database, 'SELECT count(*)::INTEGER FROM dossiers')).toEqual([[3000]]);
	});

	it('brings a backup of an older schema up to date', async () => {
		// A database of the version before this one: every migration but the newest.
		const older = backupPath('older.duckdb');
		const instance = await DuckDBInstance.create(older);
		const db = new Kysely<Database>({ dialect: new DuckDBDialect(instance) });
		try {
			await migrate(db, migrations.slice(0, -1));
		} finally {
			await db.destroy();
			instance.closeSync();
		}
		const database = path.join(store.dir, 'from-older', 'kpi.duckdb');
		// The version before the newest (versions need not be consecutive: a branch may lack one).
		const previous = migrations.at(-2)!.version;
		expect(await restoreBackup(older, database)).toMatchObject({ schemaVersion: previous });
		expect(await ask(database, 'SELECT max(version) FROM schema_migrations')).toEqual([[LATEST]]);
	});

	describe('refuses what is not a backup of ours, and leaves the current database as it was', () => {
		const refusals: [string, (file: string) => Promise<unknown>, RegExp][] = [
			[
				'a text file',
				async (file) => writeFileSync(file, 'dossier_code,unit_code\nHS-1,18100\n'),
				/: not a DuckDB database file, or not one this version can read \(IO Error: .*not a valid DuckDB database file/
			],
			['an empty file', async (file) => writeFileSync(file, ''), /: not a DuckDB database file/],
			[
				'a DuckDB file of another program',
				(file) => alter(file, 'CREATE TABLE orders (id INTEGER, total DECIMAL(10, 2))'),
				/: not a backup of this program's database: it has no schema_migrations table/
			],
			[
				'a DuckDB file with a schema_migrations of its own',
				(file) =>
					alter(
						file,
						"CREATE TABLE schema_migrations (version VARCHAR); INSERT INTO schema_migrations VALUES ('2024_01_init')"
					),
				/: not a backup of this program's database: its schema_migrations is not ours/
			],
			[
				'a backup from a newer version',
				async (file) => {
					await writeBackup(store.db, store.path, file);
					await alter(
						file,
						`INSERT INTO schema_migrations (version, name) VALUES (${LATEST + 1}, 'future')`
					);
				},
				new RegExp(
					`: made by a newer version of this program \\(schema version ${LATEST + 1}; this one knows up to ${LATEST}\\): restore it with that version, or update this one$`
				)
			],
			[
				'a backup with a migration this version does not have',
				async (file) => {
					await writeBackup(store.db, store.path, file);
					await alter(
						file,
						"INSERT INTO schema_migrations (version, name) VALUES (0, 'elsewhere')"
					);
				},
				new RegExp(
					`: has schema version 0, which this version of the program does not know \\(it knows ${KNOWN}\\)`
				)
			],
			[
				'a backup missing one of our tables',
				async (file) => {
					await writeBackup(store.db, store.path, file);
					await alter(file, 'DROP TABLE sessions');
				},
				/: not a backup of this program's database: it has no table sessions$/
			],
			[
				'a backup whose table lost a column',
				async (file) => {
					await writeBackup(store.db, store.path, file);
					await alter(file, 'ALTER TABLE dossiers DROP COLUMN rating');
				},
				/: not a backup of this program's database: its table dossiers has the columns \(dossier_code VARCHAR, .*\); schema version \d+ has \(.*rating VARCHAR, import_batch_id INTEGER\)$/
			],
			[
				'a backup cut short',
				async (file) => {
					await writeBackup(store.db, store.path, file);
					truncateSync(file, Math.floor(statSync(file).size / 2));
				},
				/: (not a DuckDB database file|cannot be read whole).*\(IO Error: Could not read enough bytes/
			]
		];

		let database: string;
		const fingerprint = () =>
			[
				createHash('sha256').update(readFileSync(database)).digest('hex'),
				...readdirSync(path.dirname(database)).sort()
			].join(' ');

		beforeAll(async () => {
			database = path.join(store.dir, 'current', 'kpi.duckdb');
			await restoreBackup(backup, database);
		});

		it.each(refusals)('%s', async (name, make, message) => {
			const file = backupPath(`${name.replaceAll(' ', '-')}.duckdb`);
			await make(file);
			const before = fingerprint();
			const refusal = await restoreBackup(file, database, 'the-file.duckdb').then(
				() => null,
				(error: unknown) => error
			);
			expect(refusal).toBeInstanceOf(NotABackup);
			expect((refusal as Error).message).toMatch(/^the-file\.duckdb: /);
			expect((refusal as Error).message).toMatch(message);
			expect(fingerprint()).toBe(before);
		});
	});
});
