/**
 * Files too wide or too big to hold are refused before they are read (issue 10: a wide file and
 * an XLSX bomb took the server process past 1 GB). The peak memory is measured by hand (the
 * commit message has the figures); these tests name each refusal.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROCEDURES_CSV, tempStore, UNITS_CSV, type TempStore } from '../testing/fixtures';
import { ImportRejected } from './errors';
import { importFile } from './run';

let store: TempStore;

beforeAll(async () => {
	store = await tempStore('kpi-limits-');
	await importFile(store.db, 'units', store.file('units.csv', UNITS_CSV));
	await importFile(store.db, 'procedures', store.file('procedures.csv', PROCEDURES_CSV));
});
afterAll(() => store.dispose());

const HEADER = ['dossier_code', 'procedure_code', 'unit_code', 'channel', 'received_at'];
const DOSSIER = ['HS-1', '1.001193', '42', 'online', '2025-05-02'];
/** 295 more columns: 300 in all. */
const EXTRA = Array.from({ length: 295 }, (_, i) => `ghi_chu_${i + 1}`);

async function refusal(file: string): Promise<string> {
	const error = await importFile(store.db, 'dossiers', file).catch((e: unknown) => e);
	expect(error).toBeInstanceOf(ImportRejected);
	const rows = await store.db.selectFrom('dossiers').select('dossier_code').execute();
	expect(rows).toEqual([]);
	return (error as Error).message;
}

async function workbook(rows: unknown[][], name: string): Promise<string> {
	const book = new ExcelJS.Workbook();
	book.addWorksheet('Sheet1').addRows(rows);
	const file = path.join(store.dir, name);
	await book.xlsx.writeFile(file);
	return file;
}

const WIDE =
	'has 300 columns; at most 256 can be imported (remove the columns the import does not use)';

describe('files too wide', () => {
	it('refuses a CSV whose header has 300 columns', async () => {
		const csv = `${[...HEADER, ...EXTRA].join(',')}\n${[...DOSSIER, ...EXTRA.map(() => 'x')].join(',')}\n`;
		expect(await refusal(store.file('wide.csv', csv))).toBe(`wide.csv: the header (row 1) ${WIDE}`);
	});

	it('refuses an XLSX with a row of 300 cells', async () => {
		const file = await workbook([[...HEADER, ...EXTRA], DOSSIER], 'wide.xlsx');
		expect(await refusal(file)).toBe(`wide.xlsx: row 1 of the first sheet ${WIDE}`);
	});

	it('refuses JSON records with 300 keys between them', async () => {
		const record = Object.fromEntries([
			...HEADER.map((h, i) => [h, DOSSIER[i]]),
			...EXTRA.map((k) => [k, 'x'])
		]);
		expect(await refusal(store.file('wide.json', JSON.stringify([record])))).toBe(
			`wide.json: the records together ${WIDE}`
		);
	});

	it('refuses a Parquet file of 300 columns', async () => {
		const file = path.join(store.dir, 'wide.parquet');
		const columns = [...HEADER, ...EXTRA].map(
			(c, i) => sql`${i < 5 ? DOSSIER[i] : 'x'} AS ${sql.id(c)}`
		);
		await sql`COPY (SELECT ${sql.join(columns)}) TO ${sql.lit(file)} (FORMAT parquet)`.execute(
			store.db
		);
		expect(await refusal(file)).toBe(`wide.parquet: the file ${WIDE}`);
	});
});

describe('cells too big', () => {
	it('refuses a CSV row longer than 1 MB, which DuckDB would drop without a word', async () => {
		const csv = `${HEADER.join(',')},note\n${DOSSIER.join(',')},${'x'.repeat(1_100_000)}\n`;
		expect(await refusal(store.file('long.csv', csv))).toBe(
			'long.csv: row 2 is longer than 1 MB (a cell may lack its closing quote); at most 1 MB a row can be imported'
		);
	});

	it("refuses an XLSX cell longer than Excel's 32,767 characters", async () => {
		const file = await workbook(
			[
				[...HEADER, 'note'],
				[...DOSSIER, 'x'.repeat(40_000)]
			],
			'long.xlsx'
		);
		expect(await refusal(file)).toBe(
			'long.xlsx: a cell of more than 32767 characters (shared string 12 of the workbook); an Excel cell holds at most 32767'
		);
	});

	it('refuses an XLSX whose shared strings declare 200 MB unzipped, before unzipping them', async () => {
		const file = await workbook([HEADER, DOSSIER], 'bomb.xlsx');
		// The central directory's entry for xl/sharedStrings.xml: uncompressed size at offset 24.
		const bytes = readFileSync(file);
		const name = Buffer.from('xl/sharedStrings.xml');
		let entry = -1;
		for (let at = bytes.indexOf(0x50); at >= 0; at = bytes.indexOf(0x50, at + 1)) {
			if (
				bytes.readUInt32LE(at) === 0x02014b50 &&
				bytes
					.subarray(at + 46)
					.subarray(0, name.length)
					.equals(name)
			) {
				entry = at;
			}
		}
		expect(entry).toBeGreaterThan(0);
		bytes.writeUInt32LE(200 << 20, entry + 24);
		writeFileSync(file, bytes);
		expect(await refusal(file)).toBe(
			"bomb.xlsx: the workbook's text cells take 200 MB unzipped; at most 100 MB can be imported (split the file, or save it as CSV UTF-8)"
		);
	});
});
