/**
 * Finds the first record of a JSON array or NDJSON file longer than a bound, reading the file in
 * chunks: DuckDB's reader only says that some record was too big (issue 10), and the message
 * should name its row. Run only after DuckDB refused the file, so valid files are read once.
 */
import { createReadStream } from 'node:fs';
import { sql, type RawBuilder } from 'kysely';
import { fileError, ImportRejected } from '../errors';
import { MAX_RECORD_BYTES, megabytes } from '../limits';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const LF = 0x0a;
const CR = 0x0d;
const ARRAY_OPEN = 0x5b;
const ARRAY_CLOSE = 0x5d;
const OBJECT_OPEN = 0x7b;
const OBJECT_CLOSE = 0x7d;
const isBlank = (byte: number) => byte === 0x20 || byte === 0x09 || byte === LF || byte === CR;

/**
 * The 1-based number of the first record of more than `maxBytes` bytes, or null. Array records
 * are the top-level elements; NDJSON records the non-blank lines, as DuckDB counts them.
 */
export type JsonFormat = 'array' | 'newline_delimited';

export async function firstRecordOver(
	file: string,
	format: JsonFormat,
	maxBytes: number
): Promise<number | null> {
	let record = 0;
	let size = 0;
	/** Array: nesting depth (1 inside the array); NDJSON: whether the line has a character. */
	let depth = 0;
	let filled = false;
	let inString = false;
	let escaped = false;
	for await (const chunk of createReadStream(file, {
		highWaterMark: 1 << 20
	}) as AsyncIterable<Buffer>) {
		for (let i = 0; i < chunk.length; i++) {
			const byte = chunk[i];
			if (format === 'newline_delimited') {
				if (byte === LF) {
					size = 0;
					filled = false;
					continue;
				}
				if (!filled && !isBlank(byte)) {
					filled = true;
					record++;
				}
				if (filled && ++size > maxBytes) return record;
				continue;
			}
			if (inString) {
				if (escaped) escaped = false;
				else if (byte === BACKSLASH) escaped = true;
				else if (byte === QUOTE) inString = false;
			} else if (depth === 0) {
				if (byte === ARRAY_OPEN) depth = 1;
				continue;
			} else if (depth === 1 && (byte === COMMA || byte === ARRAY_CLOSE)) {
				if (byte === ARRAY_CLOSE) depth = 0;
				filled = false;
				size = 0;
				continue;
			} else if (byte === QUOTE) {
				inString = true;
			} else if (byte === ARRAY_OPEN || byte === OBJECT_OPEN) {
				depth++;
			} else if (byte === ARRAY_CLOSE || byte === OBJECT_CLOSE) {
				depth--;
			}
			if (!filled) {
				if (isBlank(byte)) continue;
				filled = true;
				record++;
			}
			if (++size > maxBytes) return record;
		}
	}
	return null;
}

/**
 * A JSON value as CSV text: strings unquoted, `true`/`false`, null as NULL, objects and arrays as
 * JSON. DuckDB writes a JSON double back as `2.0`; a whole one is written as the integer it is, so
 * `"KenhThucHien": 2.0` is channel 2.
 */
export function jsonText(value: RawBuilder<unknown>): RawBuilder<unknown> {
	return sql`CASE WHEN json_type(${value}) = 'DOUBLE' AND ${value}::DOUBLE = trunc(${value}::DOUBLE)
			AND abs(${value}::DOUBLE) < 1e38 THEN ${value}::DOUBLE::HUGEINT::VARCHAR
		ELSE ${value} ->> '$' END`;
}

/** A record too big for the reader, named by its row when the file shows which. */
export async function recordTooBig(
	file: string,
	name: string,
	format: JsonFormat,
	/** The row of the first record: 2 as under a header row, 1 in the portal's payload. */
	firstRow = 2
) {
	const record = await firstRecordOver(file, format, MAX_RECORD_BYTES);
	return record === null
		? fileError(name, RECORD_TOO_BIG)
		: recordError(name, record - 1 + firstRow);
}

const RECORD_TOO_BIG = `a record of more than ${megabytes(MAX_RECORD_BYTES)}; at most ${megabytes(MAX_RECORD_BYTES)} a record can be imported (a field may hold a whole document: leave it out of the export)`;

export function recordError(name: string, row: number): ImportRejected {
	return new ImportRejected(name, [{ row, column: null, value: null, message: RECORD_TOO_BIG }]);
}
