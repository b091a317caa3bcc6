/**
 * Property test of the aggregates: random dossiers (a seeded PRNG, three fixed seeds) imported in
 * three files, then for random (unit, period) pairs every dossier KPI of `kpiReport` (subtree, by
 * level, each child) and the buckets of `kpiSeries` must equal a plain scan of the raw dossiers.
 * The scan is written here from DOMAIN.md's definitions, not from MEASURES; the dossiers it reads
 * are first checked against the generator's own model of what the import must store.
 */
import { sql } from 'kysely';
import type { DateRange } from '../../domain/periods';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../import/run';
import { tempStore, type TempStore } from '../testing/fixtures';
import { formatPercent } from '../../domain/format';
import { gapToTarget, targetStatus } from './figures';
import { PROCEDURE_KPIS, procedureBreakdown } from './procedures';
import { kpiReport, type KpiValues } from './report';
import { kpiSeries, type Grain, type SeriesPoint } from './series';

const SEEDS = [20240509, 42, 3321];
/**
 * New dossiers and updates per file. The last file is small: it refreshes few (unit, month) pairs
 * of the aggregates, so a pair it should have refreshed and did not shows.
 */
const NEW_DOSSIERS = [2000, 1000, 10];
const UPDATES = [0, 500, 20];
const PAIRS_PER_SEED = 40;

/** mulberry32: a small, fast, seedable PRNG (uniform in [0, 1)). */
function mulberry32(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

interface Random {
	(): number;
	int(min: number, max: number): number;
	pick<T>(list: readonly T[]): T;
	chance(p: number): boolean;
}

function random(seed: number): Random {
	const next = mulberry32(seed);
	return Object.assign(next, {
		int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
		pick: <T>(list: readonly T[]) => list[Math.floor(next() * list.length)],
		chance: (p: number) => next() < p
	});
}

// ---- Calendar: local (Asia/Ho_Chi_Minh) wall-clock times as milliseconds of a UTC clock. ----

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const ms = (iso: string) => Date.parse(`${iso.length === 10 ? `${iso}T00:00:00` : iso}Z`);
const day = (t: number) => new Date(t).toISOString().slice(0, 10);
const local = (t: number) => new Date(t).toISOString().slice(0, 19);
const addDays = (iso: string, n: number) => day(ms(iso) + n * DAY);
const pad = (n: number) => String(n).padStart(2, '0');

const FIRST_DAY = '2024-06-01';
const LAST_DAY = '2025-09-30';
const REFORM = '2025-07-01';

// ---- The units: a code reused on 1 July 2025, a commune formed mid-way, districts dissolved. ----

interface UnitVersion {
	code: string;
	name: string;
	level: 'province' | 'department' | 'district' | 'commune';
	parent: string | null;
	from: string | null;
	to: string | null;
}

const UNITS: UnitVersion[] = [
	{ code: '42', name: 'Tỉnh Hà Tĩnh', level: 'province', parent: null, from: null, to: null },
	{ code: '42-STP', name: 'Sở Tư pháp', level: 'department', parent: '42', from: null, to: null },
	{ code: '42-SYT', name: 'Sở Y tế', level: 'department', parent: '42', from: null, to: null },
	{
		code: '443',
		name: 'Huyện Can Lộc',
		level: 'district',
		parent: '42',
		from: null,
		to: '2025-06-30'
	},
	{
		code: '444',
		name: 'Huyện Thạch Hà',
		level: 'district',
		parent: '42',
		from: null,
		to: '2025-06-30'
	},
	{
		code: '18100',
		name: 'Xã Thượng Lộc',
		level: 'commune',
		parent: '443',
		from: null,
		to: '2025-06-30'
	},
	{
		code: '18101',
		name: 'Xã Mỹ Lộc',
		level: 'commune',
		parent: '443',
		from: null,
		to: '2025-06-30'
	},
	{
		code: '18200',
		name: 'Xã Thạch Đài',
		level: 'commune',
		parent: '444',
		from: null,
		to: '2025-06-30'
	},
	{
		code: '18201',
		name: 'Xã Thạch Tân',
		level: 'commune',
		parent: '444',
		from: '2024-10-01',
		to: '2025-06-30'
	},
	{ code: '18100', name: 'Xã Đồng Lộc', level: 'commune', parent: '42', from: REFORM, to: null },
	{ code: '18200', name: 'Xã Thạch Hà', level: 'commune', parent: '42', from: REFORM, to: null },
	{
		code: '18300',
		name: 'Phường Thành Sen',
		level: 'commune',
		parent: '42',
		from: REFORM,
		to: null
	}
];

const key = (u: { code: string; from: string | null }) => `${u.code}@${u.from ?? ''}`;
const validOn = (u: UnitVersion, d: string) => (u.from ?? '') <= d && d <= (u.to ?? '9999');
const overlapsPeriod = (u: UnitVersion, p: DateRange) =>
	(u.from ?? '') <= p.to && p.from <= (u.to ?? '9999');

/** CONTRACT: the parent is the version of `parent_code` valid on the child's first day. */
function parentOf(u: UnitVersion): UnitVersion | null {
	if (!u.parent) return null;
	return UNITS.find((p) => p.code === u.parent && validOn(p, u.from ?? '0001-01-01'))!;
}

function ancestorsOf(u: UnitVersion): UnitVersion[] {
	const chain = [u];
	for (let p = parentOf(u); p; p = parentOf(p)) chain.push(p);
	return chain;
}

const UNITS_CSV = [
	'code,name,level,parent_code,valid_from,valid_to',
	...UNITS.map((u) =>
		[u.code, u.name, u.level, u.parent, u.from, u.to].map((v) => v ?? '').join(',')
	)
].join('\n');

// ---- Procedures; the second catalogue, imported after the first file, changes three levels. ----

const PROCEDURES = [
	{ code: 'P1', level: 'commune', online: 'full', fee: false },
	{ code: 'P2', level: 'commune', online: 'partial', fee: true },
	{ code: 'P3', level: 'commune', online: 'none', fee: true },
	{ code: 'P4', level: 'district', online: 'partial', fee: true },
	{ code: 'P5', level: 'district', online: 'none', fee: false },
	{ code: 'P6', level: 'province', online: 'full', fee: true },
	{ code: 'P7', level: 'province', online: 'partial', fee: false },
	{ code: 'P8', level: 'province', online: 'none', fee: true }
] as const;
const HAS_FEE = new Map<string, boolean>(PROCEDURES.map((p) => [p.code, p.fee]));
/** The catalogue's fields (the procedures grouping's second key); P3 and P8 have none. */
const FIELDS: Record<string, string | null> = {
	P1: 'Hộ tịch',
	P2: 'Hộ tịch',
	P3: null,
	P4: 'Đất đai',
	P5: 'Đất đai',
	P6: 'Tư pháp',
	P7: 'Tư pháp',
	P8: null
};
const CHANGED_LEVELS: Record<string, string> = { P1: 'partial', P3: 'partial', P5: 'full' };

const proceduresCsv = (changed: boolean) =>
	[
		'code,name,level,field,online_level,has_fee,online_payment',
		...PROCEDURES.map((p) =>
			[
				p.code,
				`Thủ tục ${p.code}`,
				p.level,
				FIELDS[p.code] ?? '',
				(changed && CHANGED_LEVELS[p.code]) || p.online,
				p.fee,
				p.fee
			].join(',')
		)
	].join('\n');

// ---- Dossiers: the model of what the store must hold, and the cells that say it. ----

const BOOLEANS = [
	'fee_required',
	'paid_online',
	'dossier_digitized',
	'result_digitized',
	'data_reused',
	'portal_synced'
] as const;
type BooleanColumn = (typeof BOOLEANS)[number];

/** A dossier as the store must hold it after import (timestamps as local ISO, seconds). */
interface StoredDossier extends Record<BooleanColumn, boolean> {
	dossier_code: string;
	procedure_code: string;
	unit: string;
	channel: 'online' | 'direct' | 'postal';
	received_at: string;
	due_at: string | null;
	completed_at: string | null;
	online_level: 'full' | 'partial' | 'none' | null;
	rating: 'satisfied' | 'neutral' | 'dissatisfied' | null;
}

/** One generated dossier: the stored model, and its cells for any file (every column given). */
interface Generated {
	stored: StoredDossier;
	cells: Record<string, string>;
}

const TRUE_WORDS = ['x', '1', 'true', 'có', 'X'];
const FALSE_WORDS = ['', '0', 'false', 'không'];
const CHANNEL_WORDS = {
	online: ['online', 'Trực tuyến', '2'],
	direct: ['direct', 'Trực tiếp', '1'],
	postal: ['postal', 'Bưu chính', 'BCCI', '3']
};
const LEVEL_WORDS = {
	full: ['full', 'toàn trình', 'Mức độ 4'],
	partial: ['partial', 'một phần', 'mức độ 3'],
	none: ['none']
};
const RATING_WORDS = {
	satisfied: ['satisfied', 'Hài lòng'],
	neutral: ['neutral', 'Bình thường'],
	dissatisfied: ['dissatisfied', 'Không hài lòng']
};

/** A local time written in one of the shapes CONTRACT accepts; returns the cell and its value. */
function writeTime(rand: Random, t: number): { cell: string; value: number } {
	const d = new Date(t);
	const [y, mo, da, h, mi, s] = [
		d.getUTCFullYear(),
		pad(d.getUTCMonth() + 1),
		pad(d.getUTCDate()),
		pad(d.getUTCHours()),
		pad(d.getUTCMinutes()),
		pad(d.getUTCSeconds())
	];
	const withoutSeconds = t - d.getUTCSeconds() * 1000;
	const shape = rand();
	if (shape < 0.35) return { cell: `${y}-${mo}-${da} ${h}:${mi}:${s}`, value: t };
	if (shape < 0.5) return { cell: `${y}-${mo}-${da}T${h}:${mi}`, value: withoutSeconds };
	if (shape < 0.65) return { cell: `${da}/${mo}/${y} ${h}:${mi}`, value: withoutSeconds };
	if (shape < 0.72) return { cell: `${da}/${mo}/${y} ${h}:${mi}:${s}`, value: t };
	if (shape < 0.8) return { cell: `${y}${mo}${da}${h}${mi}${s}`, value: t };
	// With an offset: UTC, or Hà Tĩnh's own +07:00.
	if (shape < 0.9) return { cell: `${local(t - 7 * HOUR)}Z`, value: t };
	return { cell: `${local(t)}+07:00`, value: t };
}

function writeDay(rand: Random, d: string): string {
	const [y, m, dd] = d.split('-');
	return rand.pick([d, `${dd}/${m}/${y}`, `${y}${m}${dd}`]);
}

/** A time of day that favours the minutes either side of midnight. */
function timeOfDay(rand: Random): number {
	const r = rand();
	const hour = r < 0.15 ? 23 : r < 0.3 ? 0 : rand.int(7, 17);
	return hour * HOUR + rand.int(0, 59) * MINUTE + rand.int(0, 59) * 1000;
}

function generateDossier(rand: Random, code: string, keep?: Generated): Generated {
	// An update keeps the dossier's reception (and so its unit) most of the time.
	let receivedCell: string;
	let received: number;
	let unit: UnitVersion;
	if (keep && rand.chance(0.6)) {
		receivedCell = keep.cells.received_at;
		received = ms(keep.stored.received_at);
		unit = UNITS.find((u) => key(u) === keep.stored.unit)!;
	} else {
		const d = addDays(FIRST_DAY, rand.int(0, (ms(LAST_DAY) - ms(FIRST_DAY)) / DAY));
		if (rand.chance(0.05)) {
			receivedCell = writeDay(rand, d);
			received = ms(d);
		} else {
			({ cell: receivedCell, value: received } = writeTime(rand, ms(d) + timeOfDay(rand)));
		}
		unit = rand.pick(UNITS.filter((u) => validOn(u, day(received))));
	}
	const procedure = rand.pick(PROCEDURES).code;
	const channel = rand.pick(['online', 'online', 'direct', 'postal'] as const);
	const cells: Record<string, string> = {
		dossier_code: code,
		procedure_code: procedure,
		unit_code: unit.code,
		channel: rand.pick(CHANNEL_WORDS[channel]),
		received_at: receivedCell,
		due_at: '',
		completed_at: '',
		online_level: '',
		rating: ''
	};
	let dueAt: string | null = null;
	if (rand.chance(0.8)) {
		const due = addDays(day(received), rand.int(0, 30));
		if (rand.chance(0.6)) {
			cells.due_at = writeDay(rand, due);
			dueAt = `${due}T23:59:59`;
		} else {
			const t = writeTime(rand, ms(due) + rand.int(7, 17) * HOUR + rand.int(0, 59) * MINUTE);
			cells.due_at = t.cell;
			dueAt = local(t.value);
		}
	}
	let completedAt: string | null = null;
	if (rand.chance(0.7)) {
		// At least a minute after reception, so that a time written without seconds stays after it.
		const span = rand.chance(0.3) ? rand.int(0, 12 * HOUR) : rand.int(0, 45 * DAY);
		const t = writeTime(rand, received + MINUTE + span - (span % 1000));
		cells.completed_at = t.cell;
		completedAt = local(t.value);
	}
	let level: StoredDossier['online_level'] = null;
	if (rand.chance(0.15)) {
		level = rand.pick(['full', 'partial', 'none'] as const);
		cells.online_level = rand.pick(LEVEL_WORDS[level]);
	}
	let rating: StoredDossier['rating'] = null;
	if (rand.chance(0.6)) {
		rating = rand.pick(['satisfied', 'satisfied', 'neutral', 'dissatisfied'] as const);
		cells.rating = rand.pick(RATING_WORDS[rating]);
	}
	const flags = {} as Record<BooleanColumn, boolean>;
	for (const column of BOOLEANS) {
		const value = rand.chance(column === 'paid_online' ? 0.35 : 0.5);
		flags[column] = value;
		cells[column] =
			value && column === 'paid_online' && rand.chance(0.3)
				? '2'
				: rand.pick(value ? TRUE_WORDS : FALSE_WORDS);
	}
	return {
		stored: {
			dossier_code: code,
			procedure_code: procedure,
			unit: key(unit),
			channel,
			received_at: local(received),
			due_at: dueAt,
			completed_at: completedAt,
			online_level: level,
			rating,
			...flags
		},
		cells
	};
}

/** The three files' columns: each leaves some out (CONTRACT: false, or the procedure's fee). */
const FILES = [
	{
		name: 'thang.csv',
		delimiter: ',',
		columns: [
			'dossier_code',
			'procedure_code',
			'unit_code',
			'channel',
			'received_at',
			'due_at',
			'completed_at',
			'online_level',
			'paid_online',
			'dossier_digitized',
			'result_digitized',
			'portal_synced',
			'rating'
		],
		headers: {} as Record<string, string>
	},
	{
		name: 'so-theo-doi.csv',
		delimiter: ';',
		columns: [
			'dossier_code',
			'procedure_code',
			'unit_code',
			'channel',
			'received_at',
			'due_at',
			'completed_at',
			'online_level',
			'fee_required',
			'paid_online',
			'dossier_digitized',
			'result_digitized',
			'data_reused',
			'portal_synced',
			'rating'
		],
		headers: {
			dossier_code: 'Mã hồ sơ',
			procedure_code: 'Mã TTHC',
			unit_code: 'Mã ĐVHC',
			channel: 'Hình thức nộp',
			received_at: 'Ngày tiếp nhận',
			due_at: 'Ngày hẹn trả',
			completed_at: 'Ngày hoàn thành',
			online_level: 'Mức độ DVC',
			fee_required: 'Có phí, lệ phí',
			paid_online: 'Thanh toán trực tuyến',
			dossier_digitized: 'Số hóa hồ sơ',
			result_digitized: 'Số hóa kết quả',
			data_reused: 'Tái sử dụng dữ liệu',
			portal_synced: 'Đồng bộ DVCQG',
			rating: 'Đánh giá'
		} as Record<string, string>
	},
	{
		name: 'bo-sung.csv',
		delimiter: ',',
		columns: [
			'dossier_code',
			'procedure_code',
			'unit_code',
			'channel',
			'received_at',
			'due_at',
			'completed_at',
			'online_level',
			'fee_required',
			'paid_online',
			'dossier_digitized',
			'result_digitized',
			'data_reused'
		],
		headers: {} as Record<string, string>
	}
];

/** What the store holds of a dossier imported from a file with these columns. */
function storedFrom(g: Generated, columns: string[]): StoredDossier {
	const s = { ...g.stored };
	for (const column of BOOLEANS) {
		if (!columns.includes(column)) {
			s[column] = column === 'fee_required' ? HAS_FEE.get(s.procedure_code)! : false;
		}
	}
	if (!columns.includes('rating')) s.rating = null;
	return s;
}

interface World {
	/** Per dossiers file, its text, in import order. */
	files: { name: string; text: string }[];
	dossiers: Map<string, StoredDossier>;
	periods: DateRange[];
	seriesPeriods: { month: DateRange; week: DateRange };
}

function generate(seed: number): World {
	const rand = random(seed);
	const dossiers = new Map<string, StoredDossier>();
	const generated = new Map<string, Generated>();
	const files: World['files'] = [];
	let next = 0;
	FILES.forEach((file, f) => {
		const rows: Generated[] = [];
		const codes = [...generated.keys()];
		const updated = new Set<string>();
		while (updated.size < UPDATES[f]) updated.add(rand.pick(codes));
		for (const code of updated) rows.push(generateDossier(rand, code, generated.get(code)));
		for (let i = 0; i < NEW_DOSSIERS[f]; i++) {
			rows.push(generateDossier(rand, `HS-${seed}-${String(next++).padStart(5, '0')}`));
		}
		// A few rows repeated as they are: imported once.
		for (let i = 0; i < 5; i++) rows.push(rand.pick(rows));
		// Shuffle, so that updates and new dossiers interleave.
		for (let i = rows.length - 1; i > 0; i--) {
			const j = rand.int(0, i);
			[rows[i], rows[j]] = [rows[j], rows[i]];
		}
		for (const g of rows) {
			generated.set(g.stored.dossier_code, g);
			dossiers.set(g.stored.dossier_code, storedFrom(g, file.columns));
		}
		const header = file.columns.map((c) => file.headers[c] ?? c).join(file.delimiter);
		const lines = rows.map((g) => file.columns.map((c) => g.cells[c]).join(file.delimiter));
		files.push({ name: file.name, text: [header, ...lines].join('\n') + '\n' });
	});
	return {
		files,
		dossiers,
		periods: randomPeriods(rand),
		seriesPeriods: {
			month: { from: addDays(FIRST_DAY, rand.int(0, 40)), to: addDays(LAST_DAY, -rand.int(0, 40)) },
			week: (() => {
				const from = addDays(FIRST_DAY, rand.int(0, 420));
				return { from, to: addDays(from, rand.int(30, 120)) };
			})()
		}
	};
}

function randomPeriods(rand: Random): DateRange[] {
	const dayIn = (from: string, to: string) => addDays(from, rand.int(0, (ms(to) - ms(from)) / DAY));
	const periods: DateRange[] = [
		{ from: '2025-06-15', to: '2025-07-15' },
		{ from: REFORM, to: REFORM },
		{ from: '2025-06-30', to: '2025-06-30' },
		{ from: FIRST_DAY, to: LAST_DAY }
	];
	while (periods.length < PAIRS_PER_SEED) {
		const kind = rand();
		if (kind < 0.2) {
			const d = dayIn('2024-05-25', '2025-10-05');
			periods.push({ from: d, to: d });
		} else if (kind < 0.4) {
			// Whole months, one to three.
			const first = `${dayIn(FIRST_DAY, LAST_DAY).slice(0, 8)}01`;
			const last = addDays(`${addDays(first, 31 * rand.int(1, 3)).slice(0, 8)}01`, -1);
			periods.push({ from: first, to: last });
		} else if (kind < 0.55) {
			// Across 1 July 2025.
			periods.push({
				from: addDays(REFORM, -rand.int(1, 45)),
				to: addDays(REFORM, rand.int(0, 45))
			});
		} else {
			const from = dayIn('2024-05-25', '2025-10-05');
			periods.push({ from, to: addDays(from, Math.floor(rand() ** 2 * 200)) });
		}
	}
	return periods;
}

// ---- The raw scan: DOMAIN.md's definitions over the dossiers of a subtree. ----

const DOSSIER_KPIS = [
	'online_submission_rate',
	'full_process_online_rate',
	'online_payment_rate',
	'dossier_digitization_rate',
	'result_digitization_rate',
	'data_reuse_rate',
	'portal_sync_rate',
	'on_time_rate',
	'satisfaction_rate'
] as const;
type DossierKpi = (typeof DOSSIER_KPIS)[number];
type Counts = Record<DossierKpi, [number, number]>;

/**
 * Numerator and denominator conditions over one event: a dossier `r`eceived or `c`ompleted in the
 * period, with `lvl` its effective online level (its own, else its procedure's).
 */
const DEFINITIONS: Record<DossierKpi, [string, string]> = {
	online_submission_rate: [
		"r AND lvl IN ('full', 'partial') AND channel = 'online'",
		"r AND lvl IN ('full', 'partial')"
	],
	full_process_online_rate: ["r AND lvl = 'full' AND channel = 'online'", "r AND lvl = 'full'"],
	online_payment_rate: ['r AND fee_required AND paid_online', 'r AND fee_required'],
	dossier_digitization_rate: ['r AND dossier_digitized', 'r'],
	result_digitization_rate: ['c AND result_digitized', 'c'],
	data_reuse_rate: ['r AND data_reused', 'r'],
	portal_sync_rate: ['r AND portal_synced', 'r'],
	on_time_rate: ['c AND due_at IS NOT NULL AND completed_at <= due_at', 'c AND due_at IS NOT NULL'],
	satisfaction_rate: ["r AND rating = 'satisfied'", 'r AND rating IS NOT NULL']
};

const COUNT_COLUMNS = sql.raw(
	DOSSIER_KPIS.flatMap((id) => [
		`count(*) FILTER (WHERE ${DEFINITIONS[id][0]}) AS "${id}_n"`,
		`count(*) FILTER (WHERE ${DEFINITIONS[id][1]}) AS "${id}_d"`
	]).join(', ')
);

type ScanRow = Record<string, number> & {
	ancestor_id: number;
	target_level: string | null;
	day: string;
};

/** Per event (a dossier received, or completed, on a day of the period) of the subtrees of `ids`. */
const events = (ids: number[], period: DateRange) => sql`WITH facts AS (
		SELECT cl.ancestor_id, d.procedure_code,
			CASE u.level WHEN 'department' THEN 'province' ELSE u.level END AS target_level,
			coalesce(d.online_level, p.online_level) AS lvl,
			d.channel, d.fee_required, d.paid_online, d.dossier_digitized, d.result_digitized,
			d.data_reused, d.portal_synced, d.rating, d.due_at, d.completed_at,
			CAST(d.received_at AS DATE) AS received_day, CAST(d.completed_at AS DATE) AS completed_day
		FROM dossiers d
		JOIN procedures p ON p.code = d.procedure_code
		JOIN unit_versions u ON u.id = d.unit_version_id
		JOIN unit_closure cl ON cl.descendant_id = d.unit_version_id
		WHERE cl.ancestor_id IN (${sql.join(ids)})
	), events AS (
		SELECT *, received_day AS day, true AS r, false AS c FROM facts
		WHERE received_day BETWEEN CAST(${period.from} AS DATE) AND CAST(${period.to} AS DATE)
		UNION ALL
		SELECT *, completed_day AS day, false AS r, true AS c FROM facts
		WHERE completed_day BETWEEN CAST(${period.from} AS DATE) AND CAST(${period.to} AS DATE)
	)`;

function countsOf(row: Record<string, number> | undefined): Counts {
	return Object.fromEntries(
		DOSSIER_KPIS.map((id) => [id, row ? [row[`${id}_n`], row[`${id}_d`]] : [0, 0]])
	) as Counts;
}

function reported(kpis: Partial<KpiValues> | SeriesPoint['kpis']): Counts {
	return Object.fromEntries(
		DOSSIER_KPIS.map((id) => {
			const { numerator, denominator, value } = kpis[id]!;
			// The value is the ratio, or empty (never 0) for a zero denominator.
			expect(value).toBe(denominator === 0 ? null : numerator / denominator);
			return [id, [numerator, denominator]];
		})
	) as Counts;
}

/** The first day of the bucket a day falls in: weeks start on Monday. */
function bucketOf(d: string, grain: 'month' | 'week'): string {
	if (grain === 'month') return `${d.slice(0, 7)}-01`;
	const weekday = (new Date(ms(d)).getUTCDay() + 6) % 7;
	return addDays(d, -weekday);
}

function sumInto(target: Counts, add: Counts) {
	for (const id of DOSSIER_KPIS) {
		target[id][0] += add[id][0];
		target[id][1] += add[id][1];
	}
}

// ---- The reference for status and gap: the printed figure, one dossier at a time. ----

/** The target in parts per million, from its decimal digits (not from a float product). */
function ppmOf(target: number): bigint {
	const [whole, fraction = ''] = String(target).split('.');
	return BigInt(whole) * 1_000_000n + BigInt((fraction + '000000').slice(0, 6));
}

/** The printed figure (Intl, as pages show it) in parts per million: "85,0%" → 850000. */
function printedPpm(n: number, d: number): bigint {
	return BigInt(Math.round(Number(formatPercent(n / d, 'en').replace('%', '')) * 10)) * 1000n;
}

/** Met when the printed figure reaches the target; close within 5 points of it (DOMAIN: status). */
function referenceStatus(n: number, d: number, target: number): string | null {
	if (d === 0) return null;
	const shown = printedPpm(n, d);
	const goal = ppmOf(target);
	return shown >= goal ? 'met' : shown >= goal - 50_000n ? 'close' : 'below';
}

/** Add dossiers one by one (of the same volume) until the printed figure reaches the target. */
function referenceGap(n: number, d: number, target: number): number | null {
	if (d === 0) return null;
	let added = 0;
	while (printedPpm(n + added, d) < ppmOf(target)) added++;
	return added;
}

describe('status and gap against one dossier at a time', () => {
	it.each(SEEDS)(
		'agree with the printed figure for 3,000 random counts and targets (seed %i)',
		(seed) => {
			const rand = random(seed + 7);
			const mismatches: string[] = [];
			for (let i = 0; i < 3000; i++) {
				const d = rand.int(0, 400);
				const n = rand.int(0, d);
				// Targets as imported: whole percents, tenths, or the odd finer one (0.8855).
				const target = rand.pick([
					rand.int(0, 100) / 100,
					rand.int(0, 1000) / 1000,
					rand.int(0, 10000) / 10000
				]);
				const counts = { numerator: n, denominator: d };
				const got = [targetStatus(counts, target), gapToTarget(counts, target)];
				const want = [referenceStatus(n, d, target), referenceGap(n, d, target)];
				if (got[0] !== want[0] || got[1] !== want[1]) {
					mismatches.push(`${n}/${d} vs ${target}: ${got} ≠ ${want}`);
				}
			}
			expect(mismatches).toEqual([]);
		}
	);
});

for (const seed of SEEDS) {
	describe(`random dossiers from seed ${seed}`, () => {
		let store: TempStore;
		let world: World;
		/** Unit version id by `code@valid_from`. */
		let ids: Map<string, number>;
		const db = () => store.db;

		beforeAll(async () => {
			world = generate(seed);
			store = await tempStore();
			await importFile(store.db, 'units', store.file('units.csv', UNITS_CSV));
			await importFile(store.db, 'procedures', store.file('tthc.csv', proceduresCsv(false)));
			for (const [i, file] of world.files.entries()) {
				// Between the first and second files the catalogue changes three online levels.
				if (i === 1) {
					await importFile(store.db, 'procedures', store.file('tthc-2.csv', proceduresCsv(true)));
				}
				await importFile(store.db, 'dossiers', store.file(file.name, file.text));
			}
			const { rows } = await sql<{ id: number; code: string; valid_from: string | null }>`
				SELECT id, code, valid_from FROM unit_versions`.execute(db());
			ids = new Map(rows.map((r) => [key({ code: r.code, from: r.valid_from }), r.id]));
		});
		afterAll(() => store.dispose());

		it('stores every generated dossier as the model says, and the unit tree as the versions say', async () => {
			const { rows } = await sql<
				Omit<StoredDossier, 'unit'> & { code: string; valid_from: string | null }
			>`
				SELECT d.dossier_code, d.procedure_code, d.unit_code AS code, u.valid_from, d.channel,
					d.received_at, d.due_at, d.completed_at, d.online_level, d.rating,
					d.fee_required, d.paid_online, d.dossier_digitized, d.result_digitized, d.data_reused,
					d.portal_synced
				FROM dossiers d JOIN unit_versions u ON u.id = d.unit_version_id
				ORDER BY d.dossier_code`.execute(db());
			const stored = rows.map(({ code, valid_from, ...rest }) => ({
				...rest,
				unit: key({ code, from: valid_from })
			}));
			const expected = [...world.dossiers.values()].sort((a, b) =>
				a.dossier_code < b.dossier_code ? -1 : 1
			);
			expect(stored.length).toBe(NEW_DOSSIERS.reduce((a, b) => a + b, 0));
			expect(stored).toEqual(expected);
			const { rows: pairs } = await sql<{ ancestor: string; descendant: string }>`
				SELECT a.code || '@' || coalesce(CAST(a.valid_from AS VARCHAR), '') AS ancestor,
					d.code || '@' || coalesce(CAST(d.valid_from AS VARCHAR), '') AS descendant
				FROM unit_closure c JOIN unit_versions a ON a.id = c.ancestor_id
				JOIN unit_versions d ON d.id = c.descendant_id`.execute(db());
			const expectedPairs = UNITS.flatMap((u) =>
				ancestorsOf(u).map((a) => `${key(a)} > ${key(u)}`)
			).sort();
			expect(pairs.map((p) => `${p.ancestor} > ${p.descendant}`).sort()).toEqual(expectedPairs);
		});

		it('keeps as late candidates exactly the dossiers late at some moment, through the updates', async () => {
			// Late at the end of some day: due, and completed after the due time or still open
			// (received or processing, no result). Read in JavaScript from every stored dossier.
			const { rows } = await sql<{
				dossier_code: string;
				due_at: string | null;
				completed_at: string | null;
				status: string;
			}>`SELECT dossier_code, due_at, completed_at, status FROM dossiers`.execute(db());
			const late = rows
				.filter(
					(d) =>
						d.due_at !== null &&
						(d.completed_at === null
							? d.status === 'received' || d.status === 'processing'
							: d.completed_at > d.due_at)
				)
				.map((d) => d.dossier_code)
				.sort();
			const { rows: kept } = await sql<{ dossier_code: string }>`SELECT dossier_code
				FROM late_candidates ORDER BY dossier_code`.execute(db());
			expect(late.length).toBeGreaterThan(50);
			expect(kept.map((k) => k.dossier_code)).toEqual(late);
		});

		it(`gives the counts of a raw scan for ${PAIRS_PER_SEED} random units and periods: subtree, levels and children`, async () => {
			const actual: Record<string, unknown> = {};
			const expected: Record<string, unknown> = {};
			const rand = random(seed + 1);
			for (const period of world.periods) {
				// Any unit whose code names one version in the period.
				const candidates = UNITS.filter(
					(u) =>
						overlapsPeriod(u, period) &&
						!UNITS.some((o) => o !== u && o.code === u.code && overlapsPeriod(o, period))
				);
				const unit = rand.pick(candidates);
				const label = `${unit.code} (${unit.name}) ${period.from}..${period.to}`;
				const report = await kpiReport(db(), unit.code, period);
				const children = UNITS.filter((c) => parentOf(c) === unit && overlapsPeriod(c, period));
				const childIds = children.map((c) => ids.get(key(c))!);
				const unitId = ids.get(key(unit))!;
				const { rows } = await sql<ScanRow>`${events([unitId, ...childIds], period)}
					SELECT ancestor_id, target_level, ${COUNT_COLUMNS} FROM events
					GROUP BY GROUPING SETS ((ancestor_id), (ancestor_id, target_level))`.execute(db());
				const row = (id: number, level: string | null) =>
					rows.find((r) => r.ancestor_id === id && r.target_level === level);
				const levels = ['province', 'district', 'commune'] as const;
				actual[label] = {
					unit: report.unit,
					kpis: reported(report.kpis),
					by_level: Object.fromEntries(
						levels.map((l) => {
							const values = report.by_level[l];
							return [l, Object.keys(values).length === 0 ? 'empty' : reported(values)];
						})
					),
					children: report.children.map((c) => ({ unit: c.unit, kpis: reported(c.kpis) }))
				};
				expected[label] = {
					unit: { code: unit.code, name: unit.name, level: unit.level },
					kpis: countsOf(row(unitId, null)),
					// A level without a dossier may be left out, as long as no dossier is missed.
					by_level: Object.fromEntries(
						levels.map((l) => {
							const levelRow = row(unitId, l);
							const empty = Object.keys(report.by_level[l]).length === 0;
							return [l, !levelRow && empty ? 'empty' : countsOf(levelRow)];
						})
					),
					children: children
						.sort(
							(a, b) =>
								['province', 'department', 'district', 'commune'].indexOf(a.level) -
									['province', 'department', 'district', 'commune'].indexOf(b.level) ||
								a.name.localeCompare(b.name, 'vi')
						)
						.map((c) => ({
							unit: { code: c.code, name: c.name, level: c.level },
							kpis: countsOf(row(ids.get(key(c))!, null))
						}))
				};
			}
			expect(actual).toEqual(expected);
		});

		it('groups a raw scan by procedure, by field and in total as the procedures breakdown does', async () => {
			const actual: Record<string, unknown> = {};
			const expected: Record<string, unknown> = {};
			const rand = random(seed + 2);
			// Ten of the pairs: the grouping is one query, the first test covers the periods.
			for (const period of world.periods.slice(0, 10)) {
				const candidates = UNITS.filter(
					(u) =>
						overlapsPeriod(u, period) &&
						!UNITS.some((o) => o !== u && o.code === u.code && overlapsPeriod(o, period))
				);
				const unit = rand.pick(candidates);
				const unitId = ids.get(key(unit))!;
				const label = `${unit.code} ${period.from}..${period.to}`;
				const breakdown = await procedureBreakdown(
					db(),
					{
						id: unitId,
						code: unit.code,
						name: unit.name,
						level: unit.level,
						valid_from: unit.from,
						valid_to: unit.to
					},
					period
				);
				const { rows } = await sql<ScanRow & { procedure_code: string }>`${events([unitId], period)}
					SELECT procedure_code, count(*) FILTER (WHERE r) AS volume, ${COUNT_COLUMNS}
					FROM events GROUP BY procedure_code ORDER BY procedure_code`.execute(db());
				type Group = { volume: number; kpis: Record<string, [number, number]> };
				const pick = (c: Counts) =>
					Object.fromEntries(PROCEDURE_KPIS.map((id) => [id, c[id]])) as Group['kpis'];
				const ofFigures = (g: {
					volume: number;
					kpis: Record<string, { numerator: number; denominator: number }>;
				}): Group => ({
					volume: g.volume,
					kpis: Object.fromEntries(
						PROCEDURE_KPIS.map((id) => [id, [g.kpis[id].numerator, g.kpis[id].denominator]])
					)
				});
				const byProcedure = rows.map((r) => ({
					code: r.procedure_code,
					field: FIELDS[r.procedure_code],
					volume: Number(r.volume),
					kpis: pick(countsOf(r))
				}));
				// Fields and the whole summed here from the procedures, not by SQL.
				const sum = (list: Group[]): Group => {
					const total: Group = {
						volume: 0,
						kpis: Object.fromEntries(PROCEDURE_KPIS.map((id) => [id, [0, 0]]))
					};
					for (const g of list) {
						total.volume += g.volume;
						for (const id of PROCEDURE_KPIS) {
							total.kpis[id][0] += g.kpis[id][0];
							total.kpis[id][1] += g.kpis[id][1];
						}
					}
					return total;
				};
				const fields = [...new Set(byProcedure.map((p) => p.field))];
				actual[label] = {
					procedures: breakdown.procedures.map((p) => ({
						code: p.code,
						field: p.field,
						...ofFigures(p)
					})),
					fields: breakdown.fields
						.map((f) => ({ field: f.field, procedures: f.procedures, ...ofFigures(f) }))
						.sort((a, b) => String(a.field).localeCompare(String(b.field))),
					total: { procedures: breakdown.total.procedures, ...ofFigures(breakdown.total) }
				};
				expected[label] = {
					procedures: byProcedure,
					fields: fields
						.map((field) => {
							const members = byProcedure.filter((p) => p.field === field);
							return { field, procedures: members.length, ...sum(members) };
						})
						.sort((a, b) => String(a.field).localeCompare(String(b.field))),
					total: { procedures: byProcedure.length, ...sum(byProcedure) }
				};
			}
			// Not vacuous: most pairs have dossiers of several procedures.
			const grouped = Object.values(expected) as { total: { procedures: number } }[];
			expect(grouped.filter((e) => e.total.procedures > 1).length).toBeGreaterThan(3);
			expect(actual).toEqual(expected);
		});

		it('gives the monthly and weekly series buckets of a raw scan, for the province and its children', async () => {
			const province = UNITS[0];
			for (const [grain, period] of [
				['month', world.seriesPeriods.month],
				['week', world.seriesPeriods.week]
			] as [Extract<Grain, 'month' | 'week'>, DateRange][]) {
				const series = await kpiSeries(db(), province.code, period, grain);
				const children = UNITS.filter((c) => parentOf(c) === province && overlapsPeriod(c, period));
				const unitIds = [province, ...children].map((u) => ids.get(key(u))!);
				const { rows } = await sql<ScanRow>`${events(unitIds, period)}
					SELECT ancestor_id, CAST(day AS VARCHAR) AS day, ${COUNT_COLUMNS} FROM events
					GROUP BY ALL`.execute(db());
				const buckets = (id: number) => {
					const byBucket = new Map<string, Counts>();
					for (const r of rows.filter((r) => r.ancestor_id === id)) {
						const b = bucketOf(r.day, grain);
						if (!byBucket.has(b)) byBucket.set(b, countsOf(undefined));
						sumInto(byBucket.get(b)!, countsOf(r));
					}
					return [...byBucket]
						.sort(([a], [b]) => (a < b ? -1 : 1))
						.map(([bucket, kpis]) => ({ bucket, kpis }));
				};
				const points = (list: SeriesPoint[]) =>
					list.map((p) => ({ bucket: p.bucket, kpis: reported(p.kpis) }));
				expect({
					grain,
					points: points(series.points),
					children: Object.fromEntries(series.children.map((c) => [c.unit.code, points(c.points)]))
				}).toEqual({
					grain,
					points: buckets(unitIds[0]),
					children: Object.fromEntries(children.map((c, i) => [c.code, buckets(unitIds[i + 1])]))
				});
				expect(series.points.length).toBeGreaterThan(grain === 'month' ? 10 : 3);
			}
		});
	});
}
