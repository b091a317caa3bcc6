import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from './store';
import { provinceSummary } from './summary';

let store: Store;

beforeEach(async () => {
	store = await openStore(':memory:');
});

afterEach(async () => {
	await store.close();
});

async function addUnitVersions(): Promise<void> {
	await sql`INSERT INTO unit_versions
		(id, code, name, level, parent_code, parent_id, valid_from, valid_to, path, depth)
		VALUES
		(1, '15', 'Tỉnh Yên Bái', 'province', NULL, NULL, NULL, '2025-06-30', '/1/', 0),
		(2, '15', 'Tỉnh Lào Cai', 'province', NULL, NULL, '2025-07-01', NULL, '/2/', 0),
		(3, '08', 'Tỉnh Lào Cai', 'province', NULL, NULL, NULL, '2025-06-30', '/3/', 0),
		(4, '04570', 'Xã Nghĩa Lộ', 'commune', '15', 2, '2025-07-01', NULL, '/2/4/', 1)`.execute(store.db);
}

async function addDossier(code: string, receivedAt: string): Promise<void> {
	await sql`INSERT INTO dossiers (dossier_code, procedure_code, unit_code, unit_version_id, channel,
		received_at, status, fee_required, paid_online, dossier_digitized, result_digitized,
		data_reused, portal_synced)
		VALUES (${code}, '1.001193', '04570', 4, 'online', ${receivedAt}::TIMESTAMP, 'received',
		false, false, false, false, false, false)`.execute(store.db);
}

describe('provinceSummary', () => {
	it('reports an empty database as no province, no dates and zero counts', async () => {
		expect(await provinceSummary(store.db)).toEqual({
			province: null,
			firstReceived: null,
			lastReceived: null,
			dossiers: 0,
			units: 0,
			procedures: 0
		});
	});

	it('names the province by its open-ended version when its code was reused', async () => {
		await addUnitVersions();
		const summary = await provinceSummary(store.db);
		expect(summary.province).toEqual({ code: '15', name: 'Tỉnh Lào Cai' });
		expect(summary.units).toBe(4);
	});

	it('gives the calendar days of the first and last dossier received', async () => {
		await addUnitVersions();
		await addDossier('HS-1', '2025-07-01T00:15:00');
		await addDossier('HS-2', '2025-12-31T23:30:00');
		await addDossier('HS-3', '2025-09-10T08:00:00');
		const summary = await provinceSummary(store.db);
		expect(summary).toMatchObject({
			firstReceived: '2025-07-01',
			lastReceived: '2025-12-31',
			dossiers: 3
		});
	});
});
