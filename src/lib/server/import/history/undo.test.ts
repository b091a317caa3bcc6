import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PROCEDURES_CSV, tempStore, UNITS_CSV, type TempStore } from '../../testing/fixtures';
import { importFile } from '../run';
import { undoImport, UndoRefused } from './undo';

let store: TempStore;
beforeEach(async () => {
	store = await tempStore('kpi-undo-');
	await importFile(store.db, 'units', store.file('u.csv', UNITS_CSV));
	await importFile(store.db, 'procedures', store.file('p.csv', PROCEDURES_CSV));
});
afterEach(() => store.dispose());

const HEADER = 'dossier_code,procedure_code,unit_code,channel,received_at,completed_at';

/** October 2024 in Thượng Lộc: D1 online, D2 direct, D3 online and completed. */
const OCTOBER = `${HEADER}
D1,1.001193,18100,online,2024-10-01 08:00,
D2,1.001193,18100,direct,2024-10-02 08:00,
D3,1.001193,18101,online,2024-10-03 08:00,2024-10-04 09:00
`;

/** A correction: D2 was online after all; D4 arrives. */
const CORRECTION = `${HEADER}
D2,1.001193,18100,online,2024-10-02 08:00,
D4,1.001193,18101,direct,2024-10-05 08:00,
`;

/** Every stored table an import of dossiers changes, with the aggregates it feeds. */
async function state() {
	return {
		dossiers: await store.snapshot('dossiers', 'dossier_code'),
		daily: await store.snapshot('kpi_daily', 'unit_version_id, day'),
		monthly: await store.snapshot('kpi_monthly', 'unit_version_id, month'),
		subtree: await store.snapshot('kpi_monthly_subtree', 'ancestor_id, month'),
		late: await store.snapshot('late_candidates', 'dossier_code')
	};
}

/** October's online submissions in the province, from the aggregates: `online/eligible`. */
async function provinceOnline(): Promise<string> {
	const { rows } = await sql<{ figure: string }>`SELECT
			coalesce(sum(eligible_online), 0) || '/' || coalesce(sum(eligible), 0) AS figure
		FROM kpi_monthly_subtree s JOIN unit_versions u ON u.id = s.ancestor_id
		WHERE u.code = '42' AND s.month = DATE '2024-10-01'`.execute(store.db);
	return rows[0].figure;
}

async function refusal(batchId: number): Promise<UndoRefused> {
	const error = await undoImport(store.db, batchId, 'noivu').catch((e: unknown) => e);
	expect(error).toBeInstanceOf(UndoRefused);
	return error as UndoRefused;
}

describe('undoing a dossier import', () => {
	it('puts back the rows it updated and deletes those it inserted, with the aggregates', async () => {
		const empty = await state();
		const first = await importFile(store.db, 'dossiers', store.file('t10.csv', OCTOBER));
		const afterFirst = await state();
		expect(await provinceOnline()).toBe('2/3');
		const second = await importFile(store.db, 'dossiers', store.file('fix.csv', CORRECTION));
		expect([second.inserted, second.updated]).toEqual([1, 1]);
		expect(await provinceOnline()).toBe('3/4');

		expect(await undoImport(store.db, second.batchId, 'noivu')).toEqual({
			deleted: 1,
			restored: 1
		});
		expect(await state()).toEqual(afterFirst);
		expect(await provinceOnline()).toBe('2/3');

		expect(await undoImport(store.db, first.batchId, 'noivu')).toEqual({
			deleted: 3,
			restored: 0
		});
		expect(await state()).toEqual(empty);
		expect(await provinceOnline()).toBe('0/0');
		const batches = await store.db
			.selectFrom('import_batches')
			.select(['id', 'status', 'undone_by'])
			.where('kind', '=', 'dossiers')
			.orderBy('id')
			.execute();
		expect(batches).toEqual([
			{ id: first.batchId, status: 'undone', undone_by: 'noivu' },
			{ id: second.batchId, status: 'undone', undone_by: 'noivu' }
		]);
	});

	it('refuses while a later import still changes rows it wrote, naming that import, and not after it is undone', async () => {
		const first = await importFile(store.db, 'dossiers', store.file('t10.csv', OCTOBER));
		const second = await importFile(store.db, 'dossiers', store.file('fix.csv', CORRECTION));
		const before = await state();
		const refused = await refusal(first.batchId);
		expect(refused.blocking?.id).toBe(second.batchId);
		expect(refused.message).toMatch(
			new RegExp(
				`^import ${second.batchId} \\(fix\\.csv, \\d\\d/\\d\\d/\\d{4} \\d\\d:\\d\\d\\) later changed rows this import wrote \\(dossiers\\); undo that import first$`
			)
		);
		expect(await state()).toEqual(before);
		await undoImport(store.db, second.batchId, 'noivu');
		await undoImport(store.db, first.batchId, 'noivu');
		expect(await provinceOnline()).toBe('0/0');
	});

	it('takes away the rows a later import found unchanged: they were this import’s', async () => {
		const first = await importFile(store.db, 'dossiers', store.file('t10.csv', OCTOBER));
		const again = await importFile(store.db, 'dossiers', store.file('again.csv', OCTOBER));
		expect([again.inserted, again.updated, again.unchanged]).toEqual([0, 0, 3]);
		await undoImport(store.db, first.batchId, 'noivu');
		expect(await provinceOnline()).toBe('0/0');
	});

	it('refuses twice, and refuses a failed import', async () => {
		const first = await importFile(store.db, 'dossiers', store.file('t10.csv', OCTOBER));
		await undoImport(store.db, first.batchId, 'noivu');
		expect((await refusal(first.batchId)).message).toMatch(
			/^this import was already undone on \d\d\/\d\d\/\d{4} \d\d:\d\d by noivu$/
		);
		await importFile(
			store.db,
			'dossiers',
			store.file('bad.csv', `${HEADER}\nD9,9.9,18100,online,x,\n`)
		).catch(() => undefined);
		const failed = await store.db
			.selectFrom('import_batches')
			.select('id')
			.where('file_name', '=', 'bad.csv')
			.executeTakeFirstOrThrow();
		expect((await refusal(failed.id)).message).toBe(
			'only a finished import can be undone; this one is failed'
		);
	});
});

describe('undoing catalogue and target imports', () => {
	it('puts back a procedure’s online level, and the dossier counts that follow it', async () => {
		await importFile(store.db, 'dossiers', store.file('t10.csv', OCTOBER));
		expect(await provinceOnline()).toBe('2/3');
		const none = PROCEDURES_CSV.replace(
			'1.001193,Đăng ký khai sinh,commune,Hộ tịch,full',
			'1.001193,Đăng ký khai sinh,commune,Hộ tịch,none'
		);
		const change = await importFile(store.db, 'procedures', store.file('p2.csv', none));
		expect(change.updated).toBe(1);
		expect(await provinceOnline()).toBe('0/0');
		expect(await undoImport(store.db, change.batchId, 'noivu')).toEqual({
			deleted: 0,
			restored: 1
		});
		expect(await provinceOnline()).toBe('2/3');
	});

	it('refuses to remove procedures or units that imported dossiers name', async () => {
		const procedure = await importFile(
			store.db,
			'procedures',
			store.file(
				'p3.csv',
				`${PROCEDURES_CSV}1.000001,Thủ tục mới,commune,,full,false,false,,true\n`
			)
		);
		const unit = await importFile(
			store.db,
			'units',
			store.file(
				'u2.csv',
				'code,name,level,parent_code,valid_from,valid_to\n18102,Xã Mới,commune,443,,2025-06-30\n'
			)
		);
		const dossiers = await importFile(
			store.db,
			'dossiers',
			store.file('t11.csv', `${HEADER}\nN1,1.000001,18102,online,2024-11-01 08:00,\n`)
		);
		for (const batch of [procedure.batchId, unit.batchId]) {
			const refused = await refusal(batch);
			expect(refused.blocking?.id).toBe(dossiers.batchId);
			expect(refused.message).toContain(`import ${dossiers.batchId} (t11.csv, `);
		}
		await undoImport(store.db, dossiers.batchId, 'noivu');
		expect(await undoImport(store.db, unit.batchId, 'noivu')).toEqual({ deleted: 1, restored: 0 });
		expect(await undoImport(store.db, procedure.batchId, 'noivu')).toEqual({
			deleted: 1,
			restored: 0
		});
		const { rows } = await sql<{ n: number }>`SELECT count(*) AS n FROM unit_versions
			WHERE code = '18102'`.execute(store.db);
		expect(rows[0].n).toBe(0);
	});

	it('puts back a unit’s old name, and its tree', async () => {
		const tree = await store.snapshot('unit_closure', 'ancestor_id, descendant_id');
		const renamed = await importFile(
			store.db,
			'units',
			store.file(
				'r.csv',
				'code,name,level,parent_code,valid_from,valid_to\n443,Huyện Can Lộc (cũ),district,42,,2025-06-30\n'
			)
		);
		await undoImport(store.db, renamed.batchId, 'noivu');
		const { rows } = await sql<{
			name: string;
		}>`SELECT name FROM unit_versions WHERE code = '443'`.execute(store.db);
		expect(rows).toEqual([{ name: 'Huyện Can Lộc' }]);
		expect(await store.snapshot('unit_closure', 'ancestor_id, descendant_id')).toEqual(tree);
	});

	it('puts back a changed target and deletes a campaign it created', async () => {
		const TARGETS = 'campaign,starts_on,ends_on,unit_code,kpi,level,target';
		const set = await importFile(
			store.db,
			'targets',
			store.file(
				'c1.csv',
				`${TARGETS}\nCao điểm 2024,2024-05-09,2024-09-30,42,online_submission_rate,commune,70%\n`
			)
		);
		const before = [
			await store.snapshot('campaigns', 'id'),
			await store.snapshot('targets', '1, 2, 3, 4')
		];
		const change = await importFile(
			store.db,
			'targets',
			store.file(
				'c2.csv',
				`${TARGETS}\nCao điểm 2024,2024-05-09,2024-10-31,42,online_submission_rate,commune,80%\nChiến dịch 2025,2025-01-01,2025-06-30,42,online_submission_rate,commune,75%\n`
			)
		);
		expect([change.inserted, change.updated]).toEqual([1, 1]);
		expect(await undoImport(store.db, change.batchId, 'noivu')).toEqual({
			deleted: 1,
			restored: 1
		});
		expect([
			await store.snapshot('campaigns', 'id'),
			await store.snapshot('targets', '1, 2, 3, 4')
		]).toEqual(before);
		expect(set.inserted).toBe(1);
	});
});
