import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PROCEDURES_CSV, tempStore, UNITS_CSV, type TempStore } from '../../testing/fixtures';
import { ImportRejected } from '../errors';
import { importFile } from '../run';

let store: TempStore;
beforeEach(async () => {
	store = await tempStore();
});
afterEach(() => store.dispose());

async function rejected(kind: 'units' | 'procedures' | 'targets', name: string, content: string) {
	const tables = ['unit_versions', 'procedures', 'campaigns', 'targets'];
	const before = await Promise.all(tables.map((t) => store.snapshot(t, '1, 2')));
	const error = await importFile(store.db, kind, store.file(name, content)).catch(
		(e: unknown) => e
	);
	expect(error).toBeInstanceOf(ImportRejected);
	expect(await Promise.all(tables.map((t) => store.snapshot(t, '1, 2')))).toEqual(before);
	return (error as Error).message;
}

describe('units', () => {
	it('keeps two versions of a reused code, each under the parent valid on its first day', async () => {
		await importFile(store.db, 'units', store.file('u.csv', UNITS_CSV));
		const { rows } = await sql<{
			code: string;
			name: string;
			parent: string | null;
			path_codes: string;
		}>`
			SELECT u.code, u.name, p.code AS parent,
				(SELECT string_agg(a.code, '>' ORDER BY c.depth DESC) FROM unit_closure c
					JOIN unit_versions a ON a.id = c.ancestor_id WHERE c.descendant_id = u.id) AS path_codes
			FROM unit_versions u LEFT JOIN unit_versions p ON p.id = u.parent_id
			WHERE u.code = '18100' ORDER BY u.valid_from NULLS FIRST`.execute(store.db);
		expect(rows).toEqual([
			{ code: '18100', name: 'Xã Thượng Lộc', parent: '443', path_codes: '42>443>18100' },
			{ code: '18100', name: 'Xã Đồng Lộc', parent: '42', path_codes: '42>18100' }
		]);
	});

	it('updates a version in place when its code and start date come again', async () => {
		await importFile(store.db, 'units', store.file('u.csv', UNITS_CSV));
		const again = await importFile(store.db, 'units', store.file('u.csv', UNITS_CSV));
		expect([again.inserted, again.updated, again.unchanged]).toEqual([0, 0, 6]);
		const renamed = await importFile(
			store.db,
			'units',
			store.file(
				'r.csv',
				'code,name,level,parent_code,valid_from,valid_to\n443,Huyện Can Lộc (cũ),district,42,,2025-06-30\n'
			)
		);
		expect([renamed.inserted, renamed.updated]).toEqual([0, 1]);
		const { rows } = await sql<{ n: number }>`SELECT count(*) AS n FROM unit_versions`.execute(
			store.db
		);
		expect(rows[0].n).toBe(6);
	});

	it('rejects overlapping versions of one code, a missing parent version and a parent below its child', async () => {
		await importFile(store.db, 'units', store.file('u.csv', UNITS_CSV));
		const message = await rejected(
			'units',
			'bad.csv',
			'code,name,level,parent_code,valid_from,valid_to\n' +
				'18101,Xã Mỹ Lộc mới,commune,42,2025-06-01,\n' +
				'18200,Xã Mới,commune,443,2025-07-01,\n' +
				'18300,Xã Lạ,district,18101,,2025-06-30\n' +
				'18400,Xã Không Cấp,commune,,,\n'
		);
		expect(message.split('\n')).toEqual([
			'bad.csv:2: valid_from: overlaps the validity of a stored version of the same code (2025-06-01)',
			'bad.csv:3: parent_code: no version of this parent is valid on 01/07/2025 (443)',
			'bad.csv:4: parent_code: a district cannot sit under a commune (18101)',
			'bad.csv:5: parent_code: required except for a province'
		]);
	});

	it('refuses new validity dates that would leave stored dossiers without a unit', async () => {
		await importFile(store.db, 'units', store.file('u.csv', UNITS_CSV));
		await importFile(store.db, 'procedures', store.file('p.csv', PROCEDURES_CSV));
		await importFile(
			store.db,
			'dossiers',
			store.file(
				'd.csv',
				'dossier_code,procedure_code,unit_code,channel,received_at\nA,1.001193,18101,online,2025-06-10\n'
			)
		);
		const message = await rejected(
			'units',
			'shrink.csv',
			'code,name,level,parent_code,valid_from,valid_to\n18101,Xã Mỹ Lộc,commune,443,,2025-05-31\n'
		);
		expect(message).toBe(
			'shrink.csv: valid_from: these validity dates would leave 1 stored dossiers without a unit, for example (A (unit 18101, received 10/06/2025))'
		);
	});
});

describe('procedures', () => {
	it('reads the catalogue with Vietnamese values and defaults active to true', async () => {
		await importFile(store.db, 'units', store.file('u.csv', UNITS_CSV));
		await importFile(
			store.db,
			'procedures',
			store.file(
				'p.csv',
				'Mã TTHC,Tên thủ tục,Cấp thực hiện,Lĩnh vực,Mức độ DVC,Có phí,Thanh toán trực tuyến,Mã đơn vị\n' +
					'1.001193,Đăng ký khai sinh,Cấp xã,Hộ tịch,Toàn trình,không,không,\n' +
					'2.000488,Cấp Phiếu lý lịch tư pháp,Cấp tỉnh,Lý lịch tư pháp,Mức độ 3,có,có,42-STP\n'
			)
		);
		expect(await store.snapshot('procedures', 'code')).toEqual([
			{
				code: '1.001193',
				name: 'Đăng ký khai sinh',
				level: 'commune',
				field: 'Hộ tịch',
				online_level: 'full',
				has_fee: false,
				online_payment: false,
				unit_code: null,
				active: true,
				import_batch_id: 2
			},
			{
				code: '2.000488',
				name: 'Cấp Phiếu lý lịch tư pháp',
				level: 'province',
				field: 'Lý lịch tư pháp',
				online_level: 'partial',
				has_fee: true,
				online_payment: true,
				unit_code: '42-STP',
				active: true,
				import_batch_id: 2
			}
		]);
	});

	it('rejects an unknown owner and an unknown online level', async () => {
		await importFile(store.db, 'units', store.file('u.csv', UNITS_CSV));
		expect(
			await rejected(
				'procedures',
				'p.csv',
				'code,name,level,online_level,unit_code\n1.1,X,commune,mức 9,\n1.2,Y,province,full,42-ZZZ\n'
			)
		).toBe(
			'p.csv:2: online_level: unknown online level; expected full, partial or none (toàn trình, một phần, mức độ 4, mức độ 3) (mức 9)\n' +
				'p.csv:3: unit_code: unknown unit code; import the units first (42-ZZZ)'
		);
	});
});

describe('targets', () => {
	const HEADER = 'campaign,starts_on,ends_on,unit_code,kpi,level,target';
	const CAMPAIGN = 'Chiến dịch cao điểm 2024,2024-05-09,2024-09-30,42';

	it('reads fractions and percentages and upserts by campaign, unit, KPI and level', async () => {
		await importFile(store.db, 'units', store.file('u.csv', UNITS_CSV));
		const first = await importFile(
			store.db,
			'targets',
			store.file(
				't.csv',
				`${HEADER}\n${CAMPAIGN},online_submission_rate,province,70%\n${CAMPAIGN},payment_enabled_rate,district,"0,45"\n${CAMPAIGN},payment_enabled_rate,commune,0.4\n`
			)
		);
		expect(first.inserted).toBe(3);
		const second = await importFile(
			store.db,
			'targets',
			store.file('t2.csv', `${HEADER}\n${CAMPAIGN},online_submission_rate,province,75%\n`)
		);
		expect([second.inserted, second.updated]).toEqual([0, 1]);
		const { rows } =
			await sql`SELECT c.name, c.starts_on, c.ends_on, t.unit_code, t.kpi, t.level, t.target
			FROM targets t JOIN campaigns c ON c.id = t.campaign_id ORDER BY t.kpi, t.level`.execute(store.db);
		expect(rows).toEqual([
			{
				name: 'Chiến dịch cao điểm 2024',
				starts_on: '2024-05-09',
				ends_on: '2024-09-30',
				unit_code: '42',
				kpi: 'online_submission_rate',
				level: 'province',
				target: 0.75
			},
			{
				name: 'Chiến dịch cao điểm 2024',
				starts_on: '2024-05-09',
				ends_on: '2024-09-30',
				unit_code: '42',
				kpi: 'payment_enabled_rate',
				level: 'commune',
				target: 0.4
			},
			{
				name: 'Chiến dịch cao điểm 2024',
				starts_on: '2024-05-09',
				ends_on: '2024-09-30',
				unit_code: '42',
				kpi: 'payment_enabled_rate',
				level: 'district',
				target: 0.45
			}
		]);
	});

	it('rejects an unknown KPI, a target above 100% and a campaign whose rows disagree on dates', async () => {
		await importFile(store.db, 'units', store.file('u.csv', UNITS_CSV));
		const message = await rejected(
			'targets',
			't.csv',
			`${HEADER}\n${CAMPAIGN},online_rate,province,70%\n${CAMPAIGN},on_time_rate,province,170%\nChiến dịch cao điểm 2024,2024-05-10,2024-09-30,42,on_time_rate,district,0.9\n`
		);
		expect(message.split('\n').map((l) => l.slice(0, l.indexOf(';')))).toEqual([
			't.csv:2: starts_on: rows of this campaign give different dates',
			't.csv:2: kpi: unknown KPI',
			't.csv:3: starts_on: rows of this campaign give different dates',
			't.csv:3: target: not a target',
			't.csv:4: starts_on: rows of this campaign give different dates'
		]);
	});
});
