/**
 * Parquet: the column names are the header, every value is cast to the text a CSV would hold.
 * A row's number is its 0-based place in the file plus two, so the first row is "row 2" as if the
 * column names were a header row above it, as in every other format.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import { matchHeader, type ColumnType, type KindSpec } from '../columns';
import { fileError } from '../errors';
import { checkWidth } from '../limits';
import { identifier, literal } from '../sql';
import type { RawTable } from '../stage';
import type { Database } from '../../db/schema';

export async function loadParquet(
	db: Kysely<Database>,
	file: string,
	name: string,
	spec: KindSpec
): Promise<RawTable> {
	let columns: { column_name: string; column_type: string }[];
	try {
		columns = (
			await sql<{
				column_name: string;
				column_type: string;
			}>`DESCRIBE SELECT * FROM read_parquet(${literal(file)})`.execute(db)
		).rows;
	} catch (error) {
		throw unreadable(file, name, error);
	}
	checkWidth(name, columns.length, 'the file');
	const headers = columns.map((c) => c.column_name);
	const match = matchHeader(spec, headers);
	const types = match.targets.map((t) => spec.columns.find((c) => c.name === t)?.type ?? 'text');
	const cells = columns.map(
		(c, i) =>
			sql`${asText(identifier(c.column_name), c.column_type, types[i])} AS ${identifier(`c${i}`)}`
	);
	try {
		await sql`CREATE OR REPLACE TEMP TABLE import_raw AS
			SELECT (file_row_number + 2)::INTEGER AS __row, ${sql.join(cells)}
			FROM read_parquet(${literal(file)}, file_row_number = true)
			ORDER BY __row`.execute(db);
	} catch (error) {
		// The footer can be intact while a data page is not.
		throw unreadable(file, name, error);
	}
	return { headers, match, headerRow: 1, notes: [] };
}

function unreadable(file: string, name: string, error: unknown) {
	const message = error instanceof Error ? error.message : String(error);
	// DuckDB names the file by its full path, which the error already names as the user knows it.
	const reason = message
		.split('\n')[0]
		.replace(/^[A-Za-z ]*Error:\s*/, '')
		.replaceAll(`file '${file}'`, 'file')
		.replaceAll(`'${file}'`, 'the file')
		.replace(/[\s:.]+$/, '');
	return fileError(name, `not a readable Parquet file (${reason})`);
}

/**
 * Timestamps as wall-clock text (an instant converted to Asia/Ho_Chi_Minh; nanoseconds cut to
 * microseconds, which our parser reads); a midnight timestamp in a date column as the date alone,
 * since date columns accept nothing else; a whole double as the integer it is (`2`, not `2.0`).
 */
function asText(
	column: RawBuilder<unknown>,
	type: string,
	target: ColumnType
): RawBuilder<unknown> {
	let timestamp: RawBuilder<unknown> | null = null;
	if (type === 'TIMESTAMP WITH TIME ZONE') {
		timestamp = sql`timezone('Asia/Ho_Chi_Minh', ${column})`;
	} else if (/^TIMESTAMP(_NS|_MS|_S)?$/.test(type)) {
		timestamp = sql`CAST(${column} AS TIMESTAMP)`;
	}
	if (timestamp) {
		return target === 'date'
			? sql`CASE WHEN CAST(${timestamp} AS TIME) = TIME '00:00:00'
					THEN CAST(CAST(${timestamp} AS DATE) AS VARCHAR)
					ELSE CAST(${timestamp} AS VARCHAR) END`
			: sql`CAST(${timestamp} AS VARCHAR)`;
	}
	if (type === 'DOUBLE' || type === 'FLOAT') {
		return sql`CASE WHEN ${column} = trunc(${column}) AND abs(${column}) < 1e38
				THEN CAST(CAST(${column} AS HUGEINT) AS VARCHAR)
				ELSE CAST(${column} AS VARCHAR) END`;
	}
	return sql`CAST(${column} AS VARCHAR)`;
}
