/**
 * The map page's figures on a small Hà Tĩnh whose counts are known: which communes get a value and
 * a status, that communes outside the principal's scope get none, and when the page falls back to
 * the children's table (a period before 1 July 2025, a subtree without communes).
 */
import type { DateRange } from '../../domain/periods';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../domain/types';
import { importFile } from '../import/run';
import { resolveUnit } from '../units/versions';
import { tempStore, type TempStore } from '../testing/fixtures';
import { communeMap, type CommuneMap, type UnitFigure } from './map';

/**
 * Two districts until 30/06/2025; from 01/07/2025 three communes directly under the province:
 * Xã Can Lộc and Xã Xuân Lộc formed from Can Lộc's communes (and, in part, Nghi Xuân's 18300),
 * Xã Nghi Xuân from Nghi Xuân's.
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
01,Thành phố Hà Nội,province,,,
00004,Phường Ba Đình,commune,01,2025-07-01,
`;

const LINEAGE: [newCode: string, oldCode: string, partial: boolean][] = [
	['18406', '18406', false],
	['18406', '18415', false],
	['18481', '18481', false],
	['18481', '18300', true],
	['18310', '18300', true],
	['18310', '18310', false]
];

const PROCEDURES = `code,name,level,online_level,has_fee,online_payment,unit_code
1.001193,Đăng ký khai sinh,commune,full,false,false,
2.000488,Cấp Phiếu lý lịch tư pháp,province,partial,true,true,42-STP
`;

const TARGETS = `campaign,starts_on,ends_on,unit_code,kpi,level,target
Xã mới 2025,2025-06-01,2025-12-31,42,online_submission_rate,province,70%
Xã mới 2025,2025-06-01,2025-12-31,42,online_submission_rate,district,70%
Xã mới 2025,2025-06-01,2025-12-31,42,online_submission_rate,commune,80%
`;

/** `count` dossiers of a unit on a day, the first `online` of them filed online. */
function dossiers(prefix: string, unit: string, day: string, count: number, online: number) {
	const procedure = unit === '42-STP' ? '2.000488' : '1.001193';
	return Array.from(
		{ length: count },
		(_, i) => `${prefix}${i},${procedure},${unit},${i < online ? 'online' : 'direct'},${day} 09:00`
	);
}

const DOSSIERS = [
	'dossier_code,procedure_code,unit_code,channel,received_at',
	// June 2025, before the reorganisation: Can Lộc 2 of 3 online, Nghi Xuân 0 of 1.
	...dossiers('JN', '18406', '2025-06-10', 2, 1),
	...dossiers('JT', '18415', '2025-06-11', 1, 1),
	...dossiers('JX', '18300', '2025-06-12', 1, 0),
	// August 2025: Xã Can Lộc 4 of 5 (met 80%), Xã Xuân Lộc 3 of 4 (close), Xã Nghi Xuân 1 of 2
	// (below), the Department of Justice 3 of 3.
	...dossiers('AC', '18406', '2025-08-05', 5, 4),
	...dossiers('AX', '18481', '2025-08-06', 4, 3),
	...dossiers('AN', '18310', '2025-08-07', 2, 1),
	...dossiers('AS', '42-STP', '2025-08-08', 3, 3)
].join('\n');

const ONLINE = 'online_submission_rate';
const JUNE: DateRange = { from: '2025-06-01', to: '2025-06-30' };
const AUGUST: DateRange = { from: '2025-08-01', to: '2025-08-31' };

const reformTeam: Principal = { username: 'noivu', role: 'reform_team', unitCode: '42' };
/** The head of Huyện Can Lộc: its communes, and the new communes formed from them. */
const canLocHead: Principal = { username: 'canloc', role: 'unit_head', unitCode: '443' };

let store: TempStore;
const db = () => store.db;

async function mapOf(principal: Principal, code: string, period: DateRange): Promise<CommuneMap> {
	return communeMap(db(), principal, await resolveUnit(db(), code, period), period, ONLINE);
}

/** name: numerator/denominator status */
const row = (f: UnitFigure) => `${f.name}: ${f.numerator}/${f.denominator} ${f.status}`;

beforeAll(async () => {
	store = await tempStore('kpi-map-');
	await importFile(store.db, 'units', store.file('units.csv', UNITS));
	for (const [newCode, oldCode, partial] of LINEAGE) {
		await store.db
			.insertInto('unit_lineage')
			.values({ new_code: newCode, old_code: oldCode, changed_on: '2025-07-01', partial })
			.execute();
	}
	await importFile(store.db, 'procedures', store.file('procedures.csv', PROCEDURES));
	await importFile(store.db, 'targets', store.file('targets.csv', TARGETS));
	await importFile(store.db, 'dossiers', store.file('dossiers.csv', DOSSIERS));
});

afterAll(() => store?.dispose());

describe('the commune map of a period after 1 July 2025', () => {
	it('gives every commune of the province its counts and its status against the commune target', async () => {
		const map = await mapOf(reformTeam, '42', AUGUST);
		expect(map.kind).toBe('map');
		if (map.kind !== 'map') return;
		expect(map.polygons).toBe('ha-tinh-communes-2025.geojson');
		expect(map.communes.map(row)).toEqual([
			'Xã Can Lộc: 4/5 met',
			'Xã Nghi Xuân: 1/2 below',
			'Xã Xuân Lộc: 3/4 close'
		]);
		expect(map.communes.map((c) => c.code)).toEqual(['18406', '18310', '18481']);
		expect(map.target).toBe(0.8);
		expect(map.statusCounts).toEqual({ met: 1, close: 1, below: 1, none: 0 });
	});

	it('reports the whole province against the province target beside the map', async () => {
		const map = await mapOf(reformTeam, '42', AUGUST);
		expect(row(map.total)).toBe('Tỉnh Hà Tĩnh: 11/14 met');
		expect(map.total.target).toBe(0.7);
	});

	it('gives a commune outside the scope no figures, even when the asked unit contains it', async () => {
		const map = await mapOf(canLocHead, '42', AUGUST);
		if (map.kind !== 'map') throw new Error(`expected a map, got ${map.kind}`);
		expect(map.communes.map(row)).toEqual(['Xã Can Lộc: 4/5 met', 'Xã Xuân Lộc: 3/4 close']);
		expect(map.statusCounts).toEqual({ met: 1, close: 1, below: 0, none: 0 });
	});

	it("colours only the commune itself on a commune's map", async () => {
		const map = await mapOf(reformTeam, '18481', AUGUST);
		if (map.kind !== 'map') throw new Error(`expected a map, got ${map.kind}`);
		expect(map.communes.map(row)).toEqual(['Xã Xuân Lộc: 3/4 close']);
	});

	it('counts a commune without dossiers as having no status, and keeps it on the map', async () => {
		const map = await mapOf(reformTeam, '42', { from: '2025-07-01', to: '2025-07-31' });
		if (map.kind !== 'map') throw new Error(`expected a map, got ${map.kind}`);
		expect(map.communes.map((c) => [c.name, c.value, c.status])).toEqual([
			['Xã Can Lộc', null, null],
			['Xã Nghi Xuân', null, null],
			['Xã Xuân Lộc', null, null]
		]);
		expect(map.statusCounts).toEqual({ met: 0, close: 0, below: 0, none: 3 });
	});
});

describe('the table shown instead of the map', () => {
	it('compares the children for a period before 1 July 2025, saying why', async () => {
		const map = await mapOf(reformTeam, '42', JUNE);
		expect(map.kind === 'children' && map.reason).toBe('period');
		if (map.kind !== 'children') return;
		expect(map.children.map(row)).toEqual([
			'Sở Tư pháp: 0/0 null',
			'Huyện Can Lộc: 2/3 close',
			'Huyện Nghi Xuân: 0/1 below'
		]);
		expect(row(map.total)).toBe('Tỉnh Hà Tĩnh: 2/4 below');
	});

	it('falls back for a period that starts before 1 July 2025 and ends after it', async () => {
		const map = await mapOf(reformTeam, '42', { from: '2025-06-15', to: '2025-08-31' });
		expect(map.kind === 'children' && map.reason).toBe('period');
	});

	it('compares the communes of a district before the reorganisation', async () => {
		const map = await mapOf(canLocHead, '443', JUNE);
		if (map.kind !== 'children') throw new Error(`expected children, got ${map.kind}`);
		expect(map.reason).toBe('period');
		expect(map.children.map(row)).toEqual([
			'Thị trấn Nghèn: 1/2 below',
			'Xã Quang Lộc: 0/0 null',
			'Xã Thiên Lộc: 1/1 met'
		]);
	});

	it('leaves out the children outside the scope', async () => {
		const map = await mapOf(canLocHead, '42', JUNE);
		if (map.kind !== 'children') throw new Error(`expected children, got ${map.kind}`);
		expect(map.children.map((c) => c.name)).toEqual(['Huyện Can Lộc']);
	});

	it('has no map for a department, whose subtree has no commune', async () => {
		const map = await mapOf(reformTeam, '42-STP', AUGUST);
		expect(map.kind === 'children' && map.reason).toBe('no_communes');
		if (map.kind !== 'children') return;
		expect(map.children).toEqual([]);
		expect(row(map.total)).toBe('Sở Tư pháp: 3/3 met');
	});

	it('has no map for a province whose commune polygons the project does not have', async () => {
		const admin: Principal = { username: 'admin', role: 'admin', unitCode: '42' };
		const map = await mapOf(admin, '01', AUGUST);
		expect(map.kind === 'children' && map.reason).toBe('no_polygons');
		if (map.kind !== 'children') return;
		expect(map.children.map((c) => c.name)).toEqual(['Phường Ba Đình']);
	});
});

describe('the KPI asked for', () => {
	it("maps the chosen KPI's counts", async () => {
		const unit = await resolveUnit(db(), '42', AUGUST);
		const map = await communeMap(db(), reformTeam, unit, AUGUST, 'dossier_digitization_rate');
		if (map.kind !== 'map') throw new Error(`expected a map, got ${map.kind}`);
		expect(map.communes.map((c) => `${c.name}: ${c.numerator}/${c.denominator}`)).toEqual([
			'Xã Can Lộc: 0/5',
			'Xã Nghi Xuân: 0/2',
			'Xã Xuân Lộc: 0/4'
		]);
		expect(map.target).toBeNull();
	});
});
