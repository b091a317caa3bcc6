import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal, Role } from '../../domain/types';
import { importFile } from '../import/run';
import { KpiQueryError } from '../units/versions';
import { tempStore, type TempStore } from '../testing/fixtures';
import { canSee, OPERATOR, OutOfScope, scopeOf, visibleUnit } from './scope';
import type { Database } from '../db/schema';

/**
 * Two districts until 30/06/2025. On 01/07/2025 the districts go; Can Lộc's two communes merge
 * into Xã Can Lộc (keeping code 18406), and Nghi Xuân's commune 18300 is split: part of it goes
 * into Xã Xuân Lộc (18481, also formed from Can Lộc's 18481), the rest into Xã Nghi Xuân.
 */
const UNITS = `code,name,level,parent_code,valid_from,valid_to
42,Tỉnh Hà Tĩnh,province,,,
42-STP,Sở Tư pháp,department,42,,
443,Huyện Can Lộc,district,42,,2025-06-30
18406,Thị trấn Nghèn,commune,443,,2025-06-30
18415,Xã Thiên Lộc,commune,443,,2025-06-30
18481,Xã Quang Lộc,commune,443,,2025-06-30
442,Huyện Nghi Xuân,district,42,,2025-06-30
18300,Xã Xuân Hội,commune,442,,2025-06-30
18310,Xã Xuân Viên,commune,442,,2025-06-30
18406,Xã Can Lộc,commune,42,2025-07-01,
18481,Xã Xuân Lộc,commune,42,2025-07-01,
18310,Xã Nghi Xuân,commune,42,2025-07-01,
`;

const LINEAGE: [string, string, boolean][] = [
	['18406', '18406', false],
	['18406', '18415', false],
	['18481', '18481', false],
	['18481', '18300', true],
	['18310', '18300', true],
	['18310', '18310', false]
];

let store: TempStore;
let db: Kysely<Database>;

const who = (role: Role, unitCode: string): Principal => ({ username: 'u', role, unitCode });
const JUNE = { from: '2025-06-01', to: '2025-06-30' };
const JULY = { from: '2025-07-01', to: '2025-07-31' };

/** The names of the versions in a principal's scope, sorted. */
async function scopeNames(principal: Principal): Promise<string[]> {
	const scope = await scopeOf(db, principal);
	const { rows } = await sql<{ id: number; name: string }>`SELECT id, name
		FROM unit_versions ORDER BY name`.execute(db);
	return rows.filter((r) => scope.all || scope.versions.has(r.id)).map((r) => r.name);
}

beforeAll(async () => {
	store = await tempStore('kpi-scope-');
	db = store.db;
	await importFile(store.db, 'units', store.file('units.csv', UNITS));
	for (const [newCode, oldCode, partial] of LINEAGE) {
		await store.db
			.insertInto('unit_lineage')
			.values({ new_code: newCode, old_code: oldCode, changed_on: '2025-07-01', partial })
			.execute();
	}
});

afterAll(() => store?.dispose());

describe('the scope of a principal', () => {
	it('is the subtree of its unit, and the communes that unit became after the merger', async () => {
		expect(await scopeNames(who('unit_head', '443'))).toEqual([
			'Huyện Can Lộc',
			'Thị trấn Nghèn',
			'Xã Can Lộc',
			'Xã Quang Lộc',
			'Xã Thiên Lộc',
			'Xã Xuân Lộc'
		]);
	});

	it('gives a new commune the history of the communes it was formed from, even in part', async () => {
		expect(await scopeNames(who('unit_head', '18481'))).toEqual([
			'Xã Quang Lộc',
			'Xã Xuân Hội',
			'Xã Xuân Lộc'
		]);
	});

	it('does not follow lineage a second step: a split commune does not open its other successor', async () => {
		const names = await scopeNames(who('unit_head', '442'));
		expect(names).toEqual([
			'Huyện Nghi Xuân',
			'Xã Nghi Xuân',
			'Xã Xuân Hội',
			'Xã Xuân Lộc',
			'Xã Xuân Viên'
		]);
		expect(names).not.toContain('Xã Quang Lộc');
	});

	it('is the whole province for a unit bound to the province, and everything for an admin', async () => {
		expect(await scopeNames(who('leader', '42'))).toHaveLength(12);
		expect(await scopeOf(db, who('admin', '443'))).toEqual({ all: true });
		expect(await scopeOf(db, OPERATOR)).toEqual({ all: true });
	});

	it('is empty for a unit code that no version has', async () => {
		expect(await scopeNames(who('unit_head', '99999'))).toEqual([]);
	});
});

describe('the one check on a unit', () => {
	it('lets a district head see his district before the merger and his new communes after', async () => {
		const head = who('unit_head', '443');
		expect((await visibleUnit(db, head, '443', JUNE)).name).toBe('Huyện Can Lộc');
		expect((await visibleUnit(db, head, '18406', JULY)).name).toBe('Xã Can Lộc');
		expect((await visibleUnit(db, head, '18406', JUNE)).name).toBe('Thị trấn Nghèn');
	});

	it('answers OutOfScope alike for a neighbour, a new commune not formed from his, and an unknown code', async () => {
		const head = who('unit_head', '443');
		for (const [code, period] of [
			['442', JUNE],
			['18300', JUNE],
			['18310', JULY],
			['99999', JUNE],
			['42', JUNE]
		] as const) {
			await expect(visibleUnit(db, head, code, period)).rejects.toThrow(OutOfScope);
		}
	});

	it('keeps the plain error for a visible unit asked about outside its validity', async () => {
		await expect(visibleUnit(db, who('unit_head', '443'), '443', JULY)).rejects.toThrow(
			KpiQueryError
		);
	});

	it('does not name a hidden version in an error about a code it shares with a visible one', async () => {
		// 18310 is Xã Xuân Viên (hidden from 18481's chairman) before and Xã Nghi Xuân after; neither
		// is his, so both answers are OutOfScope; 18481's own code resolves in either period.
		const chairman = who('unit_head', '18481');
		await expect(visibleUnit(db, chairman, '18310', JUNE)).rejects.toThrow(OutOfScope);
		expect((await visibleUnit(db, chairman, '18481', JUNE)).name).toBe('Xã Quang Lộc');
		await expect(
			visibleUnit(db, chairman, '18481', { from: '2025-06-01', to: '2025-07-31' })
		).rejects.toThrow(KpiQueryError);
	});

	it('is canSee for one version id, true for an admin', async () => {
		const { rows } = await sql<{ id: number; name: string }>`SELECT id, name
			FROM unit_versions WHERE code IN ('443', '442') ORDER BY code`.execute(db);
		const head = who('unit_head', '443');
		expect(await canSee(db, head, rows.find((r) => r.name === 'Huyện Can Lộc')!.id)).toBe(true);
		expect(await canSee(db, head, rows.find((r) => r.name === 'Huyện Nghi Xuân')!.id)).toBe(false);
		expect(await canSee(db, who('admin', '443'), rows[0].id)).toBe(true);
	});
});
