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
