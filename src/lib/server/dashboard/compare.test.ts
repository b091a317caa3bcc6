/**
 * The comparison of children on small data built so every figure is known: ranks (ties shared),
 * sorting (empty values last both ways), statuses against each child's own target, the change
 * against the comparison period, and children that existed for part of the period or not at all
 * in the comparison period. Data enters only through `importFile`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../import/run';
import { kpiReport } from '../kpi/report';
import { resolveUnit } from '../units/versions';
import { tempStore, type TempStore } from '../testing/fixtures';
import { compareChildren, type CompareQuery } from './compare';

const UNITS = `code,name,level,parent_code,valid_from,valid_to
42,Tỉnh Hà Tĩnh,province,,,
42-STP,Sở Tư pháp,department,42,,
443,Huyện Can Lộc,district,42,,2025-06-30
18100,Xã Thượng Lộc,commune,443,,2025-06-30
18101,Xã Mỹ Lộc,commune,443,,2025-06-30
18102,Xã Vượng Lộc,commune,443,,2025-06-30
18103,Xã Gia Hanh,commune,443,,2025-06-30
18100,Xã Đồng Lộc,commune,42,2025-07-01,
`;

const PROCEDURES = `code,name,level,online_level,has_fee,online_payment,unit_code
1.001193,Đăng ký khai sinh,commune,full,false,false,
2.000488,Cấp Phiếu lý lịch tư pháp,province,partial,true,true,42-STP
`;

const TARGETS = `campaign,starts_on,ends_on,unit_code,kpi,level,target
Tháng Năm,2025-05-01,2025-05-31,42,online_submission_rate,province,74%
Tháng Năm,2025-05-01,2025-05-31,42,online_submission_rate,district,72%
Tháng Năm,2025-05-01,2025-05-31,42,online_submission_rate,commune,70%
Hè 2025,2025-06-01,2025-08-31,42,online_submission_rate,province,80%
Hè 2025,2025-06-01,2025-08-31,42,online_submission_rate,district,75%
Hè 2025,2025-06-01,2025-08-31,42,online_submission_rate,commune,75%
`;

/** `count` dossiers of one unit on one day, the first `online` filed online, the first `digitized` digitized. */
function dossiers(
	prefix: string,
	unit: string,
	day: string,
	count: number,
	online: number,
	digitized = 0,
	procedure = '1.001193'
): string[] {
	return Array.from(
		{ length: count },
		(_, i) =>
			`${prefix}-${i},${procedure},${unit},${i < online ? 'online' : 'direct'},${day} 09:00,${i < digitized ? 'x' : ''}`
	);
}

const DOSSIERS = [
	'dossier_code,procedure_code,unit_code,channel,received_at,dossier_digitized',
	// April 2025: Thượng Lộc 1/2 online, Mỹ Lộc 1/1; Sở Tư pháp 1/1.
	...dossiers('A-TL', '18100', '2025-04-10', 2, 1),
	...dossiers('A-ML', '18101', '2025-04-10', 1, 1),
	...dossiers('A-STP', '42-STP', '2025-04-10', 1, 1, 0, '2.000488'),
	// May 2025: Thượng Lộc 3/4 (digitized 1/4), Mỹ Lộc 1/2 (2/2), Vượng Lộc 2/3 (0/3), Gia Hanh none.
	...dossiers('M-TL', '18100', '2025-05-10', 4, 3, 1),
	...dossiers('M-ML', '18101', '2025-05-10', 2, 1, 2),
	...dossiers('M-VL', '18102', '2025-05-10', 3, 2, 0),
	// June 2025: Thượng Lộc 1/2, Mỹ Lộc 1/2, Vượng Lộc 2/2; Sở Tư pháp 0/1.
	...dossiers('J-TL', '18100', '2025-06-10', 2, 1),
	...dossiers('J-ML', '18101', '2025-06-10', 2, 1),
	...dossiers('J-VL', '18102', '2025-06-10', 2, 2),
	...dossiers('J-STP', '42-STP', '2025-06-10', 1, 0, 0, '2.000488'),
	// July 2025: the new commune 18100, Xã Đồng Lộc, 2/2.
	...dossiers('L-DL', '18100', '2025-07-10', 2, 2)
].join('\n');

let store: TempStore;
const db = () => store.db;

beforeAll(async () => {
	store = await tempStore();
	await importFile(store.db, 'units', store.file('units.csv', UNITS));
	await importFile(store.db, 'procedures', store.file('procedures.csv', PROCEDURES));
	await importFile(store.db, 'targets', store.file('targets.csv', TARGETS));
	await importFile(store.db, 'dossiers', store.file('dossiers.csv', `${DOSSIERS}\n`));
});
afterAll(() => store.dispose());

const DEFAULT: CompareQuery = {
	kpi: 'online_submission_rate',
	sort: 'online_submission_rate',
	dir: 'desc',
	show: 'ends'
};

async function compare(
	code: string,
	period: { from: string; to: string },
	then: { from: string; to: string },
	query: Partial<CompareQuery> = {}
) {
	const unit = await resolveUnit(db(), code, period);
	return compareChildren(
		db(),
		{ unit, period, comparison: { period: then } },
		{ ...DEFAULT, ...query }
	);
}

const MAY = { from: '2025-05-01', to: '2025-05-31' };
const APRIL = { from: '2025-04-01', to: '2025-04-30' };
const JUNE = { from: '2025-06-01', to: '2025-06-30' };

describe('the communes of Huyện Can Lộc in May 2025, against April', () => {
	it('ranks them by online submission, best first, the commune without dossiers last and unranked', async () => {
		const { children } = await compare('443', MAY, APRIL);
		expect(
			children.map((c) => [
				c.unit.name,
				c.rank,
				c.kpis.online_submission_rate.numerator,
				c.kpis.online_submission_rate.denominator
			])
		).toEqual([
			['Xã Thượng Lộc', 1, 3, 4],
			['Xã Vượng Lộc', 2, 2, 3],
			['Xã Mỹ Lộc', 3, 1, 2],
			['Xã Gia Hanh', null, 0, 0]
		]);
	});

	it('gives each commune its status against the commune target of 70%: met, close (within 5 points), below', async () => {
		const { children, targets } = await compare('443', MAY, APRIL);
		expect(children.map((c) => [c.unit.code, c.status.online_submission_rate])).toEqual([
			['18100', 'met'],
			['18102', 'close'],
			['18101', 'below'],
			['18103', undefined]
		]);
		expect(children[0].kpis.online_submission_rate.target).toBe(0.7);
		expect(targets).toEqual([{ level: 'commune', target: 0.7 }]);
		expect(children[0].status.dossier_digitization_rate).toBeUndefined();
	});

	it('gives the change against April, and none where April or May has no dossier', async () => {
		const { children } = await compare('443', MAY, APRIL);
		expect(
			children.map((c) => [c.unit.code, c.existedThen, c.change.online_submission_rate])
		).toEqual([
			['18100', true, 0.75 - 0.5],
			['18102', true, null],
			['18101', true, 0.5 - 1],
			['18103', true, null]
		]);
	});

	it('sorts ascending with the commune without dossiers still last', async () => {
		const { children } = await compare('443', MAY, APRIL, { dir: 'asc' });
		expect(children.map((c) => c.unit.code)).toEqual(['18101', '18102', '18100', '18103']);
	});

	it('sorts by another KPI than the ranked one, and ranks by the KPI chosen', async () => {
		const byDigitization = await compare('443', MAY, APRIL, { sort: 'dossier_digitization_rate' });
		expect(byDigitization.children.map((c) => [c.unit.code, c.rank])).toEqual([
			['18101', 3],
			['18100', 1],
			['18102', 2],
			['18103', null]
		]);
		const ranked = await compare('443', MAY, APRIL, { kpi: 'dossier_digitization_rate' });
		expect(ranked.children.map((c) => [c.unit.code, c.rank])).toEqual([
			['18100', 2],
			['18102', 3],
			['18101', 1],
			['18103', null]
		]);
	});

	it('sorts by name in Vietnamese order, both ways', async () => {
		const asc = await compare('443', MAY, APRIL, { sort: 'name', dir: 'asc' });
		expect(asc.children.map((c) => c.unit.name)).toEqual([
			'Xã Gia Hanh',
			'Xã Mỹ Lộc',
			'Xã Thượng Lộc',
			'Xã Vượng Lộc'
		]);
		const desc = await compare('443', MAY, APRIL, { sort: 'name', dir: 'desc' });
		expect(desc.children.map((c) => c.unit.name)).toEqual([
			'Xã Vượng Lộc',
			'Xã Thượng Lộc',
			'Xã Mỹ Lộc',
			'Xã Gia Hanh'
		]);
	});

	it('marks no commune as partial: each existed the whole of May, none has children', async () => {
		const { children } = await compare('443', MAY, APRIL);
		expect(children.map((c) => [c.partial, c.hasChildren])).toEqual(Array(4).fill([null, false]));
	});
});

describe('ties', () => {
	it('gives equal values one rank and skips the next (June: 2/2, then 1/2 twice), tied names in order', async () => {
		const { children } = await compare('443', JUNE, MAY);
		expect(children.map((c) => [c.unit.name, c.rank])).toEqual([
			['Xã Vượng Lộc', 1],
			['Xã Mỹ Lộc', 2],
			['Xã Thượng Lộc', 2],
			['Xã Gia Hanh', null]
		]);
	});
});

describe('the children of province 42 over June and July 2025, against April and May', () => {
	const SUMMER = { from: '2025-06-01', to: '2025-07-31' };
	const SPRING = { from: '2025-04-01', to: '2025-05-31' };

	it('marks the district ended on 30 June and the commune formed on 1 July with the days they existed', async () => {
		const { children } = await compare('42', SUMMER, SPRING, { sort: 'name', dir: 'asc' });
		expect(children.map((c) => [c.unit.name, c.partial, c.hasChildren])).toEqual([
			['Huyện Can Lộc', { from: '2025-06-01', to: '2025-06-30' }, true],
			['Sở Tư pháp', null, false],
			['Xã Đồng Lộc', { from: '2025-07-01', to: '2025-07-31' }, false]
		]);
	});

	it('compares the commune formed on 1 July with nothing, and the others with April and May', async () => {
		const { children } = await compare('42', SUMMER, SPRING, { sort: 'name', dir: 'asc' });
		expect(
			children.map((c) => [
				c.unit.code,
				c.kpis.online_submission_rate.numerator,
				c.kpis.online_submission_rate.denominator,
				c.existedThen,
				c.change.online_submission_rate
			])
		).toEqual([
			// June 4/6 against April and May 8/12: no change.
			['443', 4, 6, true, 0],
			// June 0/1 against April 1/1.
			['42-STP', 0, 1, true, -1],
			['18100', 2, 2, false, null]
		]);
	});

	it("checks each child against its own level's target: department 80%, district and commune 75%", async () => {
		const { children, targets } = await compare('42', SUMMER, SPRING, { sort: 'name', dir: 'asc' });
		expect(
			children.map((c) => [
				c.unit.code,
				c.kpis.online_submission_rate.target,
				c.status.online_submission_rate
			])
		).toEqual([
			['443', 0.75, 'below'],
			['42-STP', 0.8, 'below'],
			['18100', 0.75, 'met']
		]);
		expect(targets).toEqual([
			{ level: 'province', target: 0.8 },
			{ level: 'district', target: 0.75 },
			{ level: 'commune', target: 0.75 }
		]);
	});

	it("gives each child the same KPIs as the unit's report", async () => {
		const { children } = await compare('42', SUMMER, SPRING);
		const report = await kpiReport(db(), '42', SUMMER);
		for (const child of report.children) {
			const compared = children.find((c) => c.unit.name === child.unit.name)!;
			expect(compared.kpis).toEqual(child.kpis);
		}
		expect(children).toHaveLength(report.children.length);
	});
});

describe('a unit without children', () => {
	it('has nothing to compare', async () => {
		const { children, targets } = await compare('18101', MAY, APRIL);
		expect(children).toEqual([]);
		expect(targets).toEqual([]);
	});
});
