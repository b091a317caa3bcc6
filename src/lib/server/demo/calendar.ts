/**
 * One row per day of the demo: how many dossiers it receives, which era it belongs to, the row
 * numbers it owns (dossier rows are numbered day after day), and the day's value of every curve
 * of story.ts (`curve_<name>`). Built on the generator's connection as the TEMP table `demo_days`.
 */
import { sql, type Kysely } from 'kysely';
import { daysBetween } from '../../domain/dates';
import { ERA_STARTS } from './profiles';
import {
	CURVES,
	FIRST_DAY,
	HOLIDAY_VOLUME,
	HOLIDAYS,
	LAST_DAY,
	TET,
	TET_DAYS,
	WEEKDAY_VOLUME,
	type CurveName
} from './story';
import type { Database } from '../db/schema';

/** Volume factors are integers (thousandths) so that their sums are exact (see profiles.ts). */
const PER_MILLE = 1000;
const perMille = (factor: number) => sql.lit(Math.round(factor * PER_MILLE));

const CURVE_NAMES = Object.keys(CURVES) as CurveName[];

export async function buildCalendar(db: Kysely<Database>, scale: number): Promise<number> {
	checkCurves();
	const points = sql.join(
		CURVE_NAMES.flatMap((name) =>
			CURVES[name].map(
				([day, value]) => sql`(${name}, CAST(${day} AS DATE), CAST(${value} AS DOUBLE))`
			)
		)
	);
	const pivot = sql.join(
		CURVE_NAMES.map(
			(name) => sql`max(value) FILTER (WHERE curve = ${name}) AS ${sql.id(`curve_${name}`)}`
		)
	);
	const weekday = sql.join(WEEKDAY_VOLUME.map(perMille));
	const tet = sql.join(TET_DAYS.map((day) => sql`CAST(${day} AS DATE)`));
	const holidays = sql.join(HOLIDAYS.map((day) => sql`CAST(${day} AS DATE)`));
	const eraStarts = sql.join(ERA_STARTS.map((day) => sql`CAST(${day} AS DATE)`));
	const tetWindows = (Object.values(TET) as { from: number; to: number; factor: number }[]).map(
		(window) => sql`WHEN tet_offset BETWEEN ${sql.lit(window.from)} AND ${sql.lit(window.to)}
			THEN ${perMille(window.factor)}`
	);
	const tetFactor = sql`CASE ${sql.join(tetWindows, sql` `)} ELSE ${sql.lit(PER_MILLE)} END`;
	const holidayFactor = sql`CASE WHEN list_contains([${holidays}], c.day)
		THEN ${perMille(HOLIDAY_VOLUME)} ELSE ${sql.lit(PER_MILLE)} END`;
	const years = (daysBetween(FIRST_DAY, LAST_DAY) + 1) / 365.25;
	const interpolated = sql`s.value
		+ (s.next_value - s.value) * (d.day - s.on_day) / (s.next_day - s.on_day)`;
	await sql`CREATE OR REPLACE TEMP TABLE demo_days AS
		WITH days AS (
			SELECT CAST(range AS DATE) AS day FROM range(CAST(${FIRST_DAY} AS DATE),
				CAST(${LAST_DAY} AS DATE) + 1, INTERVAL 1 DAY)
		),
		points(curve, on_day, value) AS (VALUES ${points}),
		segments AS (
			SELECT curve, on_day, value,
				lead(on_day) OVER w AS next_day, lead(value) OVER w AS next_value
			FROM points WINDOW w AS (PARTITION BY curve ORDER BY on_day)
		),
		curve_values AS (
			SELECT d.day, s.curve,
				CASE WHEN s.next_day IS NULL THEN s.value ELSE ${interpolated} END AS value
			FROM days d JOIN segments s ON d.day >= s.on_day
				AND (d.day < s.next_day OR (s.next_day IS NULL AND d.day = s.on_day))
		),
		curves AS (SELECT day, ${pivot} FROM curve_values GROUP BY day),
		factored AS (
			SELECT c.*,
				list_count(list_filter([${eraStarts}], s -> s <= c.day)) AS era,
				[${weekday}][isodow(c.day)] * ${holidayFactor} * ${tetFactor}
					// ${sql.lit(PER_MILLE * PER_MILLE)} AS factor
			FROM (
				SELECT *, list_reduce(list_transform([${tet}], t -> day - t),
					(a, b) -> CASE WHEN abs(b) < abs(a) THEN b ELSE a END) AS tet_offset
				FROM curves
			) c
		),
		counted AS (
			-- The volume curve is dossiers per year: divide by the factors of an average year.
			SELECT *, CAST(round(${scale} * curve_volume * factor
				/ (sum(factor) OVER () / CAST(${years} AS DOUBLE))) AS BIGINT) AS dossiers
			FROM factored
		)
		SELECT * EXCLUDE (tet_offset, factor),
			sum(dossiers) OVER (ORDER BY day ROWS UNBOUNDED PRECEDING) - dossiers AS first_row
		FROM counted`.execute(db);
	const { rows } = await sql<{
		total: number;
	}>`SELECT sum(dossiers) AS total FROM demo_days`.execute(db);
	return rows[0].total;
}

/** Each curve must cover the demo's days, in order, so every day has a value. */
function checkCurves(): void {
	for (const name of CURVE_NAMES) {
		const days = CURVES[name].map(([day]) => day);
		const ordered = days.every((day, i) => i === 0 || days[i - 1] < day);
		if (days[0] !== FIRST_DAY || days.at(-1) !== LAST_DAY || !ordered) {
			throw new Error(`demo curve ${name} must run in order from ${FIRST_DAY} to ${LAST_DAY}`);
		}
	}
}
