/**
 * Who handles what, and how much: one row per unit version (size, performance, target level),
 * one per procedure (weight, due days, online level over time) and, per era, every pair of a unit
 * and a procedure it handles with an integer weight and its running total, from which each
 * dossier's pair is drawn. Built on the generator's connection as TEMP tables.
 */
import path from 'node:path';
import { sql, type Kysely, type RawBuilder } from 'kysely';
import { literal } from '../import/sql';
import {
	ABOLITION_DAY,
	COMMUNE_KIND_TRAITS,
	COMMUNE_SIZE_SPREAD,
	DEFAULT_DISTRICT,
	DEFAULT_DUE_DAYS,
	DISTRICT_TRAITS,
	DUE_DAYS,
	FIELD_PERFORMANCE,
	FIRST_DAY,
	NAMED_TRAITS,
	ONLINE_LEVEL_PERFORMANCE,
	REFORM_DAY,
	UNIT_PERFORMANCE_SPREAD,
	UPGRADED_SHARE
} from './story';
import type { Database } from '../db/schema';

/** Salts of the per-unit and per-procedure draws (any distinct 32-bit numbers). */
const SALT = { size: 2654435769, performance: 2246822519, due: 3266489917, upgraded: 668265263 };

/**
 * Pair weights are the procedure's yearly weight times the unit's share, in units of 1/10,000:
 * fine enough for the smallest commune's rarest procedure, while an era's total (about 7·10^8)
 * stays below 2^32, the resolution of the 32-bit draw that picks a pair in dossiers.ts.
 */
const WEIGHT_UNIT = 10_000;

/** The days on which the set of units or procedures changes; each starts an era. */
export const ERA_STARTS = [FIRST_DAY, ABOLITION_DAY, REFORM_DAY] as const;

const values = (rows: RawBuilder<unknown>[]) => sql.join(rows);
const spread = (salt: number, width: number) =>
	sql`(1 - ${width} + 2 * ${width} * demo_uniform(h, ${sql.lit(salt)}))`;

export async function buildProfiles(db: Kysely<Database>, dataDir: string): Promise<void> {
	await buildUnitProfiles(db, dataDir);
	await buildProcedureProfiles(db, dataDir);
	await buildPairs(db);
}

async function buildUnitProfiles(db: Kysely<Database>, dataDir: string): Promise<void> {
	const districts = values(
		Object.entries(DISTRICT_TRAITS).map(
			([code, t]) => sql`(${code}, CAST(${t.size} AS DOUBLE), CAST(${t.performance} AS DOUBLE))`
		)
	);
	const kinds = values(
		COMMUNE_KIND_TRAITS.map(
			(t) => sql`(${t.prefix}, CAST(${t.size} AS DOUBLE), CAST(${t.performance} AS DOUBLE))`
		)
	);
	const named = values(
		NAMED_TRAITS.map((t) => sql`(${t.code}, ${t.name}, CAST(${t.performance} AS DOUBLE))`)
	);
	const merger = literal(path.join(dataDir, 'merger-2025.csv'));
	const lastOldDay = sql`CAST(${REFORM_DAY} AS DATE) - 1`;
	// Old communes get their traits from kind, district and hash; a district is the sum of its
	// communes; a new commune the sum of the old ones it was formed from (merger-2025.csv), a
	// split old commune shared equally between its successors. Sizes (in thousandths) and
	// performances (in ten-thousandths) are summed as integers: a sum of doubles may round
	// differently with the order threads add it in, and the demo must not change between runs.
	await sql`CREATE OR REPLACE TEMP TABLE demo_units AS
		WITH district_traits(code, size, performance) AS (VALUES ${districts}),
		kind_traits(prefix, size, performance) AS (VALUES ${kinds}),
		named_traits(code, name, performance) AS (VALUES ${named}),
		versions AS (
			SELECT u.*, demo_code_number(u.code) AS h, coalesce(n.performance, 1) AS named_performance,
				coalesce(u.valid_from, DATE '0001-01-01') <= ${lastOldDay}
					AND ${lastOldDay} <= coalesce(u.valid_to, DATE '9999-12-31') AS before_reform
			FROM unit_versions u LEFT JOIN named_traits n ON n.code = u.code AND n.name = u.name
		),
		old_communes AS (
			SELECT v.id, v.code, v.parent_code,
				CAST(round(1000 * coalesce(k.size, 1) * coalesce(d.size, ${DEFAULT_DISTRICT.size})
					* ${spread(SALT.size, COMMUNE_SIZE_SPREAD)}) AS BIGINT) AS size,
				CAST(round(10000 * coalesce(k.performance, 1)
					* coalesce(d.performance, ${DEFAULT_DISTRICT.performance})
					* ${spread(SALT.performance, UNIT_PERFORMANCE_SPREAD)} * v.named_performance) AS BIGINT)
					AS performance
			FROM versions v
			LEFT JOIN kind_traits k ON starts_with(v.name, k.prefix || ' ')
			LEFT JOIN district_traits d ON d.code = v.parent_code
			WHERE v.level = 'commune' AND v.before_reform
		),
		districts AS (
			SELECT v.id, sum(c.size) AS size,
				CAST(round(sum(c.size * c.performance) / sum(c.size) * any_value(v.named_performance))
					AS BIGINT) AS performance
			FROM versions v JOIN old_communes c ON c.parent_code = v.code
			WHERE v.level = 'district' AND v.before_reform GROUP BY v.id
		),
		merger AS (
			SELECT new_code, old_code, count(*) OVER (PARTITION BY old_code) AS successors
			FROM read_csv(${merger}, header = true, all_varchar = true)
		),
		new_communes AS (
			SELECT v.id, sum(c.size // m.successors) AS size,
				CAST(round(sum(c.size // m.successors * c.performance) / sum(c.size // m.successors)
					* any_value(v.named_performance)) AS BIGINT) AS performance
			FROM versions v JOIN merger m ON m.new_code = v.code
			JOIN old_communes c ON c.code = m.old_code
			WHERE v.level = 'commune' AND NOT v.before_reform GROUP BY v.id
		),
		departments AS (
			SELECT id, CAST(1000 AS BIGINT) AS size,
				CAST(round(10000 * ${spread(SALT.performance, UNIT_PERFORMANCE_SPREAD)}
					* named_performance) AS BIGINT) AS performance
			FROM versions WHERE level = 'department'
		),
		profiled AS (
			SELECT id, size, performance FROM old_communes
			UNION ALL SELECT * FROM districts
			UNION ALL SELECT * FROM new_communes
			UNION ALL SELECT * FROM departments
		)
		SELECT v.id, v.code, v.name, v.level,
			CASE v.level WHEN 'department' THEN 'province' ELSE v.level END AS target_level,
			coalesce(v.valid_from, DATE '0001-01-01') AS valid_from,
			coalesce(v.valid_to, DATE '9999-12-31') AS valid_to,
			p.size, p.performance / 10000 AS performance
		FROM versions v JOIN profiled p USING (id)`.execute(db);
}

async function buildProcedureProfiles(db: Kysely<Database>, dataDir: string): Promise<void> {
	const dueRules = values(
		DUE_DAYS.flatMap((rule) =>
			rule.fields.map(
				(field) => sql`(${field}, CAST(${rule.min} AS INTEGER), CAST(${rule.max} AS INTEGER))`
			)
		)
	);
	const fields = values(
		Object.entries(FIELD_PERFORMANCE).map(([field, k]) => sql`(${field}, CAST(${k} AS DOUBLE))`)
	);
	const levels = values(
		Object.entries(ONLINE_LEVEL_PERFORMANCE).map(
			([level, k]) => sql`(${level}, CAST(${k} AS DOUBLE))`
		)
	);
	const weights = literal(path.join(dataDir, 'procedure-weights.csv'));
	await sql`CREATE OR REPLACE TEMP TABLE demo_procedures AS
		WITH due_rules(field, min_days, max_days) AS (VALUES ${dueRules}),
		field_traits(field, performance) AS (VALUES ${fields}),
		level_traits(online_level, performance) AS (VALUES ${levels}),
		weights AS (
			SELECT code, weight FROM read_csv(${weights}, header = true,
				columns = {'code': 'VARCHAR', 'weight': 'INTEGER'})
		),
		hashed AS (SELECT p.*, demo_code_number(p.code) AS h FROM procedures p)
		SELECT p.code, p.level, p.online_level, p.has_fee, p.online_payment, p.unit_code AS owner_code,
			p.active, w.weight,
			coalesce(r.min_days, ${DEFAULT_DUE_DAYS.min})
				+ CAST(demo_draw(h, ${sql.lit(SALT.due)}) % (coalesce(r.max_days, ${DEFAULT_DUE_DAYS.max})
					- coalesce(r.min_days, ${DEFAULT_DUE_DAYS.min}) + 1) AS INTEGER) AS due_days,
			p.online_level = 'full'
				AND demo_chance(h, ${sql.lit(SALT.upgraded)}, ${UPGRADED_SHARE}) AS upgraded,
			l.performance * coalesce(f.performance, 1) AS performance
		FROM hashed p
		JOIN weights w USING (code)
		JOIN level_traits l USING (online_level)
		LEFT JOIN due_rules r USING (field)
		LEFT JOIN field_traits f USING (field)`.execute(db);
}

/**
 * Province procedures go to the department that owns them; district procedures to the districts
 * or, in an era without districts (after the reform), to the communes; commune procedures to the
 * communes. Within a level, a procedure's weight is shared by unit size. Abolished procedures
 * exist only in the eras that start before their abolition.
 */
async function buildPairs(db: Kysely<Database>): Promise<void> {
	const eras = values(ERA_STARTS.map((day, i) => sql`(${i + 1}, CAST(${day} AS DATE))`));
	await sql`CREATE OR REPLACE TEMP TABLE demo_pairs AS
		WITH eras(era, starts_on) AS (VALUES ${eras}),
		era_units AS (
			SELECT e.era, u.*, bool_or(u.level = 'district') OVER (PARTITION BY e.era) AS has_districts
			FROM eras e JOIN demo_units u ON e.starts_on BETWEEN u.valid_from AND u.valid_to
		),
		era_procedures AS (
			SELECT e.era, p.* FROM eras e JOIN demo_procedures p
				ON p.active OR e.starts_on < CAST(${ABOLITION_DAY} AS DATE)
		),
		desks AS (
			SELECT u.era, u.id, u.code, p.code AS procedure_code, p.weight,
				CASE WHEN p.level = 'province' THEN 1.0
					ELSE u.size / sum(u.size) OVER (PARTITION BY u.era, p.code) END AS share
			FROM era_procedures p JOIN era_units u ON u.era = p.era AND CASE p.level
				WHEN 'province' THEN u.level = 'department' AND u.code = p.owner_code
				WHEN 'district' THEN u.level = CASE WHEN u.has_districts THEN 'district' ELSE 'commune' END
				ELSE u.level = 'commune' END
		),
		weighted AS (
			SELECT era, id AS unit_version_id, code AS unit_code, procedure_code,
				greatest(1, CAST(round(weight * share * ${WEIGHT_UNIT}) AS BIGINT)) AS weight
			FROM desks
		)
		SELECT *, sum(weight) OVER (PARTITION BY era ORDER BY unit_version_id, procedure_code
				ROWS UNBOUNDED PRECEDING) - weight AS cum_weight,
			sum(weight) OVER (PARTITION BY era) AS era_weight
		FROM weighted`.execute(db);
}
