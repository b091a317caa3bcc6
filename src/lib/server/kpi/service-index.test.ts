/**
 * The service index (Decision 766): the scoring rules on constructed counts, the ranking, the
 * "what would it take" arithmetic, 2.1's stock of open dossiers at the period's end on imported
 * dossiers, the edits of a definition, and the score of every unit against an independent raw
 * scan of random dossiers (as aggregates.property.test.ts does for the KPIs).
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IndexIndicator, IndicatorEdit } from '../../domain/service-index';
import type { Principal, UnitLevel } from '../../domain/types';
import { OutOfScope } from '../auth/scope';
import { importFile } from '../import/run';
import { tempStore, type TempStore } from '../testing/fixtures';
import { IndicatorRefused, saveIndicator } from '../service-index';
import {
	improvement,
	indexDefinitions,
	indicatorPoints,
	rankWithinLevels,
	scoreUnit,
	serviceIndex,
	type Ranked
} from './service-index';

const definition = (over: Partial<IndexIndicator>): IndexIndicator => ({
	id: 'x',
	name: 'x',
	group: 'online',
	points: 4,
	ratio: 'online_submission_rate',
	rule: 'linear',
	threshold: null,
	source: '',
	assumption: '',
	position: 1,
	updated_at: null,
	updated_by: null,
	...over
});

describe('the scoring rules', () => {
	it('gives points × ratio under the linear rule', () => {
		expect(indicatorPoints(definition({ points: 6 }), { numerator: 3, denominator: 4 })).toBe(4.5);
		expect(indicatorPoints(definition({ points: 6 }), { numerator: 0, denominator: 4 })).toBe(0);
	});

	it('gives full points at and above the threshold and points × ratio / t just below it', () => {
		const rule = definition({ points: 4, rule: 'threshold', threshold: 0.8 });
		expect(indicatorPoints(rule, { numerator: 799, denominator: 1000 })).toBeCloseTo(3.995, 12);
		expect(indicatorPoints(rule, { numerator: 799, denominator: 1000 })).toBeLessThan(4);
		expect(indicatorPoints(rule, { numerator: 800, denominator: 1000 })).toBe(4);
		expect(indicatorPoints(rule, { numerator: 4, denominator: 5 })).toBe(4);
		expect(indicatorPoints(rule, { numerator: 801, denominator: 1000 })).toBe(4);
		expect(indicatorPoints(rule, { numerator: 1000, denominator: 1000 })).toBe(4);
	});

	it('leaves an indicator with an empty denominator unmeasured, not zero, and out of measured_points', () => {
		const indicators = [
			definition({ id: 'a', group: 'transparency', points: 6, ratio: 'portal_sync_rate' }),
			definition({ id: 'b', group: 'payment', points: 2, ratio: 'payment_enabled_rate' })
		];
		const index = scoreUnit(indicators, (ratio) =>
			ratio === 'portal_sync_rate'
				? { numerator: 1, denominator: 2 }
				: { numerator: 0, denominator: 0 }
		);
		expect(index.indicators.b).toEqual({
			numerator: 0,
			denominator: 0,
			value: null,
			points: null,
			max_points: 2,
			rule: 'linear'
		});
		expect(index.measured_points).toBe(6);
		expect(index.score).toBe(3);
		expect(index.groups.payment).toMatchObject({ score: null, measured_points: 0 });
		expect(index.groups.transparency).toEqual({ score: 3, measured_points: 6, max_points: 18 });
		const nothing = scoreUnit(indicators, () => ({ numerator: 0, denominator: 0 }));
		expect(nothing).toMatchObject({ score: null, measured_points: 0 });
	});
});

describe('what it would take', () => {
	it('counts the dossiers to the threshold with the targets gap, stepped to the exact ratio', () => {
		const rule = definition({ points: 4, rule: 'threshold', threshold: 0.8 });
		// 700/1000: 100 more reach 80% exactly, which gains the 0.5 point missing.
		const score = scoreUnit([rule], () => ({ numerator: 700, denominator: 1000 })).indicators.x;
		expect(improvement(rule, score)).toEqual({
			id: 'x',
			counts: 'dossiers',
			points_lost: expect.closeTo(0.5, 12),
			more: 100,
			points_gained: expect.closeTo(0.5, 12),
			points_each: 4 / 800
		});
		// 7996/10000 prints "80,0%" and meets an 80% target, but scores below full points: 4 more.
		const close = scoreUnit([rule], () => ({ numerator: 7996, denominator: 10000 })).indicators.x;
		expect(improvement(rule, close)).toMatchObject({ more: 4 });
	});

	it('asks for every missing one under the linear rule, in procedures for a catalogue ratio', () => {
		const rule = definition({ points: 2, ratio: 'fee_procedures_paid_online' });
		const score = scoreUnit([rule], () => ({ numerator: 3, denominator: 4 })).indicators.x;
		expect(improvement(rule, score)).toEqual({
			id: 'x',
			counts: 'procedures',
			points_lost: 0.5,
			more: 1,
			points_gained: 0.5,
			points_each: 0.5
		});
	});

	it('has nothing to say of an indicator at full points or unmeasured', () => {
		const rule = definition({ points: 4, rule: 'threshold', threshold: 0.5 });
		const full = scoreUnit([rule], () => ({ numerator: 6, denominator: 10 })).indicators.x;
		expect(improvement(rule, full)).toBeNull();
		const none = scoreUnit([rule], () => ({ numerator: 0, denominator: 0 })).indicators.x;
		expect(improvement(rule, none)).toBeNull();
	});
});

describe('the ranking', () => {
	const unit = (code: string, level: UnitLevel, score: number | null, measured = 66): Ranked => ({
		unit: { code, name: code, level },
		score,
		measured_points: measured
	});

	it('lets ties share a rank and skips the ranks they take (1, 2, 2, 4)', () => {
		const places = rankWithinLevels([
			unit('a', 'commune', 50),
			unit('b', 'commune', 40),
			unit('c', 'commune', 40),
			unit('d', 'commune', 30)
		]);
		expect(['a', 'b', 'c', 'd'].map((c) => places.get(c)!.rank)).toEqual([1, 2, 2, 4]);
		expect(places.get('d')).toEqual({ share: 30 / 66, rank: 4, of: 4 });
	});

	it('ties shares that differ only by float noise', () => {
		const places = rankWithinLevels([
			unit('a', 'commune', 0.1 + 0.2, 1),
			unit('b', 'commune', 0.3, 1)
		]);
		expect([places.get('a')!.rank, places.get('b')!.rank]).toEqual([1, 1]);
	});

	it('never mixes levels: departments, districts and communes each have their own first', () => {
		const places = rankWithinLevels([
			unit('s1', 'department', 20),
			unit('s2', 'department', 60),
			unit('h1', 'district', 10),
			unit('x1', 'commune', 30),
			unit('x2', 'commune', 65)
		]);
		expect(Object.fromEntries([...places].map(([code, p]) => [code, [p.rank, p.of]]))).toEqual({
			s1: [2, 2],
			s2: [1, 2],
			h1: [1, 1],
			x1: [2, 2],
			x2: [1, 2]
		});
	});

	it('ranks by the share of measured points, and leaves a unit with nothing measured unranked', () => {
		const places = rankWithinLevels([
			unit('a', 'commune', 45, 50),
			unit('b', 'commune', 50, 66),
			unit('c', 'commune', null, 0)
		]);
		expect(places.get('a')!.rank).toBe(1);
		expect(places.get('b')!.rank).toBe(2);
		expect(places.get('c')).toEqual({ share: null, rank: null, of: 2 });
	});
});

// ---- On imported dossiers ----

const UNITS = `code,name,level,parent_code,valid_from,valid_to
42,Tỉnh Hà Tĩnh,province,,,
42-STP,Sở Tư pháp,department,42,,
42-SYT,Sở Y tế,department,42,,
443,Huyện Can Lộc,district,42,,
444,Huyện Thạch Hà,district,42,,
18100,Xã Thượng Lộc,commune,443,,
18101,Xã Mỹ Lộc,commune,443,,
18200,Xã Thạch Đài,commune,444,,
`;

const PROCEDURES = `code,name,level,field,online_level,has_fee,online_payment,unit_code,active
C-FULL,Đăng ký khai sinh,commune,Hộ tịch,full,false,false,,true
C-PART,Đăng ký kết hôn,commune,Hộ tịch,partial,true,true,,true
C-NONE,Chứng thực bản sao,commune,Chứng thực,none,true,false,,true
C-443,Xác nhận tình trạng hôn nhân,commune,Hộ tịch,full,true,false,443,true
D-PART,Cấp giấy phép xây dựng,district,Xây dựng,partial,true,true,,true
D-NONE,Cấp bản sao trích lục,district,Hộ tịch,none,false,false,,true
S-PART,Cấp Phiếu lý lịch tư pháp,province,Lý lịch tư pháp,partial,true,true,42-STP,true
S-FULL,Cấp bản sao trích lục hộ tịch,province,Hộ tịch,full,true,false,42-STP,true
Y-NONE,Cấp chứng chỉ hành nghề,province,Y tế,none,true,false,42-SYT,true
P-FULL,Thủ tục cấp tỉnh,province,Khác,full,true,true,,true
P-OFF,Thủ tục tỉnh đã bãi bỏ,province,Khác,full,true,true,,false
`;

const DOSSIER_HEADER =
	'dossier_code,procedure_code,unit_code,channel,received_at,due_at,completed_at,status,' +
	'fee_required,paid_online,dossier_digitized,result_digitized,data_reused,portal_synced,rating';

const OCTOBER = { from: '2024-10-01', to: '2024-10-31' };

describe('2.1 on imported dossiers', () => {
	let store: TempStore;

	beforeAll(async () => {
		store = await tempStore();
		await importFile(store.db, 'units', store.file('units.csv', UNITS));
		await importFile(store.db, 'procedures', store.file('procedures.csv', PROCEDURES));
		const rows = [
			// Completed in October on time, late, and without a due date (no deadline to miss).
			'A,C-FULL,18100,online,2024-10-05T08:00:00,2024-10-20,2024-10-15T09:00:00,completed',
			'B,C-FULL,18100,online,2024-10-05T08:00:00,2024-10-10,2024-10-20T09:00:00,completed',
			'H,C-FULL,18100,direct,2024-10-03T08:00:00,,2024-10-04T09:00:00,completed',
			// Completed after the end: in progress at the end, not yet due then.
			'C,C-FULL,18100,online,2024-10-25T08:00:00,2024-11-10,2024-11-05T09:00:00,completed',
			// Open, due before the end: in the denominator, not the numerator.
			'D,C-FULL,18100,direct,2024-10-02T08:00:00,2024-10-20,,processing',
			// Received before the period and still open, due after it: a stock, counted.
			'E,C-FULL,18100,direct,2024-09-20T08:00:00,2024-11-30,,received',
			// Returned: not in progress; received after the end: not yet there.
			'F,C-FULL,18100,direct,2024-10-10T08:00:00,2024-10-30,,returned',
			'G,C-FULL,18100,direct,2024-11-02T08:00:00,2024-11-20,,received',
			// Due on the last day (the end of that day): due by the end, so not "not yet due".
			'I,C-FULL,18100,direct,2024-10-28T08:00:00,2024-10-31,,processing'
		].map((r) => `${r},false,false,false,false,false,false,`);
		await importFile(
			store.db,
			'dossiers',
			store.file('dossiers.csv', [DOSSIER_HEADER, ...rows].join('\n'))
		);
	});
	afterAll(() => store.dispose());

	it('counts on time, open and not yet due at the end, and open past due, as the portal does', async () => {
		const index = await serviceIndex(store.db, '18100', OCTOBER);
		// Numerator A, H, C, E; denominator completed A, B, H and open at the end C, D, E, I.
		expect(index.indicators['2.1']).toEqual({
			numerator: 4,
			denominator: 7,
			value: 4 / 7,
			points: 20 * (4 / 7),
			max_points: 20,
			rule: 'linear'
		});
		// Every other indicator of the commune that has no data is unmeasured, not zero.
		expect(index.indicators['3.6'].points).toBeNull();
	});

	it('counts a dossier completed after the end as open at the end, and not in a later month', async () => {
		const november = await serviceIndex(store.db, '18100', {
			from: '2024-11-01',
			to: '2024-11-30'
		});
		// Completed in November: C. Open at the end of November: D, E, G, I (E due 30/11 at its end).
		expect(november.indicators['2.1']).toMatchObject({ numerator: 1, denominator: 5 });
	});
});

// ---- The score against a raw scan ----

/** mulberry32, as the KPI property test. */
function random(seed: number) {
	let a = seed >>> 0;
	const next = () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
	return {
		chance: (p: number) => next() < p,
		int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
		pick: <T>(list: readonly T[]) => list[Math.floor(next() * list.length)]
	};
}

const pad = (n: number) => String(n).padStart(2, '0');

/** The default table, written out here, not read from the migration. */
const DEFAULTS: [id: string, points: number, threshold: number | null][] = [
	['1.4', 6, null],
	['2.1', 20, null],
	['3.1', 4, 0.8],
	['3.2', 4, null],
	['3.3', 4, 0.5],
	['3.5', 2, 0.8],
	['3.5b', 2, null],
	['3.6', 6, null],
	['4.1', 6, null],
	['4.2', 4, 0.8],
	['4.3', 2, 0.8],
	['5.4', 6, 0.9]
];

interface RawUnit {
	code: string;
	level: UnitLevel;
	parent: string | null;
}
interface RawProcedure {
	code: string;
	level: string;
	online_level: string;
	has_fee: boolean;
	online_payment: boolean;
	unit_code: string | null;
	active: boolean;
}
interface RawDossier {
	procedure_code: string;
	unit_code: string;
	channel: string;
	received_at: string;
	due_at: string | null;
	completed_at: string | null;
	status: string;
	online_level: string | null;
	fee_required: boolean;
	paid_online: boolean;
	dossier_digitized: boolean;
	result_digitized: boolean;
	data_reused: boolean;
	portal_synced: boolean;
	rating: string | null;
}

/**
 * The score of `code` computed from the stored rows alone, from the table and DOMAIN.md's
 * definitions: a scan of every dossier and procedure, nothing of the engine.
 */
function referenceScore(
	units: RawUnit[],
	procedures: RawProcedure[],
	dossiers: RawDossier[],
	code: string,
	period: { from: string; to: string }
) {
	const parentOf = new Map(units.map((u) => [u.code, u.parent]));
	const inSubtree = (c: string | null): boolean =>
		c === null ? false : c === code || inSubtree(parentOf.get(c) ?? null);
	const ancestors = new Set<string>();
	for (let c = parentOf.get(code) ?? null; c !== null; c = parentOf.get(c) ?? null)
		ancestors.add(c);
	const subtree = units.filter((u) => inSubtree(u.code));
	const levels = new Set(subtree.map((u) => (u.level === 'department' ? 'province' : u.level)));
	const catalogue = procedures.filter(
		(p) =>
			p.active &&
			((p.unit_code !== null && inSubtree(p.unit_code)) ||
				(levels.has(p.level as never) && (p.unit_code === null || ancestors.has(p.unit_code))))
	);
	const levelOf = new Map(procedures.map((p) => [p.code, p.online_level]));
	const mine = dossiers.filter((d) => inSubtree(d.unit_code));
	const day = (t: string | null) => (t === null ? null : t.slice(0, 10));
	const inPeriod = (t: string | null) =>
		t !== null && day(t)! >= period.from && day(t)! <= period.to;
	const received = mine.filter((d) => inPeriod(d.received_at));
	const completed = mine.filter((d) => inPeriod(d.completed_at));
	const count = <T>(list: T[], test: (x: T) => boolean) => list.filter(test).length;
	const level = (d: RawDossier) => d.online_level ?? levelOf.get(d.procedure_code)!;
	const eligible = received.filter((d) => ['full', 'partial'].includes(level(d)));
	// Open at the end: received by the end, not completed by then, neither returned nor withdrawn.
	const open = mine.filter(
		(d) =>
			day(d.received_at)! <= period.to &&
			(d.completed_at === null || day(d.completed_at)! > period.to) &&
			!['returned', 'withdrawn'].includes(d.status)
	);
	const onTime = count(completed, (d) => d.due_at === null || d.completed_at! <= d.due_at);
	const notDue = count(open, (d) => d.due_at === null || day(d.due_at)! > period.to);
	const online = catalogue.filter((p) => ['full', 'partial'].includes(p.online_level));
	const fee = catalogue.filter((p) => p.has_fee);
	const usedOnline = new Set(
		received.filter((d) => d.channel === 'online').map((d) => d.procedure_code)
	);
	const paidOnline = new Set(
		received.filter((d) => d.fee_required && d.paid_online).map((d) => d.procedure_code)
	);
	const ratios: Record<string, [number, number]> = {
		'1.4': [count(received, (d) => d.portal_synced), received.length],
		'2.1': [onTime + notDue, completed.length + open.length],
		'3.1': [online.length, catalogue.length],
		'3.2': [count(online, (p) => usedOnline.has(p.code)), online.length],
		'3.3': [count(eligible, (d) => d.channel === 'online'), eligible.length],
		'3.5': [count(fee, (p) => p.online_payment), fee.length],
		'3.5b': [count(fee, (p) => paidOnline.has(p.code)), fee.length],
		'3.6': [
			count(received, (d) => d.fee_required && d.paid_online),
			count(received, (d) => d.fee_required)
		],
		'4.1': [count(completed, (d) => d.result_digitized), completed.length],
		'4.2': [count(received, (d) => d.dossier_digitized), received.length],
		'4.3': [count(received, (d) => d.data_reused), received.length],
		'5.4': [
			count(received, (d) => d.rating === 'satisfied'),
			count(received, (d) => d.rating !== null)
		]
	};
	let score: number | null = null;
	let measured = 0;
	const indicators: Record<
		string,
		{ numerator: number; denominator: number; points: number | null }
	> = {};
	for (const [id, points, threshold] of DEFAULTS) {
		const [n, d] = ratios[id];
		let earned: number | null = null;
		if (d > 0) {
			const r = n / d;
			earned = threshold === null ? points * r : r >= threshold ? points : (points * r) / threshold;
			measured += points;
			score = (score ?? 0) + earned;
		}
		indicators[id] = { numerator: n, denominator: d, points: earned };
	}
	return { score, measured_points: measured, indicators };
}

describe('the score against a raw scan of the dossiers', () => {
	let store: TempStore;
	let units: RawUnit[];
	let procedures: RawProcedure[];
	let dossiers: RawDossier[];

	beforeAll(async () => {
		store = await tempStore();
		await importFile(store.db, 'units', store.file('units.csv', UNITS));
		await importFile(store.db, 'procedures', store.file('procedures.csv', PROCEDURES));
		const r = random(766);
		const places = ['42-STP', '42-SYT', '443', '444', '18100', '18101', '18200', '42'];
		const procedureCodes = [
			'C-FULL',
			'C-PART',
			'C-NONE',
			'C-443',
			'D-PART',
			'D-NONE',
			'S-PART',
			'S-FULL',
			'Y-NONE',
			'P-FULL'
		];
		const stamp = (t: number) => {
			const d = new Date(Date.UTC(2024, 6, 1) + t * 3_600_000);
			return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:00:00`;
		};
		const rows: string[] = [];
		for (let i = 0; i < 1500; i++) {
			const hour = r.int(0, 24 * 150);
			const dueHours = r.chance(0.15) ? null : r.int(24, 24 * 20);
			const doneHours = r.chance(0.3) ? null : r.int(1, 24 * 30);
			const status =
				doneHours !== null
					? 'completed'
					: r.pick(['received', 'processing', 'processing', 'returned', 'withdrawn']);
			const fee = r.chance(0.5);
			const b = (p: number) => (r.chance(p) ? 'true' : 'false');
			rows.push(
				[
					`R${i}`,
					r.pick(procedureCodes),
					r.pick(places),
					r.pick(['online', 'online', 'direct', 'postal']),
					stamp(hour),
					dueHours === null ? '' : stamp(hour + dueHours),
					doneHours === null ? '' : stamp(hour + doneHours),
					status,
					String(fee),
					fee ? b(0.5) : 'false',
					b(0.8),
					b(0.7),
					b(0.4),
					b(0.95),
					r.chance(0.3) ? r.pick(['satisfied', 'satisfied', 'neutral', 'dissatisfied']) : '',
					// A dossier's own online level overrides its procedure's (DOMAIN.md: eligible).
					r.chance(0.1) ? r.pick(['full', 'partial', 'none']) : ''
				].join(',')
			);
		}
		await importFile(
			store.db,
			'dossiers',
			store.file('random.csv', [`${DOSSIER_HEADER},online_level`, ...rows].join('\n'))
		);
		units = (
			await sql<RawUnit>`SELECT u.code, u.level, p.code AS parent FROM unit_versions u
				LEFT JOIN unit_versions p ON p.id = u.parent_id`.execute(store.db)
		).rows;
		procedures = (
			await sql<RawProcedure>`SELECT code, level, online_level, has_fee, online_payment, unit_code,
				active FROM procedures`.execute(store.db)
		).rows;
		dossiers = (
			await sql<RawDossier>`SELECT procedure_code, unit_code, channel,
				strftime(received_at, '%Y-%m-%dT%H:%M:%S') AS received_at,
				strftime(due_at, '%Y-%m-%dT%H:%M:%S') AS due_at,
				strftime(completed_at, '%Y-%m-%dT%H:%M:%S') AS completed_at, status, online_level,
				fee_required, paid_online, dossier_digitized, result_digitized, data_reused,
				portal_synced, rating FROM dossiers`.execute(store.db)
		).rows;
		expect(dossiers).toHaveLength(1500);
		expect(dossiers.filter((d) => d.online_level !== null).length).toBeGreaterThan(100);
	});
	afterAll(() => store.dispose());

	const PERIODS = [
		{ from: '2024-07-01', to: '2024-07-31' },
		{ from: '2024-08-10', to: '2024-09-20' },
		{ from: '2024-07-01', to: '2024-12-31' }
	];

	it.each(PERIODS)(
		'scores every unit and child as the raw scan does, $from to $to',
		async (period) => {
			let partial = 0;
			for (const code of ['42', '443', '444', '42-STP', '18101']) {
				const index = await serviceIndex(store.db, code, period);
				for (const one of [index, ...index.children]) {
					const expected = referenceScore(units, procedures, dossiers, one.unit.code, period);
					for (const [id, e] of Object.entries(expected.indicators)) {
						expect(
							{ ...one.indicators[id], value: undefined, rule: undefined, max_points: undefined },
							`${one.unit.code} ${id}`
						).toEqual({ ...e, value: undefined, rule: undefined, max_points: undefined });
					}
					expect(one.measured_points, one.unit.code).toBe(expected.measured_points);
					expect(one.score, one.unit.code).toBe(expected.score);
					for (const e of Object.values(expected.indicators)) {
						if (e.denominator > 0 && e.numerator < e.denominator) partial++;
					}
				}
			}
			// Not a comparison of empty sets: most indicators of most units are measured, below full.
			expect(partial).toBeGreaterThan(100);
		}
	);

	it('compares each child with its rank in the previous period of the same length', async () => {
		const august = await serviceIndex(store.db, '42', { from: '2024-08-01', to: '2024-08-31' });
		const july = await serviceIndex(store.db, '42', { from: '2024-07-01', to: '2024-07-31' });
		expect(august.previous).toEqual({ from: '2024-07-01', to: '2024-07-31' });
		const levels = new Set(august.children.map((c) => c.unit.level));
		expect(levels).toEqual(new Set(['department', 'district']));
		for (const child of august.children) {
			const before = july.children.find((c) => c.unit.code === child.unit.code)!;
			expect(child.previous_rank, child.unit.code).toBe(before.rank);
			expect(child.rank_change, child.unit.code).toBe(before.rank! - child.rank!);
			// Ranked among its own level only.
			expect(child.of).toBe(
				august.children.filter((c) => c.unit.level === child.unit.level).length
			);
		}
	});
});

// ---- Editing a definition ----

describe('editing a definition', () => {
	let store: TempStore;
	const admin: Principal = { username: 'admin', role: 'admin', unitCode: '42' };
	const actor = { username: 'admin' };
	let sync: IndicatorEdit;

	beforeAll(async () => {
		store = await tempStore();
		await importFile(store.db, 'units', store.file('units.csv', UNITS));
		await importFile(store.db, 'procedures', store.file('procedures.csv', PROCEDURES));
		const rows = ['S1,true', 'S2,true', 'S3,true', 'S4,false'].map((r) => {
			const [code, synced] = r.split(',');
			return `${code},C-FULL,18100,online,2024-10-05T08:00:00,,,received,false,false,false,false,false,${synced},`;
		});
		await importFile(
			store.db,
			'dossiers',
			store.file('d.csv', [DOSSIER_HEADER, ...rows].join('\n'))
		);
		const { name, group, points, ratio, rule, threshold, source, assumption } = (
			await indexDefinitions(store.db)
		).indicators.find((i) => i.id === '1.4')!;
		sync = { name, group, points, ratio, rule, threshold, source, assumption };
	});
	afterAll(() => store.dispose());

	it('seeds the twelve indicators of the issue with 66 points and 34 not measured', async () => {
		const definitions = await indexDefinitions(store.db);
		expect(definitions.indicators.map((i) => [i.id, i.points, i.rule, i.threshold])).toEqual(
			DEFAULTS.map(([id, points, threshold]) => [
				id,
				points,
				threshold === null ? 'linear' : 'threshold',
				threshold
			])
		);
		expect(definitions.indicators.every((i) => i.source !== '' && i.assumption !== '')).toBe(true);
		expect(definitions.not_measured.reduce((s, n) => s + n.points, 0)).toBe(34);
	});

	it('changes the score at once, and writes the change to the audit log', async () => {
		const before = await serviceIndex(store.db, '18100', OCTOBER);
		expect(before.indicators['1.4']).toMatchObject({ numerator: 3, denominator: 4, points: 4.5 });
		await saveIndicator(store.db, admin, actor, '1.4', {
			...sync,
			points: 8,
			rule: 'threshold',
			threshold: 0.75,
			assumption: '  Ngưỡng 75% theo hướng dẫn của tỉnh.  '
		});
		const after = await serviceIndex(store.db, '18100', OCTOBER);
		expect(after.indicators['1.4']).toMatchObject({ points: 8, max_points: 8, rule: 'threshold' });
		expect(after.measured_points).toBe(before.measured_points + 2);
		const saved = (await indexDefinitions(store.db)).indicators.find((i) => i.id === '1.4')!;
		expect(saved).toMatchObject({
			assumption: 'Ngưỡng 75% theo hướng dẫn của tỉnh.',
			updated_by: 'admin'
		});
		const { rows } = await sql<{ username: string; detail: string }>`SELECT username, detail
			FROM audit_log WHERE action = 'index_indicator'`.execute(store.db);
		expect(rows).toHaveLength(1);
		expect(rows[0].username).toBe('admin');
		expect(JSON.parse(rows[0].detail)).toMatchObject({
			id: '1.4',
			before: { points: 6, rule: 'linear' },
			after: { points: 8, rule: 'threshold', threshold: 0.75 }
		});
	});

	it('refuses a hostile edit and changes nothing', async () => {
		const hostile: [Partial<IndicatorEdit>, string][] = [
			[{ points: 1e9 }, 'points'],
			[{ points: Number.NaN }, 'points'],
			[{ points: -1 }, 'points'],
			[{ rule: 'threshold', threshold: 0 }, 'threshold'],
			[{ rule: 'threshold', threshold: 1.5 }, 'threshold'],
			[{ rule: 'DROP TABLE' as never }, 'rule'],
			[{ ratio: 'portal_synced) OR (1=1' as never }, 'ratio'],
			[{ group: 'bonus' as never }, 'group'],
			[{ assumption: 'x'.repeat(10_000) }, 'assumption'],
			[{ source: 'a\u0000b' }, 'source'],
			[{ name: 'a\u202eb' }, 'name'],
			[{ name: '   ' }, 'name']
		];
		const before = await store.snapshot('index_indicators', 'id');
		for (const [edit, field] of hostile) {
			const refusal = saveIndicator(store.db, admin, actor, '3.1', { ...sync, ...edit });
			await expect(refusal, field).rejects.toBeInstanceOf(IndicatorRefused);
			await expect(refusal, field).rejects.toMatchObject({ problem: { field } });
		}
		await expect(
			saveIndicator(store.db, admin, actor, "1.4' OR '1'='1", sync)
		).rejects.toMatchObject({ problem: { field: 'id', kind: 'unknown' } });
		expect(await store.snapshot('index_indicators', 'id')).toEqual(before);
	});

	it('lets only an admin or a province reform team edit', async () => {
		const refused: Principal[] = [
			{ username: 'l', role: 'leader', unitCode: '42' },
			{ username: 'h', role: 'unit_head', unitCode: '42' },
			{ username: 'r', role: 'reform_team', unitCode: '443' }
		];
		for (const principal of refused) {
			await expect(saveIndicator(store.db, principal, actor, '1.4', sync)).rejects.toBeInstanceOf(
				OutOfScope
			);
		}
		const team: Principal = { username: 'team', role: 'reform_team', unitCode: '42' };
		await expect(
			saveIndicator(store.db, team, { username: 'team' }, '1.4', sync)
		).resolves.toMatchObject({ points: 6, rule: 'linear', threshold: null });
	});
});
