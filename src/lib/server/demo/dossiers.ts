/**
 * The dossier generator: one INSERT … SELECT over range(N), set-based. Row n belongs to the day
 * whose row numbers contain it (calendar.ts), draws its unit and procedure from that day's era
 * (profiles.ts), then every attribute from its own salted hash of n (macros.ts) against a share
 * taken from the day's curves and shifted by the unit's and the procedure's performance.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../db';
import { buildCalendar } from './calendar';
import { createDemoMacros, dropDemoMacros } from './macros';
import { buildProfiles } from './profiles';
import {
	DATA_AS_OF,
	DIGITIZATION_BY_LEVEL,
	ONLINE_DIGITIZATION,
	POSTAL_SHARE,
	RATED_SHARE,
	RETURNED_SHARE,
	STUCK_SHARE,
	UPGRADED_ON,
	WITHDRAWN_SHARE
} from './story';

/** One salt per choice (any distinct 32-bit numbers): changing one reshuffles that choice only. */
const SALT = {
	pair: 3432918353,
	time: 461845907,
	channel: 2654435761,
	postal: 1597334677,
	paid: 2246822507,
	digitized: 3266489909,
	result: 668265261,
	reused: 374761393,
	synced: 2869860233,
	late: 1103515245,
	duration: 2891336453,
	returned: 747796405,
	withdrawn: 1181783497,
	stuck: 2127912214,
	finish: 2028178513,
	rated: 3735928559,
	satisfied: 1540483477,
	neutral: 2166136261
};

const salt = (name: keyof typeof SALT) => sql.lit(SALT[name]);
const chance = (name: keyof typeof SALT, p: RawBuilder<unknown>) =>
	sql`demo_chance(h, ${salt(name)}, ${p})`;
const share = (value: number) => sql`CAST(${value} AS DOUBLE)`;
const draw = (name: keyof typeof SALT) => sql`demo_draw(h, ${salt(name)})`;

const WORK_TABLES = ['demo_days', 'demo_pairs', 'demo_procedures', 'demo_units'];

/**
 * Generates the demo's dossiers into an empty `dossiers` table, in one transaction on one
 * connection (TEMP tables and macros belong to a connection); returns how many.
 */
export async function generateDossiers(
	db: Kysely<Database>,
	dataDir: string,
	scale: number
): Promise<number> {
	return db.transaction().execute(async (conn) => {
		await createDemoMacros(conn);
		await buildProfiles(conn, dataDir);
		const total = await buildCalendar(conn, scale);
		const inserted = await insertDossiers(conn, total);
		for (const table of WORK_TABLES) await sql`DROP TABLE ${sql.id(table)}`.execute(conn);
		await dropDemoMacros(conn);
		return inserted;
	});
}

/**
 * Each row: its day (by row number), its unit and procedure (drawn in the era's pairs), its
 * time of receipt, and the day's base online share for the unit's target level.
 */
function drawnRows(total: number): RawBuilder<unknown> {
	const upgradedBefore = sql`pr.upgraded AND x.day < CAST(${UPGRADED_ON} AS DATE)`;
	return sql`numbered AS (
			SELECT range AS n, demo_hash32(CAST(range AS UBIGINT)) AS h FROM range(${total})
		),
		eras AS (SELECT era, any_value(era_weight) AS era_weight FROM demo_pairs GROUP BY era),
		dated AS (
			SELECT r.n, r.h, d.*, CAST((${draw('pair')} * e.era_weight) >> 32 AS BIGINT) AS pick
			FROM numbered r ASOF JOIN demo_days d ON r.n >= d.first_row
			JOIN eras e USING (era)
		),
		drawn AS (
			SELECT x.*, p.unit_version_id, p.unit_code, p.procedure_code,
				u.target_level, u.performance AS unit_performance,
				pr.performance AS procedure_performance, pr.has_fee, pr.online_payment, pr.due_days,
				pr.online_level AS procedure_online_level,
				CASE WHEN ${upgradedBefore} THEN 'partial' END AS online_level_override,
				CASE u.target_level WHEN 'province' THEN x.curve_online_province
					WHEN 'district' THEN x.curve_online_district ELSE x.curve_online_commune END
					AS curve_online,
				-- Office hours: 7:00 to 16:59:59.
				CAST(x.day AS TIMESTAMP) + to_seconds(CAST(25200 + ${draw('time')} % 36000 AS BIGINT))
					AS received_at
			FROM dated x
			ASOF JOIN demo_pairs p ON x.era = p.era AND x.pick >= p.cum_weight
			JOIN demo_units u ON u.id = p.unit_version_id
			JOIN demo_procedures pr ON pr.code = p.procedure_code
		)`;
}

/** How each dossier goes: its channel, its due day, when (and whether) it got its result. */
function outcomes(): RawBuilder<unknown> {
	const eligible = sql`coalesce(online_level_override, procedure_online_level)
		IN ('full', 'partial')`;
	const filedOnline = chance(
		'channel',
		sql`demo_adjust(curve_online, unit_performance * procedure_performance)`
	);
	const lateWorkDays = sql`due_days + 1
		+ CAST(${draw('duration')} % (due_days // 2 + 3) AS INTEGER)`;
	const onTimeWorkDays = sql`CAST(${draw('duration')} % (due_days + 1) AS INTEGER)`;
	const asOf = sql`CAST(${DATA_AS_OF} AS TIMESTAMP)`;
	return sql`channelled AS (
			SELECT *,
				CASE WHEN ${eligible} AND ${filedOnline} THEN 'online'
					WHEN ${chance('postal', share(POSTAL_SHARE))} THEN 'postal'
					ELSE 'direct' END AS channel,
				${chance('late', sql`demo_adjust(curve_late, 1 / sqrt(unit_performance))`)} AS finishes_late,
				${chance('returned', share(RETURNED_SHARE))} AS returned,
				${chance('withdrawn', share(WITHDRAWN_SHARE))} AS withdrawn,
				${chance('stuck', sql`demo_adjust(${share(STUCK_SHARE)}, 1 / unit_performance)`)} AS stuck
			FROM drawn
		),
		scheduled AS (
			SELECT *, CAST(demo_add_workdays(day, due_days) AS TIMESTAMP) + INTERVAL 17 HOUR AS due_at,
				-- Working days to the result: within the allowed days, or a few days past them.
				CASE WHEN finishes_late THEN ${lateWorkDays} ELSE ${onTimeWorkDays} END AS work_days
			FROM channelled
		),
		finished AS (
			SELECT *, CASE WHEN work_days = 0
					THEN received_at + to_minutes(CAST(20 + ${draw('finish')} % 240 AS BIGINT))
					ELSE CAST(demo_add_workdays(day, work_days) AS TIMESTAMP)
						+ to_minutes(CAST(450 + ${draw('finish')} % 540 AS BIGINT))
				END AS result_at
			FROM scheduled
		),
		settled AS (
			SELECT *, CASE WHEN returned THEN 'returned'
					WHEN withdrawn THEN 'withdrawn'
					WHEN stuck OR result_at > ${asOf} THEN
						CASE WHEN day >= CAST(${asOf} AS DATE) - 1 THEN 'received' ELSE 'processing' END
					ELSE 'completed' END AS status
			FROM finished
		)`;
}

/** The stored columns, in the order of the INSERT. */
function dossierColumns(): RawBuilder<unknown> {
	const digitization = sql`CASE target_level
		WHEN 'province' THEN ${share(DIGITIZATION_BY_LEVEL.province)}
		WHEN 'district' THEN ${share(DIGITIZATION_BY_LEVEL.district)}
		ELSE ${share(DIGITIZATION_BY_LEVEL.commune)} END * unit_performance`;
	const filedAsFiles = sql`CASE WHEN channel = 'online'
		THEN ${share(ONLINE_DIGITIZATION)} ELSE 1 END`;
	const digitized = sql`demo_adjust(curve_dossier_digitized, ${digitization} * ${filedAsFiles})`;
	// A late result is rated satisfied far less often, whatever the unit.
	const satisfied = sql`CASE WHEN result_at > due_at THEN 0.6 * curve_satisfied
		ELSE demo_adjust(curve_satisfied, sqrt(unit_performance)) END`;
	// Real codes: the receiving desk's code, the day, the desk's running number that day.
	const deskSequence = sql`row_number() OVER (PARTITION BY unit_code, day ORDER BY n)`;
	return sql`'000.00.' || replace(unit_code, '42-', '') || '.H42-' || strftime(day, '%y%m%d')
				|| '-' || lpad(CAST(${deskSequence} AS VARCHAR), 4, '0'),
			procedure_code, unit_code, unit_version_id, channel, received_at, due_at,
			CASE WHEN status = 'completed' THEN result_at END,
			status, online_level_override, has_fee,
			has_fee AND online_payment AND channel = 'online'
				AND ${chance('paid', sql`curve_paid_online`)},
			${chance('digitized', digitized)},
			status = 'completed'
				AND ${chance('result', sql`demo_adjust(curve_result_digitized, ${digitization})`)},
			${chance('reused', sql`demo_adjust(curve_data_reused, unit_performance)`)},
			${chance('synced', sql`demo_adjust(curve_portal_synced, sqrt(unit_performance))`)},
			CASE WHEN status <> 'completed' OR NOT ${chance('rated', share(RATED_SHARE))} THEN NULL
				WHEN ${chance('satisfied', satisfied)} THEN 'satisfied'
				WHEN ${chance('neutral', share(0.6))} THEN 'neutral'
				ELSE 'dissatisfied' END,
			NULL`;
}

async function insertDossiers(db: Kysely<Database>, total: number): Promise<number> {
	const result = await sql`INSERT INTO dossiers (dossier_code, procedure_code, unit_code,
			unit_version_id, channel, received_at, due_at, completed_at, status, online_level,
			fee_required, paid_online, dossier_digitized, result_digitized, data_reused, portal_synced,
			rating, import_batch_id)
		WITH ${drawnRows(total)}, ${outcomes()}
		SELECT ${dossierColumns()}
		FROM settled
		-- Day by day: a period filter on received_at then skips whole row groups.
		ORDER BY n`.execute(db);
	return Number(result.numAffectedRows ?? 0);
}
