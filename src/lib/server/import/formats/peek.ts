/**
 * The first rows of a file, read cheaply, for the upload page to tell its kind, find its header
 * and propose a mapping before the file is checked (issue 14). Each grid is a candidate reading
 * (a CSV has one per delimiter); the header is found in them by the readers' own `findHeaderRow`.
 * JSON and Parquet have one header row: their keys or column names.
 */
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { HEADER_SEARCH_ROWS } from '../columns';
import { fileError } from '../errors';
import { checkWidth } from '../limits';
import { literal } from '../sql';
import { openWorkspace } from '../workspace';
import type { FileFormat } from './index';
import { PORTAL_COLUMNS } from './portal';
import { portalLayout } from './portal-file';
import { readHead, splitCsvLine } from './text';
import { xlsxHeadRows } from './xlsx';
import type { Database } from '../../db/schema';

/** How many JSON records are looked at for their keys. */
const PEEK_RECORDS = 1000;

export async function headGrids(
	db: Kysely<Database>,
	file: string,
	format: FileFormat,
	name: string
): Promise<string[][][]> {
	if (format === 'csv') {
		const head = (await readHead(file, name)).replace(/^\uFEFF/, '');
		const lines = head.split(/\r?\n/).slice(0, HEADER_SEARCH_ROWS);
		if (lines.join('').trim() === '') throw fileError(name, 'the file has no rows');
		return [',', ';', '\t'].map((d) => lines.map((line) => splitCsvLine(line, d)));
	}
	if (format === 'xlsx') return [await xlsxHeadRows(file, name)];
	if ((format === 'json' || format === 'ndjson') && (await portalLayout(file, format))) {
		return [[PORTAL_COLUMNS]];
	}
	const workspace = await openWorkspace(file, format);
	try {
		const input = literal(workspace.input);
		let keys: string[];
		try {
			if (format === 'parquet') {
				const { rows } = await sql<{
					column_name: string;
				}>`DESCRIBE SELECT * FROM read_parquet(${input})`.execute(db);
				keys = rows.map((r) => r.column_name);
			} else {
				const layout = format === 'json' ? 'array' : 'newline_delimited';
				const { rows } = await sql<{ key: string }>`WITH r AS (
						SELECT row_number() OVER () AS n, json FROM (SELECT json FROM read_json(${input},
							format = ${literal(layout)}, records = false, columns = {'json': 'JSON'})
							LIMIT ${PEEK_RECORDS})),
					k AS (SELECT n, unnest(json_keys(json)) AS key,
						generate_subscripts(json_keys(json), 1) AS pos FROM r WHERE json_type(json) = 'OBJECT')
					SELECT key FROM k GROUP BY key ORDER BY min(n), arg_min(pos, n)`.execute(db);
				keys = rows.map((r) => r.key);
			}
		} catch {
			throw fileError(name, `cannot read the file as ${format}`);
		}
		checkWidth(name, keys.length, 'the file');
		return [[keys]];
	} finally {
		await workspace.dispose();
	}
}
