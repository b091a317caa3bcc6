import { statSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempStore, UNITS_CSV, type TempStore } from '../testing/fixtures';
import { migrations } from '../db/migrations';
import { executeCommand } from '.';

let store: TempStore;
const quiet = { out: () => {}, err: () => {} };

beforeAll(async () => {
	store = await tempStore('kpi-commands-');
});
afterAll(() => store?.dispose());

async function auditEntries() {
	return store.db
		.selectFrom('audit_log')
		.select(['action', 'username', 'detail'])
		.orderBy('id')
		.execute();
}

describe('commands in the audit log', () => {
	it('records an import with its counts, and a rejected one with its number of errors', async () => {
		const good = store.file('units.csv', UNITS_CSV);
		const bad = store.file('bad.csv', 'code,name,level,parent_code\n42,Tỉnh,nation,\n');
		const run = (file: string, displayName: string) =>
			executeCommand(store, { name: 'import', kind: 'units', file, displayName }, quiet);
		expect(await run(good, 'units.csv')).toBe(0);
		expect(await run(bad, 'bad.csv')).toBe(1);
		const entries = await auditEntries();
		expect(entries.map((e) => [e.action, e.username])).toEqual([
			['import', 'cli'],
			['import.rejected', 'cli']
		]);
		expect(JSON.parse(entries[0].detail!)).toMatchObject({
			kind: 'units',
			file: 'units.csv',
			rows: 6,
			inserted: 6,
			updated: 0,
			unchanged: 0
		});
		expect(JSON.parse(entries[1].detail!)).toEqual({
			kind: 'units',
			file: 'bad.csv',
			batch: 2,
			errors: 1
		});
	});

	it('records a backup with its file and size, and refuses a restore on the store it holds open', async () => {
		const file = path.join(store.dir, 'backup.duckdb');
		const lines: string[] = [];
		const io = { out: (l: string) => lines.push(l), err: (l: string) => lines.push(`err ${l}`) };
		const backup = { name: 'backup', file, displayName: 'backup.duckdb', force: false } as const;
		expect(await executeCommand(store, backup, io)).toBe(0);
		const entry = (await auditEntries()).at(-1)!;
		expect([entry.action, entry.username]).toEqual(['backup', 'cli']);
		expect(JSON.parse(entry.detail!)).toEqual({
			file,
			bytes: statSync(file).size,
			schema_version: Math.max(...migrations.map((m) => m.version))
		});
		const restore = { name: 'restore', file, displayName: 'backup.duckdb' } as const;
		expect(await executeCommand(store, restore, io)).toBe(1);
		expect(lines.at(-1)).toBe(
			`err restore replaces the database file, and a server is running on ${store.path}: ` +
				'stop the server, then run restore again; nothing was changed'
		);
	});
});
