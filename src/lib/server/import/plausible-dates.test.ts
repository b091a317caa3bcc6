/**
 * Dates outside the range the data can have (CONTRACT: "a received_at before 2000-01-01 or more
 * than a day after the import, or a completed_at or due_at before 2000 or after 2100, is a row
 * error"; issue 10: one dossier dated 9999-12-31 broke every page). The dates of units and
 * targets are bounded to 2000–2100 too.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PROCEDURES_CSV, tempStore, UNITS_CSV, type TempStore } from '../testing/fixtures';
import { ImportRejected } from './errors';
import { importFile } from './run';

let store: TempStore;
const TABLES = ['dossiers', 'unit_versions', 'procedures', 'campaigns', 'targets'];

beforeEach(async () => {
	store = await tempStore('kpi-dates-');
	await importFile(store.db, 'units', store.file('units.csv', UNITS_CSV));
	await importFile(store.db, 'procedures', store.file('procedures.csv', PROCEDURES_CSV));
});
afterEach(() => store.dispose());

/** The lines of the rejection, with nothing in any table changed. */
async function rejection(
	kind: 'units' | 'dossiers' | 'targets',
	name: string,
	content: string
): Promise<string[]> {
	const before = await Promise.all(TABLES.map((t) => store.snapshot(t, '1, 2')));
	const error = await importFile(store.db, kind, store.file(name, content)).catch(
		(e: unknown) => e
	);
	expect(error).toBeInstanceOf(ImportRejected);
	expect(await Promise.all(TABLES.map((t) => store.snapshot(t, '1, 2')))).toEqual(before);
	return (error as Error).message.split('\n');
}

/** Asia/Ho_Chi_Minh wall-clock time `hours` from now, as `dd/mm/yyyy hh:mm`. */
function vietnamTime(hours: number): string {
	const iso = new Date(Date.now() + (7 + hours) * 3_600_000).toISOString();
	return `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)} ${iso.slice(11, 16)}`;
}

const HEADER = 'dossier_code,procedure_code,unit_code,channel,received_at,due_at,completed_at';

describe('implausible dates of dossiers', () => {
	it('rejects a dossier received on 9999-12-31 or 0001-01-01, naming file, row, column and value', async () => {
		const lines = await rejection(
			'dossiers',
			'far.csv',
			`${HEADER}\nA,1.001193,42,online,9999-12-31,,\nB,1.001193,42,online,0001-01-01,,\nC,1.001193,42,online,2025-05-02,,\n`
		);
		expect(lines).toEqual([
			'far.csv:2: received_at: not a plausible date; expected from 01/01/2000 to a day after the import (9999-12-31)',
			'far.csv:3: received_at: not a plausible date; expected from 01/01/2000 to a day after the import (0001-01-01)'
		]);
	});

	it('rejects a dossier received on 31/12/1999 23:59 and accepts one on 01/01/2000 00:00', async () => {
		const lines = await rejection(
			'dossiers',
			'y2k.csv',
			`${HEADER}\nA,1.001193,42,online,31/12/1999 23:59,,\n`
		);
		expect(lines).toEqual([
			'y2k.csv:2: received_at: not a plausible date; expected from 01/01/2000 to a day after the import (31/12/1999 23:59)'
		]);
		const result = await importFile(
			store.db,
			'dossiers',
			store.file('ok.csv', `${HEADER}\nA,1.001193,42,online,01/01/2000 00:00,,\n`)
		);
		expect(result.inserted).toBe(1);
	});

	it('accepts a dossier received 23 hours after the import (Vietnam time) and rejects one 25 hours after', async () => {
		const soon = vietnamTime(23);
		const late = vietnamTime(25);
		const lines = await rejection(
			'dossiers',
			'future.csv',
			`${HEADER}\nA,1.001193,42,online,${soon},,\nB,1.001193,42,online,${late},,\n`
		);
		expect(lines).toEqual([
			`future.csv:3: received_at: not a plausible date; expected from 01/01/2000 to a day after the import (${late})`
		]);
	});

	it('rejects a due or completion date before 2000 or after 2100, the Vietnamese header named', async () => {
		const lines = await rejection(
			'dossiers',
			'so.csv',
			'Mã hồ sơ,Mã TTHC,Mã đơn vị,Hình thức nộp,Ngày tiếp nhận,Hạn xử lý,Ngày hoàn thành\n' +
				'A,1.001193,42,online,2025-05-02,2101-01-01,\n' +
				'B,1.001193,42,online,2025-05-02,1999-12-31,\n' +
				'C,1.001193,42,online,2025-05-02,,9999-12-31 10:00\n' +
				'D,1.001193,42,online,2025-05-02,31/12/2100,31/12/2100 23:59\n'
		);
		expect(lines).toEqual([
			'so.csv:2: Hạn xử lý: not a plausible date; expected from 01/01/2000 to 31/12/2100 (2101-01-01)',
			'so.csv:3: Hạn xử lý: not a plausible date; expected from 01/01/2000 to 31/12/2100 (1999-12-31)',
			'so.csv:4: Ngày hoàn thành: not a plausible date; expected from 01/01/2000 to 31/12/2100 (9999-12-31 10:00)'
		]);
	});

	it('rejects a JSON portal record dated 9999 as a row error too', async () => {
		const lines = await rejection(
			'dossiers',
			'dump.json',
			JSON.stringify([
				{
					MaHoSo: 'A',
					MaTTHC: '1.001193',
					MaDonVi: '42',
					KenhThucHien: 2,
					NgayTiepNhan: '99991231120000'
				}
			])
		);
		expect(lines).toEqual([
			'dump.json:2: NgayTiepNhan: not a plausible date; expected from 01/01/2000 to a day after the import (99991231120000)'
		]);
	});
});

describe('implausible dates of units and targets', () => {
	it('rejects a unit valid from before 2000 or to after 2100, saying to leave it empty', async () => {
		const lines = await rejection(
			'units',
			'u.csv',
			'code,name,level,parent_code,valid_from,valid_to\n' +
				'44,Tỉnh Quảng Bình,province,,1991-08-12,\n' +
				'45,Tỉnh Quảng Trị,province,,,9999-12-31\n'
		);
		expect(lines).toEqual([
			'u.csv:2: valid_from: not a plausible date; expected from 01/01/2000 to 31/12/2100, or empty for a unit that existed before (1991-08-12)',
			'u.csv:3: valid_to: not a plausible date; expected from 01/01/2000 to 31/12/2100, or empty for a unit still in place (9999-12-31)'
		]);
	});

	it('rejects a campaign starting before 2000 or ending after 2100', async () => {
		const lines = await rejection(
			'targets',
			't.csv',
			'campaign,starts_on,ends_on,unit_code,kpi,level,target\n' +
				'Cũ,1999-05-01,2024-09-30,42,online_submission_rate,province,70%\n' +
				'Mãi,2024-05-01,9999-12-31,42,online_submission_rate,province,70%\n'
		);
		expect(lines).toEqual([
			't.csv:2: starts_on: not a plausible date; expected from 01/01/2000 to 31/12/2100 (1999-05-01)',
			't.csv:3: ends_on: not a plausible date; expected from 01/01/2000 to 31/12/2100 (9999-12-31)'
		]);
	});
});
