import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addUser } from '../auth/users';
import { importFile } from '../import/run';
import { undoImport, UndoRefused } from '../import/history/undo';
import { campaignRecord } from '../kpi/campaigns';
import { tempStore, UNITS_CSV, type TempStore } from '../testing/fixtures';
import { CampaignRefused, saveCampaign, targetsFile, type CampaignSave } from './campaign-edit';
import type { Uploader } from './jobs';

let store: TempStore;
let team: Uploader;
let district: Uploader;
beforeEach(async () => {
	store = await tempStore('kpi-campaign-edit-');
	await importFile(store.db, 'units', store.file('u.csv', UNITS_CSV));
	const password = 'mật-khẩu-thử-nghiệm-2026';
	for (const [username, unitCode] of [
		['team.province', '42'],
		['team.canloc', '443']
	]) {
		await addUser(store.db, { username, role: 'reform_team', unitCode, password });
	}
	const users = await store.db
		.selectFrom('users')
		.select(['id', 'username', 'unit_code'])
		.execute();
	const uploader = (name: string): Uploader => {
		const u = users.find((x) => x.username === name)!;
		return { id: u.id, username: u.username, role: 'reform_team', unitCode: u.unit_code };
	};
	team = uploader('team.province');
	district = uploader('team.canloc');
});
afterEach(() => store.dispose());

const campaign = (over: Partial<CampaignSave> = {}): CampaignSave => ({
	campaignId: null,
	fields: { name: 'Chiến dịch "số hóa", 2026', startsOn: '2026-01-01', endsOn: '2026-06-30' },
	unitCode: '42',
	targets: [
		{ kpi: 'online_submission_rate', level: 'province', percent: 70 },
		{ kpi: 'online_submission_rate', level: 'commune', percent: 70.5 }
	],
	...over
});

async function targetsOf(id: number) {
	const { rows } = await sql<{ kpi: string; level: string; target: number }>`SELECT kpi, level,
		target FROM targets WHERE campaign_id = ${id} ORDER BY kpi, level`.execute(store.db);
	return rows.map((r) => `${r.kpi}/${r.level}=${r.target}`);
}

describe('a save of the campaigns editor', () => {
	it('writes the campaign line first and each target as a percentage', () => {
		expect(targetsFile(campaign()).split('\r\n')).toEqual([
			'campaign,starts_on,ends_on,unit_code,kpi,level,target',
			'"Chiến dịch ""số hóa"", 2026","2026-01-01","2026-06-30","42",,,',
			'"Chiến dịch ""số hóa"", 2026","2026-01-01","2026-06-30","42",online_submission_rate,province,70%',
			'"Chiến dịch ""số hóa"", 2026","2026-01-01","2026-06-30","42",online_submission_rate,commune,70.5%',
			''
		]);
	});

	it('creates a campaign set on its unit with its targets, as an editor import', async () => {
		const saved = await saveCampaign(store, team, campaign());
		expect(await targetsOf(saved.campaignId)).toEqual([
			'online_submission_rate/commune=0.705',
			'online_submission_rate/province=0.7'
		]);
		const record = await campaignRecord(store.db, saved.campaignId);
		expect(record).toMatchObject({ unit_code: '42', setOn: ['42'], targets: 2 });
		const batch = await store.db
			.selectFrom('import_batches')
			.selectAll()
			.where('id', '=', saved.batchId)
			.executeTakeFirstOrThrow();
		expect(batch).toMatchObject({
			kind: 'targets',
			source: 'editor',
			status: 'done',
			username: 'team.province',
			inserted: 3,
			updated: 0,
			unchanged: 0
		});
	});

	it('creates a campaign without any target', async () => {
		const saved = await saveCampaign(store, team, campaign({ targets: [] }));
		expect(await targetsOf(saved.campaignId)).toEqual([]);
		expect(await campaignRecord(store.db, saved.campaignId)).toMatchObject({ setOn: ['42'] });
	});

	it('removes a cleared cell, renames, and undo puts both back', async () => {
		const created = await saveCampaign(store, team, campaign());
		const id = created.campaignId;
		const edited = await saveCampaign(
			store,
			team,
			campaign({
				campaignId: id,
				fields: { name: 'Đổi tên', startsOn: '2026-02-01', endsOn: '2026-06-30' },
				targets: [{ kpi: 'online_submission_rate', level: 'province', percent: 80 }]
			})
		);
		expect(edited).toMatchObject({ campaignId: id, inserted: 0, updated: 2, unchanged: 0 });
		expect(await targetsOf(id)).toEqual(['online_submission_rate/province=0.8']);
		const batch = await store.db
			.selectFrom('import_batches')
			.select('message')
			.where('id', '=', edited.batchId)
			.executeTakeFirstOrThrow();
		expect(batch.message).toBe('1 target removed: cleared in the campaigns editor');
		expect(await undoImport(store.db, created.batchId, 'x').catch((e) => e)).toBeInstanceOf(
			UndoRefused
		);
		expect(await undoImport(store.db, edited.batchId, 'x')).toEqual({ deleted: 0, restored: 2 });
		expect(await targetsOf(id)).toEqual([
			'online_submission_rate/commune=0.705',
			'online_submission_rate/province=0.7'
		]);
		expect(await campaignRecord(store.db, id)).toMatchObject({
			name: 'Chiến dịch "số hóa", 2026',
			starts_on: '2026-01-01'
		});
		expect(await undoImport(store.db, created.batchId, 'x')).toEqual({ deleted: 2, restored: 0 });
		expect(await campaignRecord(store.db, id)).toBeNull();
	});

	it('refuses to undo a save whose removed target was set again since, naming that import', async () => {
		const created = await saveCampaign(store, team, campaign());
		const id = created.campaignId;
		const cleared = await saveCampaign(store, team, campaign({ campaignId: id, targets: [] }));
		expect(await targetsOf(id)).toEqual([]);
		const again = await saveCampaign(store, team, campaign({ campaignId: id }));
		const refusal = (await undoImport(store.db, cleared.batchId, 'x').catch((e) => e)) as Error;
		expect(refusal).toBeInstanceOf(UndoRefused);
		expect(refusal.message).toContain(`import ${again.batchId} `);
	});

	it('keeps what a CONTRACT file set on other units, and leaves such a file as it was', async () => {
		const file = store.file(
			'targets.csv',
			'campaign,starts_on,ends_on,unit_code,kpi,level,target\n' +
				'Tệp,2026-01-01,2026-06-30,42,on_time_rate,province,80%\n' +
				'Tệp,2026-01-01,2026-06-30,443,on_time_rate,district,85%\n'
		);
		await importFile(store.db, 'targets', file);
		const { id } = await store.db
			.selectFrom('campaigns')
			.select('id')
			.where('name', '=', 'Tệp')
			.executeTakeFirstOrThrow();
		expect(await campaignRecord(store.db, id)).toMatchObject({
			unit_code: null,
			setOn: ['42', '443']
		});
		await saveCampaign(
			store,
			team,
			campaign({
				campaignId: id,
				fields: { name: 'Tệp', startsOn: '2026-01-01', endsOn: '2026-06-30' },
				targets: []
			})
		);
		const { rows } = await sql<{ unit_code: string; target: number }>`SELECT unit_code, target
			FROM targets WHERE campaign_id = ${id}`.execute(store.db);
		expect(rows).toEqual([{ unit_code: '443', target: 0.85 }]);
		// The same file again: an upsert as before, the cleared target back, nothing removed.
		const again = await importFile(store.db, 'targets', file);
		expect(again).toMatchObject({ inserted: 1, updated: 0, unchanged: 1 });
		expect(await targetsOf(id)).toEqual([
			'on_time_rate/district=0.85',
			'on_time_rate/province=0.8'
		]);
	});

	it('refuses a name another campaign has, and a unit outside the scope', async () => {
		await saveCampaign(store, team, campaign());
		await expect(saveCampaign(store, team, campaign())).rejects.toEqual(
			new CampaignRefused({ field: 'name', kind: 'taken' })
		);
		const refused = await saveCampaign(store, district, campaign({ unitCode: '42' })).catch(
			(e) => e
		);
		expect(refused).toBeInstanceOf(CampaignRefused);
		expect((refused as CampaignRefused).problem).toEqual({ field: 'unit', kind: 'unknown' });
	});

	it('ends twenty saves at once, one after the other', async () => {
		const created = await saveCampaign(store, team, campaign());
		const saves = await Promise.all(
			Array.from({ length: 20 }, (_, i) =>
				saveCampaign(
					store,
					team,
					campaign({
						campaignId: created.campaignId,
						targets: [{ kpi: 'on_time_rate', level: 'district', percent: i }]
					})
				)
			)
		);
		expect(new Set(saves.map((s) => s.batchId)).size).toBe(20);
		const { rows } = await sql<{ n: number }>`SELECT count(*) AS n FROM import_batches
			WHERE source = 'editor' AND status = 'done'`.execute(store.db);
		expect(Number(rows[0].n)).toBe(21);
		// The grid left is the one of the save that ended last.
		const last = await store.db
			.selectFrom('import_batches')
			.select('id')
			.where('source', '=', 'editor')
			.orderBy('finished_at', 'desc')
			.executeTakeFirstOrThrow();
		const i = saves.findIndex((s) => s.batchId === last.id);
		expect(await targetsOf(created.campaignId)).toEqual([`on_time_rate/district=${i / 100}`]);
	});
});
