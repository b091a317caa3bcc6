/**
 * JSON records too big for DuckDB's reader, and its other errors, in our words with the row
 * (issue 10: a 300 MB string gave DuckDB's own text and the server's temporary path).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROCEDURES_CSV, tempStore, UNITS_CSV, type TempStore } from '../../testing/fixtures';
import { ImportRejected, readerReason } from '../errors';
import { importFile } from '../run';
import { firstRecordOver } from './json-records';

let store: TempStore;

beforeAll(async () => {
	store = await tempStore('kpi-json-records-');
	await importFile(store.db, 'units', store.file('units.csv', UNITS_CSV));
	await importFile(store.db, 'procedures', store.file('procedures.csv', PROCEDURES_CSV));
});
afterAll(() => store.dispose());

const DOSSIER = {
	dossier_code: 'HS-1',
	procedure_code: '2.000488',
	unit_code: '42-STP',
	channel: '2',
	received_at: '2024-01-10'
};
const TOO_BIG =
	'a record of more than 16 MB; at most 16 MB a record can be imported (a field may hold a whole document: leave it out of the export)';

async function refusal(name: string, content: string): Promise<string> {
	const error = await importFile(store.db, 'dossiers', store.file(name, content)).catch(
		(e: unknown) => e
	);
	expect(error).toBeInstanceOf(ImportRejected);
	expect(await store.db.selectFrom('dossiers').select('dossier_code').execute()).toEqual([]);
	return (error as Error).message;
}

describe('a JSON record too big to import', () => {
	it('is refused by its row when it holds a 17 MB string (DuckDB reads up to 32 MB)', async () => {
		const big = { ...DOSSIER, dossier_code: 'HS-2', ghi_chu: 'x'.repeat(17 << 20) };
		expect(await refusal('big.json', JSON.stringify([DOSSIER, big]))).toBe(
			`big.json:3: ${TOO_BIG}`
		);
	});

	it('is refused by its row, in our words, when DuckDB refuses it (33 MB, NDJSON)', async () => {
		const big = { ...DOSSIER, ghi_chu: 'x'.repeat(33 << 20) };
		const message = await refusal(
			'big.ndjson',
			`${JSON.stringify(DOSSIER)}\n${JSON.stringify(big)}\n`
		);
		expect(message).toBe(`big.ndjson:3: ${TOO_BIG}`);
	});

	it('is found in the file by its place, brackets and quotes inside strings not counted', async () => {
		const file = store.file(
			'records.json',
			'[{"a":"],[{\\"},"}, [1,2,3],\n  {"a":"0123456789abc"}, {"a":1}]'
		);
		expect(await firstRecordOver(file, 'array', 16)).toBe(3);
		expect(await firstRecordOver(file, 'array', 100)).toBe(null);
		const lines = store.file('records.ndjson', '{"a":1}\n\n{"a":"0123456789abc"}\n');
		expect(await firstRecordOver(lines, 'newline_delimited', 16)).toBe(2);
	});
});

describe("DuckDB's reader errors", () => {
	it('name the record and row of malformed JSON in an array', async () => {
		const json = `[${JSON.stringify(DOSSIER)},\n{"dossier_code": HS-2}]`;
		expect(await refusal('broken.json', json)).toBe(
			'broken.json:3: not valid JSON in record 2: unexpected character'
		);
	});

	it('never name the import’s temporary folder, nor the error class', () => {
		const error = new Error(
			'Invalid Input Error: "maximum_object_size" of 16777216 bytes exceeded while reading file "/tmp/kpi-import-Do7j9X/input.json" (>33554427 bytes).'
		);
		expect(readerReason(error, 'dump.json')).toBe(
			'"maximum_object_size" of 16777216 bytes exceeded while reading file "dump.json" (>33554427 bytes)'
		);
	});
});
