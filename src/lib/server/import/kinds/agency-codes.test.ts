import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { tempStore, type TempStore } from '../../testing/fixtures';
import { ImportRejected } from '../errors';
import { undoImport, UndoRefused } from '../history/undo';
import { vietnameseReason } from '../reasons';
import { importFile } from '../run';

let store: TempStore;
beforeEach(async () => {
	store = await tempStore('kpi-agency-');
});
afterEach(() => store.dispose());

const HEADER = 'code,name,level,parent_code,valid_from,valid_to,agency_code';

/**
 * The fixtures' small Hà Tĩnh with agency codes, written as a clerk might (lower case, spaces
 * around): Mỹ Lộc has none, and the new Đồng Lộc (18100 since 01/07/2025) takes the code of
 * the district that ended the day before.
 */
const UNITS = `code,name,level,parent_code,valid_from,valid_to,Mã định danh
42,Tỉnh Hà Tĩnh,province,,,,000.00.00.H28
42-STP,Sở Tư pháp,department,42,,, 000.00.18.h28 
443,Huyện Can Lộc,district,42,,2025-06-30,000.00.27.H28
18100,Xã Thượng Lộc,commune,443,,2025-06-30,000.20.27.H28
18101,Xã Mỹ Lộc,commune,443,,2025-06-30,
18100,Xã Đồng Lộc,commune,42,2025-07-01,,000.00.27.H28
`;

async function agencies(): Promise<string[]> {
	const { rows } = await sql<{
		line: string;
	}>`SELECT code || ' ' || coalesce(CAST(valid_from AS VARCHAR), '-')
			|| ' ' || coalesce(agency_code, '-') AS line
		FROM unit_versions ORDER BY code, valid_from NULLS FIRST`.execute(store.db);
	return rows.map((r) => r.line);
}

async function rejected(name: string, content: string): Promise<string[]> {
	const before = await store.snapshot('unit_versions', 'id');
	const error = await importFile(store.db, 'units', store.file(name, content)).catch(
		(e: unknown) => e
	);
	expect(error).toBeInstanceOf(ImportRejected);
	expect(await store.snapshot('unit_versions', 'id')).toEqual(before);
	return (error as Error).message.split('\n');
}

describe('agency codes of units', () => {
	it('accepts agency codes, in capitals and trimmed, empty as none, and the same code again once the first holder has ended', async () => {
		const result = await importFile(store.db, 'units', store.file('u.csv', UNITS));
		expect(result.inserted).toBe(6);
		expect(await agencies()).toEqual([
			'18100 - 000.20.27.H28',
			'18100 2025-07-01 000.00.27.H28',
			'18101 - -',
			'42 - 000.00.00.H28',
			'42-STP - 000.00.18.H28',
			'443 - 000.00.27.H28'
		]);
	});

	it('lets the versions of one unit code keep the same agency code', async () => {
		await importFile(
			store.db,
			'units',
			store.file(
				'u.csv',
				`code,name,level,parent_code,valid_from,valid_to,MaDinhDanh
42,Tỉnh Hà Tĩnh,province,,,2025-06-30,000.00.00.H28
42,Tỉnh Hà Tĩnh,province,,2025-07-01,,000.00.00.H28
`
			)
		);
		expect(await agencies()).toEqual(['42 - 000.00.00.H28', '42 2025-07-01 000.00.00.H28']);
	});

	it('refuses two unit codes with one agency code on the same day within the file, naming the other unit', async () => {
		const lines = await rejected(
			'dup.csv',
			`${HEADER}
42,Tỉnh Hà Tĩnh,province,,,,000.00.00.H28
42-STP,Sở Tư pháp,department,42,,,000.00.18.H28
42-SNV,Sở Nội vụ,department,42,2024-01-01,,000.00.18.h28
`
		);
		expect(lines).toEqual([
			'dup.csv:3: agency_code: another unit valid on some of the same days has this agency code: 42-SNV (000.00.18.H28)',
			'dup.csv:4: agency_code: another unit valid on some of the same days has this agency code: 42-STP (000.00.18.h28)'
		]);
		expect(
			vietnameseReason(
				lines[0]
					.split(': ')
					.slice(2)
					.join(': ')
					.replace(/ \(.*\)$/, '')
			)
		).toBe('mã định danh này đã là của đơn vị 42-SNV, có hiệu lực trùng thời gian');
	});

	it('refuses an agency code a stored unit has on the same days, unless the file gives that unit another', async () => {
		await importFile(store.db, 'units', store.file('u.csv', UNITS));
		// Mỹ Lộc (until 30/06/2025) given the code of Thượng Lộc, stored and not in this file.
		expect(
			await rejected(
				'taken.csv',
				`${HEADER}\n18101,Xã Mỹ Lộc,commune,443,,2025-06-30,000.20.27.H28\n`
			)
		).toEqual([
			'taken.csv:2: agency_code: another unit valid on some of the same days has this agency code: 18100 (000.20.27.H28)'
		]);
		// The code of the new Đồng Lộc, valid only from 01/07/2025: no day in common.
		const moved = await importFile(
			store.db,
			'units',
			store.file(
				'swap.csv',
				`${HEADER}
18100,Xã Thượng Lộc,commune,443,,2025-06-30,000.21.27.H28
18101,Xã Mỹ Lộc,commune,443,,2025-06-30,000.20.27.H28
`
			)
		);
		expect([moved.inserted, moved.updated, moved.unchanged]).toEqual([0, 2, 0]);
		expect(await agencies()).toContain('18101 - 000.20.27.H28');
	});

	it('refuses an agency code with other characters than digits, letters, dots and hyphens, or longer than 40', async () => {
		const long = `000.${'1'.repeat(37)}`;
		const lines = await rejected(
			'bad.csv',
			`${HEADER}
42,Tỉnh Hà Tĩnh,province,,,,000 00 00 H28
42-STP,Sở Tư pháp,department,42,,,000.00.18.H28/1
42-SNV,Sở Nội vụ,department,42,,,Đ.01
42-SXD,Sở Xây dựng,department,42,,,${long}
42-SCT,Sở Công Thương,department,42,,,${long.slice(0, 40)}
`
		);
		const expected =
			'not an agency code; expected digits, letters, dots and hyphens, like 000.00.18.H28';
		expect(lines).toEqual([
			`bad.csv:2: agency_code: ${expected} (000 00 00 H28)`,
			`bad.csv:3: agency_code: ${expected} (000.00.18.H28/1)`,
			`bad.csv:4: agency_code: ${expected} (Đ.01)`,
			`bad.csv:5: agency_code: longer than 40 characters; an agency code is like 000.00.18.H28 (${long})`
		]);
		expect(vietnameseReason(expected)).toBe(
			'không phải mã định danh; chỉ gồm chữ số, chữ cái, dấu chấm và gạch ngang, dạng 000.00.18.H28'
		);
	});

	it('changes nothing on a re-import of the same file, and counts a changed agency code as updated', async () => {
		await importFile(store.db, 'units', store.file('u.csv', UNITS));
		const stored = await store.snapshot('unit_versions', 'id');
		const again = await importFile(store.db, 'units', store.file('u.csv', UNITS));
		expect([again.inserted, again.updated, again.unchanged]).toEqual([0, 0, 6]);
		expect(await store.snapshot('unit_versions', 'id')).toEqual(stored);
		const changed = await importFile(
			store.db,
			'units',
			store.file('c.csv', UNITS.replace('000.00.18.h28', '000.00.19.H28'))
		);
		expect([changed.inserted, changed.updated, changed.unchanged]).toEqual([0, 1, 5]);
		expect(await agencies()).toContain('42-STP - 000.00.19.H28');
	});

	it('puts the agency code back on undo, and refuses the undo once a later import gave it to another unit', async () => {
		await importFile(store.db, 'units', store.file('u.csv', UNITS));
		const before = await store.snapshot('unit_versions', 'id');
		const changed = await importFile(
			store.db,
			'units',
			store.file('c.csv', `${HEADER}\n42-STP,Sở Tư pháp,department,42,,,000.00.19.H28\n`)
		);
		await undoImport(store.db, changed.batchId, 'noivu');
		expect(await store.snapshot('unit_versions', 'id')).toEqual(before);

		const again = await importFile(
			store.db,
			'units',
			store.file('c2.csv', `${HEADER}\n42-STP,Sở Tư pháp,department,42,,,000.00.19.H28\n`)
		);
		const taker = await importFile(
			store.db,
			'units',
			store.file('snv.csv', `${HEADER}\n42-SNV,Sở Nội vụ,department,42,,,000.00.18.H28\n`)
		);
		const error = await undoImport(store.db, again.batchId, 'noivu').catch((e: unknown) => e);
		expect(error).toBeInstanceOf(UndoRefused);
		expect((error as UndoRefused).blocking?.id).toBe(taker.batchId);
		expect((error as Error).message).toMatch(
			/^import \d+ \(snv\.csv, .*\) gave another unit an agency code this import replaced; undo that import first$/
		);
		expect(await agencies()).toContain('42-STP - 000.00.19.H28');
	});
});
