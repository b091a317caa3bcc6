import path from 'node:path';

/**
 * Settings read from the environment (CONTRACT: `DATABASE_PATH`, `PORT`, `HOST`, `ORIGIN`).
 * Read through functions, not constants, so a test can point a fresh process at its own file.
 */
export function databasePath(): string {
	return path.resolve(process.env.DATABASE_PATH || 'data/kpi.duckdb');
}

/**
 * The local channel through which the CLI hands commands to a running server
 * (DuckDB allows one writer process per file). It sits beside the database file,
 * so two servers on two databases never share one.
 */
export function controlSocketPath(dbPath = databasePath()): string {
	return `${dbPath}.sock`;
}

/**
 * DuckDB settings from the environment. `DUCKDB_MEMORY_LIMIT` bounds the database's memory
 * (default 700MB, where DuckDB's own default is 80% of the machine): a dashboard shares its machine,
 * and big imports spill to disk beyond the limit rather than grow the process.
 */
export function duckdbOptions(): Record<string, string> {
	return { memory_limit: process.env.DUCKDB_MEMORY_LIMIT || '700MB' };
}

/**
 * DuckDB's memory while an import or an undo runs (`DUCKDB_IMPORT_MEMORY_LIMIT`, default 128MB):
 * a big file's staging tables then spill to disk rather than grow the server (issue 14: under
 * 600 MB at 1 million rows, `npm run bench:upload`). Lower costs time (96MB made validation a
 * third slower), higher buys little: most of what an import adds to the server lies outside
 * this limit. The usual limit comes back when the job ends (jobs/queue.ts).
 */
export function importMemoryLimit(): string {
	return process.env.DUCKDB_IMPORT_MEMORY_LIMIT || '128MB';
}
