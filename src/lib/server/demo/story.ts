/**
 * The story the demo province tells, as data: how busy each kind of unit is, who is ahead and who
 * lags, how the shares move over time. The SQL in profiles.ts, calendar.ts and dossiers.ts only
 * applies these numbers, so retuning the story means editing this file alone.
 *
 * Shares are given as a base curve over time, then shifted per unit and per procedure by an odds
 * multiplier (`performance`): p' = p·k / (p·k + 1 − p). Odds rather than points, so a laggard
 * 15 points behind at 60% stays a few points behind at 98%, as real laggards do, and no share
 * leaves [0, 1]. Only + − × ÷ and sqrt are used (all correctly rounded in IEEE 754), never exp or
 * log, so every machine computes the same bits and makes the same choices.
 */

/** The first and last day of the demo's dossiers (inclusive), and when its data stops. */
export const FIRST_DAY = '2023-01-01';
export const LAST_DAY = '2026-10-31';
/** Dossiers not finished by then are still open (received, processing). */
export const DATA_AS_OF = '2026-10-31 23:59:59';

/** Decision of 12 June 2025: districts abolished, the 69 new communes take over on this day. */
export const REFORM_DAY = '2025-07-01';
/** The 5 inactive procedures of procedures.csv were abolished on this day: no dossier after it. */
export const ABOLITION_DAY = '2024-01-01';

/** A value that moves linearly between dated anchors; the first and last anchors span the demo. */
export type Curve = readonly (readonly [day: string, value: number])[];

/** The campaign of seed 002: the online shares jump between its first and last day. */
const CAMPAIGN_START = '2024-05-09';
const CAMPAIGN_END = '2024-09-30';

/**
 * Base shares before unit and procedure adjustments, tuned so that province-wide the demo shows
 * seed 002's figures for the last quarter of 2024 (among eligible dossiers: department level
 * ≈ 88.5%, district ≈ 98%, commune ≈ 91%, over 90% overall), starting near 30–40% in early 2023.
 */
export const CURVES = {
	/** Dossiers per year province-wide at that date (README of data/demo: about 400,000). */
	volume: [
		[FIRST_DAY, 385_000],
		['2024-12-31', 402_000],
		[LAST_DAY, 418_000]
	],
	online_province: [
		[FIRST_DAY, 0.32],
		['2023-12-31', 0.52],
		['2024-05-08', 0.62],
		[CAMPAIGN_END, 0.92],
		['2024-12-31', 0.935],
		['2025-12-31', 0.945],
		[LAST_DAY, 0.96]
	],
	online_district: [
		[FIRST_DAY, 0.33],
		['2023-12-31', 0.62],
		['2024-05-08', 0.7],
		[CAMPAIGN_END, 0.975],
		['2024-12-31', 0.985],
		[LAST_DAY, 0.985]
	],
	/**
	 * After the reform the new communes also take the old district procedures, with new staff
	 * and merged one-stop desks: a dip in July–September 2025, recovered by the end of the year.
	 */
	online_commune: [
		[FIRST_DAY, 0.28],
		['2023-12-31', 0.5],
		['2024-05-08', 0.58],
		[CAMPAIGN_END, 0.88],
		['2024-12-31', 0.9],
		['2025-06-30', 0.915],
		[REFORM_DAY, 0.85],
		['2025-09-30', 0.88],
		['2025-12-31', 0.915],
		[LAST_DAY, 0.935]
	],
	dossier_digitized: [
		[FIRST_DAY, 0.15],
		['2024-05-08', 0.4],
		[CAMPAIGN_END, 0.78],
		['2025-12-31', 0.82],
		[LAST_DAY, 0.88]
	],
	result_digitized: [
		[FIRST_DAY, 0.28],
		['2024-05-08', 0.5],
		[CAMPAIGN_END, 0.86],
		['2025-12-31', 0.88],
		[LAST_DAY, 0.92]
	],
	data_reused: [
		[FIRST_DAY, 0.16],
		['2024-05-08', 0.3],
		[CAMPAIGN_END, 0.58],
		['2025-12-31', 0.68],
		[LAST_DAY, 0.74]
	],
	portal_synced: [
		[FIRST_DAY, 0.95],
		['2024-05-08', 0.965],
		[CAMPAIGN_END, 0.985],
		[LAST_DAY, 0.995]
	],
	/** Of online fee dossiers of a procedure with online payment: the fee paid online. */
	paid_online: [
		[FIRST_DAY, 0.3],
		['2024-05-08', 0.42],
		[CAMPAIGN_END, 0.7],
		[LAST_DAY, 0.85]
	],
	/** Of completed dossiers: finished after the due day, before unit adjustment. */
	late: [
		[FIRST_DAY, 0.065],
		['2024-05-08', 0.055],
		['2024-12-31', 0.045],
		[LAST_DAY, 0.04]
	],
	/** Of rated dossiers finished on time: rated satisfied. */
	satisfied: [
		[FIRST_DAY, 0.9],
		['2024-12-31', 0.93],
		[LAST_DAY, 0.955]
	]
} satisfies Record<string, Curve>;

export type CurveName = keyof typeof CURVES;

/**
 * Digitisation is pushed hardest where the campaign's targets are highest (seed 002: 90% at
 * province level, 80% district, 75% commune): odds multipliers per target level.
 */
export const DIGITIZATION_BY_LEVEL = { province: 3, district: 1.5, commune: 1.15 } as const;
/** A dossier filed online arrives as files: it is digitised far more often than a paper one. */
export const ONLINE_DIGITIZATION = 2.5;

/** Monday … Sunday relative volume: one-stop desks work Monday–Friday and Saturday morning. */
export const WEEKDAY_VOLUME = [1.15, 1.05, 1.0, 0.97, 0.93, 0.22, 0.03] as const;

/** Lunar New Year (Tết) days; the desks close around it and are busy in the weeks before. */
export const TET_DAYS = ['2023-01-22', '2024-02-10', '2025-01-29', '2026-02-17'] as const;
export const TET = {
	/** Days relative to Tết: [from, to] inclusive, and the volume factor on those days. */
	rush: { from: -14, to: -5, factor: 1.2 },
	closed: { from: -4, to: 5, factor: 0.04 },
	restart: { from: 6, to: 12, factor: 0.6 }
} as const;

/** Public holidays besides Tết (New Year, Hùng Kings, 30/4, 1/5, National Day). */
export const HOLIDAYS = [
	'2023-01-01',
	'2023-01-02',
	'2023-04-29',
	'2023-05-01',
	'2023-05-02',
	'2023-05-03',
	'2023-09-01',
	'2023-09-04',
	'2024-01-01',
	'2024-04-18',
	'2024-04-29',
	'2024-04-30',
	'2024-05-01',
	'2024-09-02',
	'2024-09-03',
	'2025-01-01',
	'2025-04-07',
	'2025-04-30',
	'2025-05-01',
	'2025-05-02',
	'2025-09-01',
	'2025-09-02',
	'2026-01-01',
	'2026-01-02',
	'2026-04-27',
	'2026-04-30',
	'2026-05-01',
	'2026-08-31',
	'2026-09-01',
	'2026-09-02'
] as const;
export const HOLIDAY_VOLUME = 0.04;

export interface UnitTrait {
	/** Relative number of dossiers (population and businesses). */
	size: number;
	/** Odds multiplier on every share a unit controls: online, digitised, on time, synced. */
	performance: number;
}

/**
 * Pre-reform districts. The towns are busier and ahead; the three mountain districts along the
 * Lao border (Hương Sơn, Vũ Quang, Hương Khê) are smaller and lag 10–20 points on online filing,
 * as do the communes formed from their communes in 2025 (they inherit the traits of the old
 * communes they were formed from).
 */
export const DISTRICT_TRAITS: Record<string, UnitTrait> = {
	'436': { size: 1.35, performance: 1.6 }, // Thành phố Hà Tĩnh, the provincial capital
	'437': { size: 1.2, performance: 1.35 }, // Thị xã Hồng Lĩnh
	'449': { size: 1.3, performance: 1.5 }, // Thị xã Kỳ Anh: the Vũng Áng economic zone
	'439': { size: 0.8, performance: 0.56 }, // Huyện Hương Sơn (mountain; just short of its targets)
	'441': { size: 0.7, performance: 0.3 }, // Huyện Vũ Quang (mountain; misses its targets)
	'444': { size: 0.8, performance: 0.42 } // Huyện Hương Khê (mountain; misses its targets)
};
export const DEFAULT_DISTRICT: UnitTrait = { size: 1, performance: 1 };

/** Communes by the kind their name starts with: urban wards are busier and ahead. */
export const COMMUNE_KIND_TRAITS: readonly (UnitTrait & { prefix: string })[] = [
	{ prefix: 'Phường', size: 2.2, performance: 1.3 },
	{ prefix: 'Thị trấn', size: 1.8, performance: 1.15 }
];

/** Each commune's size and performance vary by up to this much either way (from its code's hash). */
export const COMMUNE_SIZE_SPREAD = 0.4;
export const UNIT_PERFORMANCE_SPREAD = 0.25;

/**
 * Units that stand out, so the dashboard has someone to chase (DOMAIN.md: "which units pull it
 * down"). Together with the district traits above, the units that miss the 70% online target of
 * the 2024 campaign (9 May – 30 September 2024, online share among eligible dossiers) are:
 *  - Sở Xây dựng (≈ 45%) and Sở Nông nghiệp và Môi trường (≈ 53%; land registration, mostly
 *    partial-online and the busiest department, which keeps the department level the lowest,
 *    as in seed 002);
 *  - Huyện Vũ Quang (≈ 56%), Huyện Hương Khê (≈ 63%) and, just short, Huyện Hương Sơn (≈ 68%),
 *    with most of their communes;
 *  - Xã Thạch Hải (≈ 45%), a coastal commune behind the rest of Thành phố Hà Tĩnh.
 * In the 2026 campaign (90% online), the communes formed from those three mountain districts
 * (Xã Phúc Trạch, Xã Vũ Quang, Xã Sơn Kim 2, …), Sở Xây dựng and Sở Nông nghiệp và Môi trường
 * stay below target, and below 95% on time. Figures as built; demo.test.ts checks the broad lines.
 * Matched by code and name, since codes are reused by other units after 1 July 2025.
 */
export const NAMED_TRAITS: readonly { code: string; name: string; performance: number }[] = [
	{ code: '42-SNNMT', name: 'Sở Nông nghiệp và Môi trường', performance: 0.5 },
	{ code: '42-SXD', name: 'Sở Xây dựng', performance: 0.22 },
	{ code: '42-CA', name: 'Công an tỉnh', performance: 2.2 },
	{ code: '42-BHXH', name: 'Bảo hiểm xã hội tỉnh', performance: 1.8 },
	{ code: '42-STP', name: 'Sở Tư pháp', performance: 1.5 },
	{ code: '18571', name: 'Xã Thạch Hải', performance: 0.12 }
];

/** Procedures: full-process ones are used online more; land files still need paper originals. */
export const ONLINE_LEVEL_PERFORMANCE = { full: 1.25, partial: 0.75, none: 1 } as const;
export const FIELD_PERFORMANCE: Record<string, number> = {
	'Đất đai': 0.6,
	'Hộ tịch': 1.3,
	'Đăng ký, quản lý cư trú': 1.5
};

/**
 * A quarter of the full-process procedures (by the hash of their code) were upgraded from partial
 * during the 2024 campaign: their dossiers received before it carry `online_level = partial`,
 * the per-dossier override of CONTRACT.md, as provincial logs record the level at filing time.
 */
export const UPGRADED_SHARE = 0.15;
export const UPGRADED_ON = CAMPAIGN_START;

/** Working days allowed (Decision on each procedure): quick civil-status acts, slow land files. */
export const DUE_DAYS: readonly { fields: readonly string[]; min: number; max: number }[] = [
	{ fields: ['Hộ tịch', 'Chứng thực', 'Đăng ký, quản lý cư trú'], min: 3, max: 5 },
	{
		fields: ['Đất đai', 'Xây dựng', 'Quy hoạch xây dựng, kiến trúc', 'Đầu tư tại Việt Nam'],
		min: 10,
		max: 15
	}
];
export const DEFAULT_DUE_DAYS = { min: 5, max: 10 } as const;

/** Of non-online dossiers, sent by public post (BCCI). */
export const POSTAL_SHARE = 0.07;
/** Of completed dossiers, rated by the applicant. */
export const RATED_SHARE = 0.3;
/** Outcomes other than a result: returned as incomplete, withdrawn, stuck (still open, overdue). */
export const RETURNED_SHARE = 0.01;
export const WITHDRAWN_SHARE = 0.004;
export const STUCK_SHARE = 0.002;
