/** Which reader a file goes to, told apart by extension (CONTRACT.md). */
import path from 'node:path';
import type { Kysely } from 'kysely';
import type { KindSpec } from '../columns';
import { fileError } from '../errors';
import type { RawTable } from '../stage';
import type { ImportWorkspace } from '../workspace';
import { loadCsv } from './csv';
import { loadJson, loadNdjson } from './json';
import { loadParquet } from './parquet';
import { loadXlsx } from './xlsx';
import type { Database } from '../../db/schema';

export type FileFormat = 'csv' | 'xlsx' | 'json' | 'ndjson' | 'parquet';

const EXTENSIONS: Record<string, FileFormat> = {
	'.csv': 'csv',
	'.txt': 'csv',
	'.xlsx': 'xlsx',
	'.json': 'json',
	'.ndjson': 'ndjson',
	'.jsonl': 'ndjson',
	'.parquet': 'parquet'
};

export function formatOf(file: string, name = path.basename(file)): FileFormat {
	const ext = path.extname(file).toLowerCase();
	const format = EXTENSIONS[ext];
	if (!format) {
		const hint = ext === '.xls' ? ' (open it in Excel and save it as .xlsx)' : '';
		throw fileError(
			name,
			`cannot read ${ext ? `${ext} files` : 'a file without an extension'}${hint}; expected .csv, .xlsx, .json, .ndjson or .parquet`
		);
	}
	return format;
}

/**
 * `file` is the workspace's literal path to the named file (see ../workspace.ts), `name` the one
 * errors show; a reader that writes files for DuckDB writes them in `workspace`.
 */
export type RawLoader = (
	db: Kysely<Database>,
	file: string,
	name: string,
	spec: KindSpec,
	workspace: ImportWorkspace
) => Promise<RawTable>;

const loaders: Record<FileFormat, RawLoader> = {
	csv: loadCsv,
	xlsx: loadXlsx,
	json: loadJson,
	ndjson: loadNdjson,
	parquet: loadParquet
};

export function loaderFor(format: FileFormat, name: string): RawLoader {
	const loader = loaders[format];
	if (!loader) throw fileError(name, `${format} files cannot be imported yet`);
	return loader;
}
