/**
 * A path names one file (issue 10: `import dossiers 'glob*.csv'` read files that were never named,
 * DuckDB's readers expanding it as a pattern, while the log hashed only the named file).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PROCEDURES_CSV, tempStore, UNITS_CSV, type TempStore } from '../testing/fixtures';
import { ImportRejected } from './errors';
import { importFile } from './run';

let store: TempStore;

beforeEach(async () => {
	store = await tempStore('kpi-paths-');
	await importFile(store.db, 'units', store.file('units.csv', UNITS_CSV));
	await importFile(store.db, 'procedures', store.file('procedures.csv', PROCEDURES_CSV));
});
afterEach(() => store.dispose());

const HEADER = 'dossier_code,procedure_code,unit_code,channel,received_at';
const dossier = (code: string) => `${HEADER}\n${code},1.001193,42,online,2025-05-02\n`;

async function storedCodes(): Promise<string[]> {
	const rows = await store.db.selectFrom('dossiers').select('dossier_code').execute();
	return rows.map((r) => r.dossier_code).sort();
}

async function refusal(file: string): Promise<string> {
	const error = await importFile(store.db, 'dossiers', file).catch((e: unknown) => e);
	expect(error).toBeInstanceOf(ImportRejected);
	return (error as Error).message;
}

describe('an import path is literal', () => {
	it('imports the file literally named glob*.csv alone, not glob1.csv and glob2.csv beside it', async () => {
		store.file('glob1.csv', dossier('ONE'));
		store.file('glob2.csv', dossier('TWO'));
		const named = store.file('glob*.csv', dossier('STAR'));
		const result = await importFile(store.db, 'dossiers', named);
		expect([result.rows, result.inserted]).toEqual([1, 1]);
		expect(await storedCodes()).toEqual(['STAR']);
		const batch = await store.db
			.selectFrom('import_batches')
			.select(['file_name', 'sha256'])
			.where('id', '=', result.batchId)
			.executeTakeFirstOrThrow();
		expect(batch).toEqual({
			file_name: 'glob*.csv',
			sha256: createHash('sha256').update(readFileSync(named)).digest('hex')
		});
	});

	it('reads a[1].csv, not a1.csv, which the pattern [1] would name', async () => {
		store.file('a1.csv', dossier('PATTERN'));
		const result = await importFile(
			store.db,
			'dossiers',
			store.file('a[1].csv', dossier('LITERAL'))
		);
		expect(result.inserted).toBe(1);
		expect(await storedCodes()).toEqual(['LITERAL']);
	});

	it('reads JSON, Parquet and XLSX files with pattern characters in their names as they are', async () => {
		store.file(
			'j1.json',
			JSON.stringify([
				{
					MaHoSo: 'OTHER',
					MaTTHC: '1.001193',
					MaDonVi: '42',
					KenhThucHien: 2,
					NgayTiepNhan: '2025-05-02'
				}
			])
		);
		const json = store.file(
			'j?.json',
			JSON.stringify([
				{
					MaHoSo: 'JSON',
					MaTTHC: '1.001193',
					MaDonVi: '42',
					KenhThucHien: 2,
					NgayTiepNhan: '2025-05-02'
				}
			])
		);
		await importFile(store.db, 'dossiers', json);
		const book = new ExcelJS.Workbook();
		book
			.addWorksheet('Sheet1')
			.addRows([HEADER.split(','), ['XLSX', '1.001193', '42', 'online', '2025-05-03']]);
		const xlsx = path.join(store.dir, 'x{1,2}.xlsx');
		await book.xlsx.writeFile(xlsx);
		await importFile(store.db, 'dossiers', xlsx);
		const parquet = (code: string, name: string) =>
			sql`COPY (SELECT ${code} AS dossier_code, '1.001193' AS procedure_code, '42' AS unit_code,
				'online' AS channel, TIMESTAMP '2025-05-04 08:00' AS received_at)
				TO ${sql.lit(path.join(store.dir, name))} (FORMAT parquet)`.execute(store.db);
		await parquet('OTHER', 'p1.parquet');
		await parquet('PARQUET', 'p[1].parquet');
		await importFile(store.db, 'dossiers', path.join(store.dir, 'p[1].parquet'));
		expect(await storedCodes()).toEqual(['JSON', 'PARQUET', 'XLSX']);
	});

	it('refuses a pattern that names no file, though files match it, and changes nothing', async () => {
		store.file('glob1.csv', dossier('ONE'));
		store.file('glob2.csv', dossier('TWO'));
		expect(await refusal(path.join(store.dir, 'glob*.csv'))).toBe('glob*.csv: file not found');
		expect(await storedCodes()).toEqual([]);
	});

	it('refuses a folder, saying it needs one file', async () => {
		const folder = path.join(store.dir, 'exports.csv');
		mkdirSync(folder);
		expect(await refusal(folder)).toBe(
			'exports.csv: not a regular file; name one file (not a folder or a pattern)'
		);
	});
});
