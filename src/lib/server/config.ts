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

/** The nightly backups of a running server (README: Backups). */
export interface BackupSettings {
	/** The folder the nightly snapshots go to; created when missing. */
	dir: string;
	/** How many nightly snapshots are kept, the newest; older ones are deleted. */
	keep: number;
	/** The time of day, Vietnam time, at which the snapshot is taken. */
	at: { hour: number; minute: number };
}

export const DEFAULT_BACKUP_KEEP = 14;
export const MAX_BACKUP_KEEP = 3660;
export const DEFAULT_BACKUP_AT = '02:00';

/** A setting the server refuses to start with: the message names the variable and what it takes. */
export class SettingError extends Error {}

/**
 * `BACKUP_DIR` (no nightly backups when unset), `BACKUP_KEEP` (a whole number from 1 to
 * MAX_BACKUP_KEEP, default 14) and `BACKUP_AT` (`HH:MM`, Vietnam time, default 02:00). A bad value
 * stops the server at start (a typo would otherwise keep no backups, or all of them, unnoticed).
 */
export function backupSettings(env: NodeJS.ProcessEnv = process.env): BackupSettings | null {
	const dir = env.BACKUP_DIR?.trim();
	if (!dir) return null;
	const keepText = env.BACKUP_KEEP?.trim() || String(DEFAULT_BACKUP_KEEP);
	const keep = /^\d{1,6}$/.test(keepText) ? Number(keepText) : NaN;
	if (!(keep >= 1 && keep <= MAX_BACKUP_KEEP)) {
		throw new SettingError(
			`BACKUP_KEEP=${keepText.slice(0, 20)}: expected how many nightly backups to keep, ` +
				`a whole number from 1 to ${MAX_BACKUP_KEEP} (default ${DEFAULT_BACKUP_KEEP})`
		);
	}
	const atText = env.BACKUP_AT?.trim() || DEFAULT_BACKUP_AT;
	const at = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(atText);
	if (!at) {
		throw new SettingError(
			`BACKUP_AT=${atText.slice(0, 20)}: expected the time of the nightly backup as HH:MM, ` +
				`Vietnam time, from 00:00 to 23:59 (default ${DEFAULT_BACKUP_AT})`
		);
	}
	return { dir: path.resolve(dir), keep, at: { hour: Number(at[1]), minute: Number(at[2]) } };
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
