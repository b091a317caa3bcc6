/**
 * Counts per unit version and day (`kpi_daily`) and per unit version and month (`kpi_monthly`),
 * one column per measure of definitions.ts: received measures on the day received, completed ones
 * on the day completed. Dashboard questions read these, never the raw dossiers. They are derived
 * data: created (and filled) when missing or when the measures change, refreshed inside every
 * import transaction for the (unit version, month) pairs the import touched.
 *
 * Beside them, `late_candidates`: the few dossiers (about one in eighteen in the demo) that are
 * late at some moment, which the Late page reads instead of every dossier (issue 12: the page
 * scanned ten million rows per question). Kept by the same (unit version, received month) pairs.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import { condition, MEASURES } from './definitions';
import type { Database } from '../db/schema';

type Db = Kysely<Database>;

const measureColumn = (id: string) => sql.id(id);
const RECEIVED = MEASURES.filter((m) => m.basis === 'received');
const COMPLETED = MEASURES.filter((m) => m.basis === 'completed');

/** The dossier with what the KPI conditions read: its effective online level among them. */
const FACTS_VIEW = sql`CREATE OR REPLACE VIEW dossier_facts AS
	SELECT d.unit_version_id, d.dossier_code, d.procedure_code, d.received_at, d.due_at, d.completed_at, d.channel,
		coalesce(d.online_level, p.online_level) AS online_level,
		d.fee_required, d.paid_online, d.dossier_digitized, d.result_digitized, d.data_reused,
		d.portal_synced, d.rating
	FROM dossiers d LEFT JOIN procedures p ON p.code = d.procedure_code`;

function tableDefinition(table: string, unit: string, date: string): RawBuilder<unknown> {
	return sql`CREATE TABLE ${sql.table(table)} (${sql.id(unit)} INTEGER NOT NULL, ${sql.id(date)} DATE NOT NULL,
		${sql.join(
			MEASURES.map((m) => sql`${measureColumn(m.id)} INTEGER NOT NULL`),
			sql`, `
		)})`;
}

/** The aggregate tables: their key columns, then one count per measure. */
const TABLES = {
	kpi_daily: ['unit_version_id', 'day'],
	kpi_monthly: ['unit_version_id', 'month'],
	/** Per unit version and month, the counts of its whole subtree: series read these directly. */
	kpi_monthly_subtree: ['ancestor_id', 'month']
} as const;

/**
 * A dossier that is late at the end of some day, or completed late: due, and either still open
 * (received or processing, no result) or completed after its due time. Every dossier the Late page
 * lists is one (dashboard/late.ts: open past due at a day's end means completed after it, if at
 * all; completed late means not `completed_on_time`), so it reads these rows and no other.
 */
export const LATE_CANDIDATE = sql`due_at IS NOT NULL AND ((completed_at IS NULL
	AND status IN ('received', 'processing')) OR completed_at > due_at)`;

const LATE_COLUMNS = sql`dossier_code, procedure_code, unit_version_id, received_at, due_at,
	completed_at, status`;

const LATE_TABLE = sql`CREATE TABLE late_candidates (dossier_code VARCHAR NOT NULL,
	procedure_code VARCHAR NOT NULL, unit_version_id INTEGER NOT NULL, received_at TIMESTAMP NOT NULL,
	due_at TIMESTAMP NOT NULL, completed_at TIMESTAMP, status VARCHAR NOT NULL)`;

/** The candidates among the dossiers `where` selects, oldest received first. */
const lateCandidates = (where: RawBuilder<unknown>) => sql`SELECT ${LATE_COLUMNS} FROM dossiers
	WHERE ${LATE_CANDIDATE} AND ${where} ORDER BY received_at`;

/** Creates the view and tables when missing or out of date with the measures; returns whether it rebuilt. */
export async function ensureAggregates(db: Db): Promise<boolean> {
	await FACTS_VIEW.execute(db);
	const { rows: late } = await sql<{ n: number }>`SELECT count(*) AS n FROM duckdb_tables()
		WHERE table_name = 'late_candidates' AND NOT internal`.execute(db);
	if (late[0].n === 0) {
		await LATE_TABLE.execute(db);
		await sql`INSERT INTO late_candidates ${lateCandidates(sql`true`)}`.execute(db);
	}
	const { rows } = await sql<{ table_name: string; name: string }>`SELECT table_name,
		column_name AS name FROM duckdb_columns()
		WHERE table_name LIKE 'kpi_%' AND NOT internal ORDER BY table_name, column_index`.execute(db);
	const upToDate = Object.entries(TABLES).every(
		([table, keys]) =>
			rows
				.filter((r) => r.table_name === table)
				.map((r) => r.name)
				.join() === [...keys, ...MEASURES.map((m) => m.id)].join()
	);
	if (upToDate) return false;
	for (const [table, keys] of Object.entries(TABLES)) {
		await sql`DROP TABLE IF EXISTS ${sql.table(table)}`.execute(db);
		await tableDefinition(table, keys[0], keys[1]).execute(db);
	}
	await rebuildAggregates(db);
	return true;
}

/**
 * The daily counts of the dossiers that `received` and `completed` select (SQL conditions over
 * `dossier_facts f`), summed per unit version and day.
 */
function dailyCounts(receivedWhere: RawBuilder<unknown>, completedWhere: RawBuilder<unknown>) {
	const zeros = (list: readonly { id: string }[]) =>
		list.map((m) => sql`0 AS ${measureColumn(m.id)}`);
	const counts = (list: readonly { id: string; when: string }[]) =>
		list.map((m) => sql`count(*) FILTER (WHERE ${condition(m.when)}) AS ${measureColumn(m.id)}`);
	return sql`SELECT unit_version_id, day, ${sql.join(
		MEASURES.map(
			(m) => sql`CAST(sum(${measureColumn(m.id)}) AS INTEGER) AS ${measureColumn(m.id)}`
		),
		sql`, `
	)} FROM (
		SELECT unit_version_id, CAST(received_at AS DATE) AS day,
			${sql.join([...counts(RECEIVED), ...zeros(COMPLETED)], sql`, `)}
		FROM dossier_facts f WHERE ${receivedWhere} GROUP BY ALL
		UNION ALL BY NAME
		SELECT unit_version_id, CAST(completed_at AS DATE) AS day,
			${sql.join([...zeros(RECEIVED), ...counts(COMPLETED)], sql`, `)}
		FROM dossier_facts f WHERE completed_at IS NOT NULL AND ${completedWhere} GROUP BY ALL
	) GROUP BY unit_version_id, day
	-- Stored in date order, so a period's rows sit in few row groups (DuckDB skips the others by
	-- their min/max dates).
	ORDER BY day, unit_version_id`;
}

const monthlyFromDaily = (where: RawBuilder<unknown>) => sql`SELECT unit_version_id,
	CAST(date_trunc('month', day) AS DATE) AS month,
	${sql.join(
		MEASURES.map(
			(m) => sql`CAST(sum(${measureColumn(m.id)}) AS INTEGER) AS ${measureColumn(m.id)}`
		),
		sql`, `
	)} FROM kpi_daily WHERE ${where} GROUP BY ALL ORDER BY month, unit_version_id`;

const subtreeFromMonthly = (where: RawBuilder<unknown>) => sql`SELECT c.ancestor_id, m.month,
	${sql.join(
		MEASURES.map(
			(x) => sql`CAST(sum(m.${measureColumn(x.id)}) AS INTEGER) AS ${measureColumn(x.id)}`
		),
		sql`, `
	)} FROM kpi_monthly m JOIN unit_closure c ON c.descendant_id = m.unit_version_id
	WHERE ${where} GROUP BY ALL ORDER BY month, ancestor_id`;

export async function rebuildAggregates(db: Db): Promise<void> {
	await sql`DELETE FROM late_candidates`.execute(db);
	await sql`INSERT INTO late_candidates ${lateCandidates(sql`true`)}`.execute(db);
	await sql`DELETE FROM kpi_daily`.execute(db);
	await sql`DELETE FROM kpi_monthly`.execute(db);
	await sql`INSERT INTO kpi_daily ${dailyCounts(sql`true`, sql`true`)}`.execute(db);
	await sql`INSERT INTO kpi_monthly ${monthlyFromDaily(sql`true`)}`.execute(db);
	await rebuildSubtreeRollup(db);
}

/** The subtree counts follow the unit tree: a units import that rebuilds the tree calls this. */
export async function rebuildSubtreeRollup(db: Db): Promise<void> {
	await sql`DELETE FROM kpi_monthly_subtree`.execute(db);
	await sql`INSERT INTO kpi_monthly_subtree ${subtreeFromMonthly(sql`true`)}`.execute(db);
}

/**
 * Recounts the (unit version, month) pairs listed in the temp table `import_affected`
 * (`unit_version_id`, `month`): an import lists the pairs of the dossiers it removes, changes
 * (old and new) and adds.
 */
export async function refreshAggregates(db: Db): Promise<void> {
	const inAffected = (dateColumn: 'day' | 'received_at' | 'completed_at') =>
		sql`(unit_version_id, CAST(date_trunc('month', ${sql.ref(dateColumn)}) AS DATE)) IN
			(SELECT (unit_version_id, month) FROM import_affected)`;
	await sql`DELETE FROM late_candidates WHERE ${inAffected('received_at')}`.execute(db);
	await sql`INSERT INTO late_candidates ${lateCandidates(inAffected('received_at'))}`.execute(db);
	await sql`DELETE FROM kpi_daily WHERE ${inAffected('day')}`.execute(db);
	await sql`DELETE FROM kpi_monthly WHERE (unit_version_id, month) IN
		(SELECT (unit_version_id, month) FROM import_affected)`.execute(db);
	await sql`INSERT INTO kpi_daily ${dailyCounts(inAffected('received_at'), inAffected('completed_at'))}`.execute(
		db
	);
	await sql`INSERT INTO kpi_monthly ${monthlyFromDaily(inAffected('day'))}`.execute(db);
	// Every ancestor of a touched unit version has that month to recount.
	await sql`CREATE OR REPLACE TEMP TABLE import_affected_subtrees AS
		SELECT DISTINCT c.ancestor_id, a.month FROM import_affected a
		JOIN unit_closure c ON c.descendant_id = a.unit_version_id`.execute(db);
	const inSubtrees = sql`(c.ancestor_id, m.month) IN
		(SELECT (ancestor_id, month) FROM import_affected_subtrees)`;
	await sql`DELETE FROM kpi_monthly_subtree WHERE (ancestor_id, month) IN
		(SELECT (ancestor_id, month) FROM import_affected_subtrees)`.execute(db);
	await sql`INSERT INTO kpi_monthly_subtree ${subtreeFromMonthly(inSubtrees)}`.execute(db);
}

/**
 * Adds to `import_affected` the (unit version, month) pairs of the dossiers that `where` selects
 * from `source` (the stored dossiers, or an import's staged rows: anything with `unit_version_id`,
 * `received_at` and `completed_at`).
 */
export async function noteAffected(
	db: Db,
	where: RawBuilder<unknown>,
	source: RawBuilder<unknown> = sql`dossiers`
): Promise<void> {
	await sql`CREATE TEMP TABLE IF NOT EXISTS import_affected (unit_version_id INTEGER, month DATE)`.execute(
		db
	);
	await sql`INSERT INTO import_affected
		SELECT DISTINCT unit_version_id, CAST(date_trunc('month', received_at) AS DATE) FROM ${source}
		WHERE ${where}
		UNION
		SELECT DISTINCT unit_version_id, CAST(date_trunc('month', completed_at) AS DATE) FROM ${source}
		WHERE completed_at IS NOT NULL AND ${where}`.execute(db);
}
