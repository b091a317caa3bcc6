/**
 * What an import leaves in the system's temp folder while it runs and after (issue 10: the CSV
 * that XLSX imports wrote was world-readable): a private folder (0700) holding a private CSV
 * (0600), and nothing once the import is over, accepted or rejected.
 */
import { lstatSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PROCEDURES_CSV, tempStore, UNITS_CSV, type TempStore } from '../testing/fixtures';
import { importFile } from './run';

let store: TempStore;
let temp: string;
const savedTmpdir = process.env.TMPDIR;

beforeEach(async () => {
	store = await tempStore('kpi-workspace-');
	await importFile(store.db, 'units', store.file('units.csv', UNITS_CSV));
	await importFile(store.db, 'procedures', store.file('procedures.csv', PROCEDURES_CSV));
	// os.tmpdir() reads TMPDIR on every call: the import's temp files land where the test looks.
	temp = mkdtempSync(path.join(tmpdir(), 'kpi-watched-'));
	process.env.TMPDIR = temp;
});
afterEach(async () => {
	if (savedTmpdir === undefined) delete process.env.TMPDIR;
	else process.env.TMPDIR = savedTmpdir;
	rmSync(temp, { recursive: true, force: true });
	await store.dispose();
});

/** A sheet of `rows` dossiers, the last one with `lastReceived` as its date. */
async function sheet(rows: number, lastReceived: string): Promise<string> {
	const book = new ExcelJS.Workbook();
	const data = book.addWorksheet('Sổ theo dõi');
	data.addRow(['dossier_code', 'procedure_code', 'unit_code', 'channel', 'received_at']);
	for (let i = 1; i <= rows; i++) {
		data.addRow([`HS-${i}`, '1.001193', '42', 'online', i === rows ? lastReceived : '2025-05-02']);
	}
	const file = path.join(store.dir, 'so.xlsx');
	await book.xlsx.writeFile(file);
	return file;
}

/** Every file and folder under `dir` with its permission bits, seen while `work` runs. */
async function watch(dir: string, work: () => Promise<unknown>) {
	const seen = new Map<string, number>();
	const look = () => {
		for (const entry of readdirSync(dir, { recursive: true }) as string[]) {
			try {
				const info = lstatSync(path.join(dir, entry));
				// The link to the file being imported has no permissions of its own.
				if (info.isSymbolicLink()) continue;
				seen.set(`${info.isDirectory() ? 'folder' : 'file'} ${entry}`, info.mode & 0o777);
			} catch {
				/* removed between the listing and the stat */
			}
		}
	};
	const timer = setInterval(look, 2);
	try {
		await work();
	} finally {
		clearInterval(timer);
	}
	return seen;
}

describe("an XLSX import's temporary CSV", () => {
	it('is written 0600 inside a 0700 folder, and both are gone after the import', async () => {
		const file = await sheet(20_000, '2025-05-03');
		const seen = await watch(temp, () => importFile(store.db, 'dossiers', file));
		const csvs = [...seen].filter(([entry]) => entry.endsWith('.csv'));
		expect(csvs.length).toBeGreaterThan(0);
		for (const [entry, mode] of seen) {
			expect([entry, mode.toString(8)]).toEqual([
				entry,
				entry.startsWith('folder') ? '700' : '600'
			]);
		}
		expect(csvs.map(([entry]) => entry.replace(/-\w+\//, '-…/'))).toEqual([
			'file kpi-import-…/sheet.csv'
		]);
		expect(readdirSync(temp)).toEqual([]);
	});

	it('is removed when the file is rejected', async () => {
		const file = await sheet(20_000, '9999-12-31');
		const seen = await watch(temp, () =>
			expect(importFile(store.db, 'dossiers', file)).rejects.toThrow(
				'so.xlsx:20001: received_at: not a plausible date'
			)
		);
		expect([...seen].some(([entry]) => entry.endsWith('.csv'))).toBe(true);
		expect(readdirSync(temp)).toEqual([]);
	});
});
