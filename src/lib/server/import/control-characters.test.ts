/**
 * Control characters in a cell are row errors in every kind and format (issue 10: a dossier code
 * with terminal escape sequences was stored). The value is given as written: the CLI prints it
 * escaped (src/cli/terminal.ts), the API as JSON.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROCEDURES_CSV, tempStore, UNITS_CSV, type TempStore } from '../testing/fixtures';
import { ImportRejected } from './errors';
import { importFile } from './run';

let store: TempStore;

beforeAll(async () => {
	store = await tempStore('kpi-control-');
	await importFile(store.db, 'units', store.file('units.csv', UNITS_CSV));
	await importFile(store.db, 'procedures', store.file('procedures.csv', PROCEDURES_CSV));
});
afterAll(() => store.dispose());

const HEADER = 'dossier_code,procedure_code,unit_code,channel,received_at';

async function refusal(kind: 'dossiers' | 'units', name: string, content: string) {
	const error = await importFile(store.db, kind, store.file(name, content)).catch(
		(e: unknown) => e
	);
	expect(error).toBeInstanceOf(ImportRejected);
	return (error as Error).message;
}

describe('control characters in cells', () => {
	it('refuses a dossier code holding terminal escape sequences, by file, row and column', async () => {
		const csv = `${HEADER}\n\x1b[31mESC-1\x1b]0;pwned\x07,2.000488,42-STP,2,2024-01-10\n`;
		expect(await refusal('dossiers', 'esc.csv', csv)).toBe(
			'esc.csv:2: dossier_code: control character U+001B at position 1; remove it (\x1b[31mESC-1\x1b]0;pwned\x07)'
		);
		expect(await store.db.selectFrom('dossiers').select('dossier_code').execute()).toEqual([]);
	});

	it('refuses DEL and C1 controls in any column, by their code point and place', async () => {
		const csv = `${HEADER}\nOK-1,2.000488,42-STP,2,2024-01-10\nA\u0085B,2.000488,42-STP\x7f,2,2024-01-10\n`;
		expect((await refusal('dossiers', 'c1.csv', csv)).split('\n')).toEqual([
			'c1.csv:3: dossier_code: control character U+0085 at position 2; remove it (A\u0085B)',
			'c1.csv:3: unit_code: control character U+007F at position 7; remove it (42-STP\x7f)',
			'c1.csv:3: unit_code: unknown unit code; import the units first (42-STP\x7f)'
		]);
	});

	it('refuses them in JSON strings and in other kinds', async () => {
		const json = JSON.stringify([
			{
				dossier_code: 'N\u0000UL',
				procedure_code: '2.000488',
				unit_code: '42-STP',
				channel: '2',
				received_at: '2024-01-10'
			}
		]);
		expect(await refusal('dossiers', 'nul.json', json)).toBe(
			'nul.json:2: dossier_code: control character U+0000 at position 2; remove it (N\u0000UL)'
		);
		const units = 'code,name,level,parent_code\n42-X,Sở\x1bX,department,42\n';
		expect(await refusal('units', 'units.csv', units)).toBe(
			'units.csv:2: name: control character U+001B at position 3; remove it (Sở\x1bX)'
		);
	});

	it('accepts tabs and line breaks inside a cell', async () => {
		const csv = `${HEADER}\n"TAB\tLF\nCR\r1",2.000488,42-STP,2,2024-01-10\n`;
		const result = await importFile(store.db, 'dossiers', store.file('tab.csv', csv));
		expect(result.inserted).toBe(1);
	});
});
