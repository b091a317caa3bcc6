/**
 * The demo province: Hà Tĩnh (42) from January 2023 to October 2026, built by `demo`.
 *
 * Design. Units, procedures and campaign targets are real files of data/demo loaded through the
 * real importer, so the demo exercises the path users take. Dossiers (about 1.5 million, 400,000
 * a year) are generated in SQL, set-based, in a single INSERT … SELECT FROM range(N):
 *  - how many per day: a yearly volume curve × weekday rhythm × holidays and Tết (calendar.ts);
 *    rows are numbered day after day, so a row number alone says its day;
 *  - which unit and procedure: drawn from per-era pairs (unit, procedure) weighted by the
 *    procedure's weight (procedure-weights.csv) × the unit's size; province procedures at their
 *    department, district ones at the districts until 30 June 2025 and at the new communes
 *    after, commune ones at the communes of the day (profiles.ts);
 *  - everything else (channel, digitised, on time, rating, …): a share from a dated curve,
 *    moved by the unit's and the procedure's performance (story.ts), against a draw.
 * Every draw is a salted integer hash of the row number (macros.ts), and every sum is over
 * integers, so the data are the same on every run and machine: no random(), no hash().
 * Rebuilding empties every data table first and renumbers the ids afterwards (reset.ts).
 */
import path from 'node:path';
import { sql, type Kysely } from 'kysely';
import { rebuildAggregates } from '../kpi/aggregates';
import type { CommandOutput } from '../output';
import type { Database, Store } from '../db';
import { importFile } from '../import/run';
import { literal } from '../import/sql';
import { generateDossiers } from './dossiers';
import { emptyDataTables, renumberIds } from './reset';
import { FIRST_DAY, LAST_DAY, REFORM_DAY } from './story';
import { DEMO_USERS, ensureDemoUsers } from './users';

export interface DemoOptions {
	/** The folder of units.csv, procedures.csv and the rest; the app runs from the project root. */
	dataDir?: string;
	/** A fraction of the full volume, for quick tests; 1 builds the demo as shipped. */
	scale?: number;
}

export interface DemoSummary {
	unitVersions: number;
	procedures: number;
	campaigns: number;
	targets: number;
	dossiers: number;
	firstDay: string;
	lastDay: string;
	seconds: number;
}

export async function buildDemo(
	store: Store,
	io: CommandOutput,
	options: DemoOptions = {}
): Promise<DemoSummary> {
	const started = performance.now();
	const elapsed = () => Math.round((performance.now() - started) / 100) / 10;
	const dataDir = options.dataDir ?? path.join(process.cwd(), 'data', 'demo');
	const scale = options.scale ?? 1;
	if (!(scale > 0 && Number.isFinite(scale)))
		throw new RangeError(`demo scale ${scale} is not > 0`);

	await emptyDataTables(store.db);
	// Frees the deleted rows' blocks now, so the new rows reuse them rather than grow the file.
	await sql`CHECKPOINT`.execute(store.db);
	io.out(`demo: emptied the data tables of ${store.path}`);
	for (const kind of ['units', 'procedures', 'targets'] as const) {
		const result = await importFile(store.db, kind, path.join(dataDir, `${kind}.csv`));
		io.out(`demo: imported ${result.rows} ${kind} rows from ${result.file}`);
	}
	await renumberIds(store.db);
	await loadLineage(store.db, dataDir);
	const dossiers = await generateDossiers(store.db, dataDir, scale);
	await rebuildAggregates(store.db);
	io.out(
		`demo: generated ${dossiers} dossiers received ${FIRST_DAY} to ${LAST_DAY} (${elapsed()} s)`
	);
	await ensureDemoUsers(store.db);
	io.out(
		`demo: ${DEMO_USERS.length} demo accounts ready (${DEMO_USERS.map((u) => u.username).join(', ')})`
	);
	// Writes the new rows into the file now, and frees the blocks of the rows deleted above.
	await sql`CHECKPOINT`.execute(store.db);

	const { rows } = await sql<Omit<DemoSummary, 'dossiers' | 'firstDay' | 'lastDay' | 'seconds'>>`
		SELECT (SELECT count(*) FROM unit_versions) AS "unitVersions",
			(SELECT count(*) FROM procedures) AS procedures,
			(SELECT count(*) FROM campaigns) AS campaigns,
			(SELECT count(*) FROM targets) AS targets`.execute(store.db);
	const summary: DemoSummary = {
		...rows[0],
		dossiers,
		firstDay: FIRST_DAY,
		lastDay: LAST_DAY,
		seconds: elapsed()
	};
	io.out(
		`demo: ${summary.unitVersions} unit versions, ${summary.procedures} procedures, ` +
			`${summary.campaigns} campaigns with ${summary.targets} targets, ` +
			`${summary.dossiers} dossiers in ${summary.seconds} s`
	);
	return summary;
}

/** Which new commune was formed from which old ones on 1 July 2025: access scopes follow it. */
async function loadLineage(db: Kysely<Database>, dataDir: string): Promise<void> {
	const file = literal(path.join(dataDir, 'merger-2025.csv'));
	await sql`INSERT INTO unit_lineage (new_code, old_code, changed_on, partial)
		SELECT DISTINCT new_code, old_code, CAST(${REFORM_DAY} AS DATE), partial = 'true'
		FROM read_csv(${file}, header = true, all_varchar = true)`.execute(db);
}
