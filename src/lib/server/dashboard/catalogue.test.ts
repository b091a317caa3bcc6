import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { foldText } from '../../domain/search-text';
import type { Principal, Role } from '../../domain/types';
import { PROCEDURE_CATALOGUE, UNIT_CATALOGUE } from '../../domain/url-params';
import { manageableUsers } from '../auth/admin';
import { scopeOf } from '../auth/scope';
import { addUser } from '../auth/users';
import { folded } from '../db/search';
import { importFile } from '../import/run';
import { tempStore, urlState, type TempStore } from '../testing/fixtures';
import { procedureCatalogue } from './procedure-catalogue';
import { unitCatalogue } from './unit-catalogue';

/**
 * Two districts until 30/06/2025 (as auth/scope.test.ts). On 01/07/2025 Can Lộc's 18406 and 18415
 * merge into Xã Can Lộc (code 18406 kept), its 18481 and Nghi Xuân's 18300 (in part) into Xã Xuân
 * Lộc, and 18300 (in part) and 18310 into Xã Nghi Xuân.
 */
const UNITS = `code,name,level,parent_code,valid_from,valid_to,agency_code
42,Tỉnh Hà Tĩnh,province,,,,000.00.00.H28
42-STP,Sở Tư pháp,department,42,,,000.00.04.H28
443,Huyện Can Lộc,district,42,,2025-06-30,000.00.27.H28
18406,Thị trấn Nghèn,commune,443,,2025-06-30,000.01.27.H28
18415,Xã Thiên Lộc,commune,443,,2025-06-30,000.02.27.H28
18481,Xã Quang Lộc,commune,443,,2025-06-30,
442,Huyện Nghi Xuân,district,42,,2025-06-30,000.00.26.H28
18300,Xã Xuân Hội,commune,442,,2025-06-30,000.01.26.H28
18310,Xã Xuân Viên,commune,442,,2025-06-30,
18406,Xã Can Lộc,commune,42,2025-07-01,,000.05.00.H28
18481,Xã Xuân Lộc,commune,42,2025-07-01,,
18310,Xã Nghi Xuân,commune,42,2025-07-01,,
`;

const LINEAGE: [string, string, boolean][] = [
	['18406', '18406', false],
	['18406', '18415', false],
	['18481', '18481', false],
	['18481', '18300', true],
	['18310', '18300', true],
	['18310', '18310', false]
];

const PROCEDURES = `code,name,level,field,online_level,has_fee,online_payment,unit_code,active
1.001193,Đăng ký khai sinh,commune,Hộ tịch,full,false,false,,true
1.000894,Đăng ký kết hôn,commune,Hộ tịch,partial,true,true,,true
2.000488,Cấp Phiếu lý lịch tư pháp,province,Lý lịch tư pháp,partial,true,true,42-STP,true
`;

/**
 * Dossiers of 1.001193: 3 at Thị trấn Nghèn and 2 at Xã Thiên Lộc (Can Lộc, June 2025), 4 at Xã
 * Xuân Hội (Nghi Xuân, June), 1 at the new Xã Can Lộc (July); of 1.000894, 1 at Xã Quang Lộc.
 */
function dossiers(): string {
	const lines = ['dossier_code,procedure_code,unit_code,channel,received_at,completed_at,status'];
	const add = (procedure: string, unit: string, day: string, n: number) => {
		for (let i = 0; i < n; i++) {
			lines.push(
				`${procedure}-${unit}-${day}-${i},${procedure},${unit},online,${day} 09:00,${day} 15:00,completed`
			);
		}
	};
	add('1.001193', '18406', '2025-06-10', 3);
	add('1.001193', '18415', '2025-06-11', 2);
	add('1.001193', '18300', '2025-06-12', 4);
	add('1.001193', '18406', '2025-07-10', 1);
	add('1.000894', '18481', '2025-06-13', 1);
	return lines.join('\n') + '\n';
}

let store: TempStore;
const who = (role: Role, unitCode: string): Principal => ({ username: 'u', role, unitCode });
const CAN_LOC_HEAD = who('unit_head', '443');
const TODAY = '2026-12-01';

async function units(principal: Principal, query: Record<string, string> = {}) {
	const scope = await scopeOf(store.db, principal);
	return unitCatalogue(store.db, scope, urlState(UNIT_CATALOGUE, query), TODAY);
}

beforeAll(async () => {
	store = await tempStore('kpi-catalogue-');
	await importFile(store.db, 'units', store.file('units.csv', UNITS));
	for (const [newCode, oldCode, partial] of LINEAGE) {
		await store.db
			.insertInto('unit_lineage')
			.values({ new_code: newCode, old_code: oldCode, changed_on: '2025-07-01', partial })
			.execute();
	}
	await importFile(store.db, 'procedures', store.file('p.csv', PROCEDURES));
	await importFile(store.db, 'dossiers', store.file('d.csv', dossiers()));
});

afterAll(() => store?.dispose());

describe('the units catalogue', () => {
	it('finds "can loc" in Huyện Can Lộc and Xã Can Lộc, accents and case ignored', async () => {
		const found = await units(CAN_LOC_HEAD, { q: 'can loc' });
		expect(found.units.map((u) => [u.code, u.name])).toEqual([
			['443', 'Huyện Can Lộc'],
			['18406', 'Xã Can Lộc']
		]);
		const upper = await units(CAN_LOC_HEAD, { q: 'CAN LỘC' });
		expect(upper.total).toBe(2);
	});

	it('finds a unit by its agency code in any case, with the code of each version, and none outside the scope', async () => {
		const district = await units(CAN_LOC_HEAD, { q: '000.00.27.h28' });
		expect(district.units.map((u) => [u.code, u.versions.map((v) => v.agencyCode)])).toEqual([
			['443', ['000.00.27.H28']]
		]);
		const underIt = await units(CAN_LOC_HEAD, { q: '.27.H28' });
		expect(underIt.units.map((u) => [u.code, u.versions.map((v) => v.agencyCode)])).toEqual([
			['443', ['000.00.27.H28']],
			['18406', ['000.01.27.H28', '000.05.00.H28']],
			['18415', ['000.02.27.H28']]
		]);
		expect((await units(CAN_LOC_HEAD, { q: '000.01.26' })).total).toBe(0);
		expect((await units(who('admin', '42'), { q: '000.01.26' })).units[0].code).toBe('18300');
	});

	it('folds a name in SQL exactly as the browser folds the text typed', async () => {
		for (const name of ['Thị trấn Nghèn', 'ĐỒNG  Lộc', 'Xã Quỳnh Lưu']) {
			const { rows } = await sql<{ f: string }>`SELECT ${folded(sql`${name}`)} AS f`.execute(
				store.db
			);
			expect(rows[0].f).toBe(foldText(name));
		}
	});

	it("shows a district head only his district's units and what they became", async () => {
		const seen = await units(CAN_LOC_HEAD);
		expect(seen.units.map((u) => u.code)).toEqual(['443', '18406', '18415', '18481']);
		const names = seen.units.flatMap((u) => u.versions.map((v) => v.name));
		expect(names).not.toContain('Huyện Nghi Xuân');
		expect(names).not.toContain('Xã Xuân Hội');
		expect(names).not.toContain('Xã Nghi Xuân');
	});

	it('says a post-2025 commune was formed on 01/07/2025 from the units it came from', async () => {
		const [canLoc] = (await units(CAN_LOC_HEAD, { q: '18406' })).units;
		const merged = canLoc.versions.find((v) => v.name === 'Xã Can Lộc')!;
		expect(merged.formedFrom).toEqual({
			changedOn: '2025-07-01',
			units: [
				expect.objectContaining({ code: '18406', name: 'Thị trấn Nghèn' }),
				expect.objectContaining({ code: '18415', name: 'Xã Thiên Lộc' })
			],
			hidden: 0
		});
		// Xuân Lộc came in part from Nghi Xuân's Xuân Hội, which a Can Lộc head may not see named.
		const [xuanLoc] = (await units(CAN_LOC_HEAD, { q: 'xuan loc' })).units;
		expect(xuanLoc.versions.at(-1)!.formedFrom).toEqual({
			changedOn: '2025-07-01',
			units: [expect.objectContaining({ name: 'Xã Quang Lộc' })],
			hidden: 1
		});
		const old = canLoc.versions.find((v) => v.name === 'Thị trấn Nghèn')!;
		expect(old.ended).toBe(true);
		expect(old.became?.units.map((u) => u.name)).toEqual(['Xã Can Lộc']);
	});

	it('filters by level and by ended or still existing', async () => {
		const districts = await units(who('admin', '42'), { level: 'district' });
		expect(districts.units.map((u) => u.code)).toEqual(['443', '442']);
		const ended = await units(who('admin', '42'), { status: 'ended' });
		expect(ended.units.map((u) => u.code).sort()).toEqual(['18300', '18415', '442', '443']);
		const existing = await units(CAN_LOC_HEAD, { status: 'existing' });
		expect(existing.units.map((u) => u.code)).toEqual(['18406', '18481']);
	});

	it('answers a page past the end with the last page', async () => {
		const far = await units(CAN_LOC_HEAD, { page: '99' });
		expect([far.page, far.pages, far.units.length]).toEqual([1, 1, 4]);
	});
});

describe('the procedures catalogue', () => {
	it("counts a district head's dossiers in his district only, over all time", async () => {
		const found = await procedureCatalogue(
			store.db,
			CAN_LOC_HEAD,
			urlState(PROCEDURE_CATALOGUE, {})
		);
		expect(found.procedures.map((p) => [p.code, p.dossiers])).toEqual([
			['1.000894', 1],
			['1.001193', 5],
			['2.000488', 0]
		]);
	});

	it('counts every dossier for an admin, and sorts by the counts', async () => {
		const found = await procedureCatalogue(
			store.db,
			who('admin', '42'),
			urlState(PROCEDURE_CATALOGUE, { sort: 'dossiers' })
		);
		expect(found.procedures.map((p) => [p.code, p.dossiers])).toEqual([
			['1.001193', 10],
			['1.000894', 1],
			['2.000488', 0]
		]);
	});

	it('searches codes and names without accents and filters by fee, payment and owner', async () => {
		const search = (query: Record<string, string>) =>
			procedureCatalogue(store.db, CAN_LOC_HEAD, urlState(PROCEDURE_CATALOGUE, query)).then((r) =>
				r.procedures.map((p) => p.code)
			);
		expect(await search({ q: 'dang ky ket hon' })).toEqual(['1.000894']);
		expect(await search({ q: '2.000' })).toEqual(['2.000488']);
		expect(await search({ fee: 'yes', payment: 'yes' })).toEqual(['1.000894', '2.000488']);
		expect(await search({ owner: '42-STP' })).toEqual(['2.000488']);
		expect(await search({ owner: '-', online: 'full' })).toEqual(['1.001193']);
		const owned = await procedureCatalogue(
			store.db,
			CAN_LOC_HEAD,
			urlState(PROCEDURE_CATALOGUE, { owner: '42-STP' })
		);
		expect(owned.procedures[0].owner).toEqual({ code: '42-STP', name: 'Sở Tư pháp' });
	});
});

describe('the accounts of an ended unit', () => {
	it('warns that Huyện Can Lộc ended on 30/06/2025 and names the communes it became', async () => {
		await addUser(store.db, {
			username: 'truong.canloc',
			role: 'unit_head',
			unitCode: '443',
			password: 'mật-khẩu-thử-nghiệm-2026'
		});
		await addUser(store.db, {
			username: 'chu.tich.canloc',
			role: 'unit_head',
			unitCode: '18406',
			password: 'mật-khẩu-thử-nghiệm-2026'
		});
		const accounts = await manageableUsers(store.db, who('admin', '42'));
		const byName = new Map(accounts.map((a) => [a.username, a]));
		expect(byName.get('truong.canloc')!.unitEnded).toEqual({
			lastDay: '2025-06-30',
			became: [
				{ code: '18406', name: 'Xã Can Lộc' },
				{ code: '18481', name: 'Xã Xuân Lộc' }
			]
		});
		expect(byName.get('chu.tich.canloc')!.unitEnded).toBeNull();
	});
});
