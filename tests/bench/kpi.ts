/**
 * `npm run bench [-- --rows N] [--json]`: builds a database of N deterministic dossiers (default
 * 10 million) of the demo's shape over ~3,000 units, imported through our importer in monthly-size
 * files, then times over 50 runs (a) the overview question — a province over a five-month campaign:
 * every KPI, by level and for each child — and (b) a 36-month monthly series of the province and
 * its children; and the same two questions as plain SQL over the raw dossiers in the same run.
 * Goals at 10 million on the 2-core machines (issue 4): overview p95 ≤ 50 ms and ≤ 1/10 of the raw
 * scan; series p95 ≤ 100 ms; peak RSS ≤ 1.5 GB.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql, type Kysely } from 'kysely';
import { openStore, type Store } from '../../src/lib/server/store';
import { importFile } from '../../src/lib/server/import/run';
import { kpiReport } from '../../src/lib/server/kpi/report';
import { kpiSeries } from '../../src/lib/server/kpi/series';
import type { Database } from '../../src/lib/server/db/schema';

const args = process.argv.slice(2);
const option = (name: string) => {
	const i = args.indexOf(name);
	return i >= 0 ? args[i + 1] : undefined;
};
const ROWS = Number(option('--rows') ?? 10_000_000);
const AS_JSON = args.includes('--json');
const RUNS = 50;
const RAW_RUNS = Number(option('--raw-runs') ?? 10);
const CHUNK = 1_000_000;
const DEPARTMENTS = 30;
const DISTRICTS = 100;
const COMMUNES_PER_DISTRICT = 29;
const FIRST_DAY = '2023-01-01';
const DAYS = 1400; // to 2026-10-31
const OVERVIEW = { from: '2024-05-09', to: '2024-09-30' };
const SERIES = { from: '2023-11-01', to: '2026-10-31' };

const log = (line: string) => {
	if (!AS_JSON) console.log(line);
};
const seconds = (start: number) => (performance.now() - start) / 1000;

function unitsCsv(): string {
	const lines = [
		'code,name,level,parent_code,valid_from,valid_to',
		'99,Tỉnh Thử Nghiệm,province,,,'
	];
	for (let i = 0; i < DEPARTMENTS; i++) lines.push(`99-S${i},Sở ${i},department,99,,`);
	for (let d = 0; d < DISTRICTS; d++) {
		lines.push(`9${String(d).padStart(2, '0')},Huyện ${d},district,99,,`);
		for (let c = 0; c < COMMUNES_PER_DISTRICT; c++) {
			lines.push(
				`${String(d * COMMUNES_PER_DISTRICT + c).padStart(5, '0')},Xã ${d}-${c},commune,9${String(d).padStart(2, '0')},,`
			);
		}
	}
	return lines.join('\n') + '\n';
}

function proceduresCsv(): string {
	const lines = ['code,name,level,online_level,has_fee,online_payment,unit_code'];
	for (let i = 0; i < 300; i++) {
		const level = i < 150 ? 'province' : i < 230 ? 'district' : 'commune';
		const owner = level === 'province' ? `99-S${i % DEPARTMENTS}` : '';
		lines.push(
			`1.${String(i).padStart(6, '0')},Thủ tục ${i},${level},${['full', 'partial', 'none'][i % 3]},${i % 2 === 0},${i % 4 === 0},${owner}`
		);
	}
	return lines.join('\n') + '\n';
}

/** One file of dossiers `first` … `first + count - 1`, each choice a hash of the row number. */
async function writeDossiers(pool: Kysely<Database>, file: string, first: number, count: number) {
	const communes = DISTRICTS * COMMUNES_PER_DISTRICT;
	// The macro is per connection: keep both statements on one.
	await pool.connection().execute(async (db) => {
		await sql`CREATE OR REPLACE TEMP MACRO bench_hash(i, salt) AS
		((i * 2654435761 + salt * 40503) % 1000003 * 2246822519 % 1000033) / 1000033.0`.execute(db);
		await sql`COPY (
		WITH rows AS (SELECT i, bench_hash(i, 1) AS h_unit, bench_hash(i, 2) AS h_proc,
			bench_hash(i, 3) AS h_online, bench_hash(i, 4) AS h_time, bench_hash(i, 5) AS h_flag,
			CAST(floor(i * ${sql.raw(String(DAYS))}.0 / ${sql.raw(String(ROWS))}) AS INTEGER) AS day_no
			FROM range(${first}, ${first + count}) t(i))
		SELECT 'B-' || lpad(CAST(i AS VARCHAR), 9, '0') AS dossier_code,
			CASE WHEN h_unit < 0.7 THEN '1.' || lpad(CAST(230 + CAST(floor(h_proc * 70) AS INTEGER) AS VARCHAR), 6, '0')
				WHEN h_unit < 0.9 THEN '1.' || lpad(CAST(150 + CAST(floor(h_proc * 80) AS INTEGER) AS VARCHAR), 6, '0')
				ELSE '1.' || lpad(CAST(CAST(floor(h_proc * 150) AS INTEGER) AS VARCHAR), 6, '0') END AS procedure_code,
			CASE WHEN h_unit < 0.7 THEN lpad(CAST(CAST(floor(h_unit / 0.7 * ${communes}) AS INTEGER) AS VARCHAR), 5, '0')
				WHEN h_unit < 0.9 THEN '9' || lpad(CAST(CAST(floor((h_unit - 0.7) / 0.2 * ${DISTRICTS}) AS INTEGER) AS VARCHAR), 2, '0')
				ELSE '99-S' || CAST(CAST(floor(h_proc * 150) AS INTEGER) % ${DEPARTMENTS} AS VARCHAR) END AS unit_code,
			CASE WHEN h_online < 0.3 + 0.6 * day_no / ${DAYS} THEN 'online' WHEN h_online > 0.97 THEN 'postal' ELSE 'direct' END AS channel,
			strftime(DATE '${sql.raw(FIRST_DAY)}' + INTERVAL (day_no) DAY + INTERVAL (7 * 60 + CAST(h_time * 600 AS INTEGER)) MINUTE, '%Y-%m-%d %H:%M') AS received_at,
			strftime(DATE '${sql.raw(FIRST_DAY)}' + INTERVAL (day_no + 7) DAY, '%Y-%m-%d') AS due_at,
			CASE WHEN h_flag < 0.9 THEN strftime(DATE '${sql.raw(FIRST_DAY)}' + INTERVAL (day_no + CAST(h_time * 9 AS INTEGER)) DAY + INTERVAL 10 HOUR, '%Y-%m-%d %H:%M') END AS completed_at,
			CASE WHEN h_flag < 0.5 THEN 'true' ELSE 'false' END AS paid_online,
			CASE WHEN h_time < 0.4 + 0.5 * day_no / ${DAYS} THEN 'true' ELSE 'false' END AS dossier_digitized,
			CASE WHEN h_proc < 0.6 THEN 'true' ELSE 'false' END AS result_digitized,
			CASE WHEN h_flag < 0.2 + 0.5 * day_no / ${DAYS} THEN 'true' ELSE 'false' END AS data_reused,
			CASE WHEN h_online < 0.97 THEN 'true' ELSE 'false' END AS portal_synced,
			CASE WHEN h_flag < 0.3 THEN 'satisfied' WHEN h_flag < 0.33 THEN 'neutral' END AS rating
		FROM rows
	) TO ${sql.raw(`'${file}'`)} (HEADER)`.execute(db);
	});
}

/** The overview as plain SQL over the raw dossiers: totals, by target level, by child. */
const rawMeasures = (from: string, to: string) => {
	const received = `CAST(d.received_at AS DATE) BETWEEN DATE '${from}' AND DATE '${to}'`;
	const completed = `CAST(d.completed_at AS DATE) BETWEEN DATE '${from}' AND DATE '${to}'`;
	const level = 'coalesce(d.online_level, p.online_level)';
	return sql.raw(
		[
			`count(*) FILTER (WHERE ${received}) AS dossiers`,
			`count(*) FILTER (WHERE ${received} AND ${level} IN ('full','partial')) AS eligible`,
			`count(*) FILTER (WHERE ${received} AND ${level} IN ('full','partial') AND d.channel = 'online') AS eligible_online`,
			`count(*) FILTER (WHERE ${received} AND ${level} = 'full') AS full_process`,
			`count(*) FILTER (WHERE ${received} AND ${level} = 'full' AND d.channel = 'online') AS full_online`,
			`count(*) FILTER (WHERE ${received} AND d.fee_required) AS fee`,
			`count(*) FILTER (WHERE ${received} AND d.fee_required AND d.paid_online) AS fee_paid`,
			`count(*) FILTER (WHERE ${received} AND d.dossier_digitized) AS digitized`,
			`count(*) FILTER (WHERE ${received} AND d.data_reused) AS reused`,
			`count(*) FILTER (WHERE ${received} AND d.portal_synced) AS synced`,
			`count(*) FILTER (WHERE ${received} AND d.rating IS NOT NULL) AS rated`,
			`count(*) FILTER (WHERE ${received} AND d.rating = 'satisfied') AS satisfied`,
			`count(*) FILTER (WHERE ${completed}) AS completed`,
			`count(*) FILTER (WHERE ${completed} AND d.result_digitized) AS result_digitized`,
			`count(*) FILTER (WHERE ${completed} AND d.due_at IS NOT NULL) AS with_due`,
			`count(*) FILTER (WHERE ${completed} AND d.completed_at <= d.due_at) AS on_time`
		].join(', ')
	);
};

async function rawOverview(db: Kysely<Database>, rootId: number) {
	const { from, to } = OVERVIEW;
	const base = sql`FROM dossiers d JOIN procedures p ON p.code = d.procedure_code
		JOIN unit_closure c ON c.descendant_id = d.unit_version_id`;
	await Promise.all([
		sql`SELECT ${rawMeasures(from, to)} ${base} WHERE c.ancestor_id = ${rootId}`.execute(db),
		sql`SELECT u.level, ${rawMeasures(from, to)} ${base} JOIN unit_versions u ON u.id = d.unit_version_id
			WHERE c.ancestor_id = ${rootId} GROUP BY u.level`.execute(db),
		sql`SELECT c.ancestor_id, ${rawMeasures(from, to)} ${base}
			WHERE c.ancestor_id IN (SELECT id FROM unit_versions WHERE parent_id = ${rootId}) GROUP BY c.ancestor_id`.execute(
			db
		)
	]);
}

async function rawSeries(db: Kysely<Database>, rootId: number) {
	const month = sql`date_trunc('month', d.received_at)`;
	const query = (ancestor: ReturnType<typeof sql>) => sql`SELECT c.ancestor_id, ${month} AS month,
		count(*) AS dossiers,
		count(*) FILTER (WHERE coalesce(d.online_level, p.online_level) IN ('full','partial')) AS eligible,
		count(*) FILTER (WHERE coalesce(d.online_level, p.online_level) IN ('full','partial') AND d.channel = 'online') AS eligible_online,
		count(*) FILTER (WHERE d.dossier_digitized) AS digitized
		FROM dossiers d JOIN procedures p ON p.code = d.procedure_code
		JOIN unit_closure c ON c.descendant_id = d.unit_version_id
		WHERE ${ancestor} AND CAST(d.received_at AS DATE) BETWEEN DATE '${sql.raw(SERIES.from)}' AND DATE '${sql.raw(SERIES.to)}'
		GROUP BY ALL`;
	await Promise.all([
		query(sql`c.ancestor_id = ${rootId}`).execute(db),
		query(sql`c.ancestor_id IN (SELECT id FROM unit_versions WHERE parent_id = ${rootId})`).execute(
			db
		)
	]);
}

async function timeRuns(runs: number, task: () => Promise<unknown>) {
	const times: number[] = [];
	for (let i = 0; i < runs; i++) {
		const start = performance.now();
		await task();
		times.push(performance.now() - start);
	}
	times.sort((a, b) => a - b);
	const at = (q: number) => times[Math.min(times.length - 1, Math.ceil(q * times.length) - 1)];
	return { p50: round(at(0.5)), p95: round(at(0.95)) };
}

const round = (n: number) => Math.round(n * 10) / 10;

/** Imports the units, the procedures and ROWS dossiers in files of a million; returns the seconds spent importing. */
async function build(store: Store, db: Kysely<Database>, dir: string): Promise<number> {
	let importSeconds = 0;
	writeFileSync(path.join(dir, 'units.csv'), unitsCsv());
	writeFileSync(path.join(dir, 'procedures.csv'), proceduresCsv());
	await importFile(store.db, 'units', path.join(dir, 'units.csv'));
	await importFile(store.db, 'procedures', path.join(dir, 'procedures.csv'));
	for (let first = 0; first < ROWS; first += CHUNK) {
		const file = path.join(dir, `dossiers-${first}.csv`);
		await writeDossiers(db, file, first, Math.min(CHUNK, ROWS - first));
		const start = performance.now();
		const result = await importFile(store.db, 'dossiers', file);
		importSeconds += seconds(start);
		rmSync(file);
		log(
			`imported ${result.inserted} dossiers (${first + result.inserted} in all), ${round(importSeconds)} s so far`
		);
	}
	return importSeconds;
}

async function main() {
	// `--db <file>` keeps the built database there and reuses it on the next run (for profiling).
	const kept = option('--db');
	const dir = mkdtempSync(path.join(tmpdir(), 'kpi-bench-'));
	try {
		const reuse = kept !== undefined && existsSync(kept);
		const store = await openStore(kept ?? path.join(dir, 'kpi.duckdb'));
		const db = store.db;
		let importSeconds = 0;
		if (!reuse) importSeconds = await build(store, db, dir);
		const { rows } = await sql<{
			id: number;
		}>`SELECT id FROM unit_versions WHERE code = '99'`.execute(db);
		const rootId = rows[0].id;

		const overview = await timeRuns(RUNS, () => kpiReport(db, '99', OVERVIEW));
		const series = await timeRuns(RUNS, () => kpiSeries(db, '99', SERIES, 'month'));
		const rawOverviewTimes = await timeRuns(RAW_RUNS, () => rawOverview(db, rootId));
		const rawSeriesTimes = await timeRuns(RAW_RUNS, () => rawSeries(db, rootId));
		await store.close();

		const result = {
			rows: ROWS,
			overview: { p50_ms: overview.p50, p95_ms: overview.p95, raw_p95_ms: rawOverviewTimes.p95 },
			series: { p50_ms: series.p50, p95_ms: series.p95, raw_p95_ms: rawSeriesTimes.p95 },
			import_s: round(importSeconds),
			peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024)
		};
		if (AS_JSON) console.log(JSON.stringify(result));
		else {
			log(`overview (province, 5 months, every KPI + by level + children), ${RUNS} runs:`);
			log(
				`  p50 ${overview.p50} ms, p95 ${overview.p95} ms; raw SQL p95 ${rawOverviewTimes.p95} ms (${round(rawOverviewTimes.p95 / overview.p95)}×)`
			);
			log(`series (36 months by month, province + children), ${RUNS} runs:`);
			log(
				`  p50 ${series.p50} ms, p95 ${series.p95} ms; raw SQL p95 ${rawSeriesTimes.p95} ms (${round(rawSeriesTimes.p95 / series.p95)}×)`
			);
			log(
				`import of ${ROWS.toLocaleString('en')} dossiers in ${Math.ceil(ROWS / CHUNK)} files: ${result.import_s} s`
			);
			log(`peak RSS: ${result.peak_rss_mb} MB`);
		}
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}

main().catch((error) => {
	console.error(error);
	process.exitCode = 1;
});
