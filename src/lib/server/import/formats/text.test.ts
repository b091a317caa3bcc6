/**
 * A byte that is not UTF-8 is reported on the row it is on, wherever it is in the file (issue 10:
 * beyond the first 64 KB every bad byte was "row 1").
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROCEDURES_CSV, tempStore, UNITS_CSV, type TempStore } from '../../testing/fixtures';
import { importFile } from '../run';

let store: TempStore;

beforeAll(async () => {
	store = await tempStore('kpi-text-');
	await importFile(store.db, 'units', store.file('units.csv', UNITS_CSV));
	await importFile(store.db, 'procedures', store.file('procedures.csv', PROCEDURES_CSV));
});
afterAll(() => store.dispose());

const HEADER = 'dossier_code,procedure_code,unit_code,channel,received_at';
/** 50 bytes a line with its line break, under the 58 of the header. */
const start = (n: number) => HEADER.length + 1 + 50 * (n - 2);
const row = (n: number) =>
	`HS-${String(n).padStart(10, '0')},1.001193,42,online,2025-05-02 08:00\n`;

/** A CSV of `rows` lines (the header and dossiers); `edit` changes the bytes before writing. */
function csv(rows: number, edit: (bytes: Buffer) => void): Buffer {
	const text = [`${HEADER}\n`];
	for (let n = 2; n <= rows; n++) text.push(row(n));
	const bytes = Buffer.from(text.join(''), 'utf8');
	expect(bytes.length).toBe(start(rows + 1));
	edit(bytes);
	return bytes;
}

const NOT_UTF8 =
	'is not UTF-8 text (the file may be in Windows-1258 or another old Vietnamese encoding); save it again as "CSV UTF-8"';

async function message(name: string, bytes: Buffer): Promise<string> {
	const error = await importFile(store.db, 'dossiers', store.file(name, bytes)).catch(
		(e: unknown) => e
	);
	return (error as Error).message;
}

describe('a byte that is not UTF-8', () => {
	it('is reported on its row within the first 64 KB', async () => {
		const bytes = csv(2_000, (b) => (b[start(100) + 3] = 0xe0));
		expect(await message('head.csv', bytes)).toBe(`head.csv: row 100 ${NOT_UTF8}`);
	});

	it('is reported on its row past the first 64 KB (row 1,500, byte 74,961)', async () => {
		const bytes = csv(2_000, (b) => (b[start(1_500) + 3] = 0xe0));
		expect(await message('past-64k.csv', bytes)).toBe(`past-64k.csv: row 1500 ${NOT_UTF8}`);
	});

	it('is reported on its row past the first read of 1 MiB, after a character cut by that read', async () => {
		// An "ệ" (3 bytes) of row 20,972 sits across byte 1,048,576, where the first read ends.
		const bytes = csv(30_000, (b) => {
			expect(start(20_972) < 1_048_575 && 1_048_577 < start(20_973)).toBe(true);
			Buffer.from('ệ').copy(b, 1_048_575);
			b[start(25_001) + 3] = 0xff;
		});
		expect(await message('past-1m.csv', bytes)).toBe(`past-1m.csv: row 25001 ${NOT_UTF8}`);
	});
});
