/**
 * JSON (an array of objects) and NDJSON (one object per line), as the provincial systems' sync to
 * the National Public Service Portal dumps them: the keys are the header, every value is loaded as
 * the text it would be in a CSV. A record's row number is its 1-based place plus one, as if the
 * keys were a header row above it, so the first record is "row 2" as in every other format.
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { sql, type Kysely } from 'kysely';
import { matchHeader, type KindSpec } from '../columns';
import { fileError, ImportRejected, readerReason } from '../errors';
import { checkWidth, MAX_RECORD_BYTES } from '../limits';
import { identifier, literal } from '../sql';
import type { RawTable } from '../stage';
import type { Database } from '../../db/schema';
import type { ImportWorkspace } from '../workspace';
import { jsonText, recordError, recordTooBig, type JsonFormat } from './json-records';
import { loadPortal } from './portal';
import { portalLayout } from './portal-file';

export async function loadJson(
	db: Kysely<Database>,
	file: string,
	name: string,
	spec: KindSpec,
	workspace: ImportWorkspace
): Promise<RawTable> {
	const portal = spec.kind === 'dossiers' ? await portalLayout(file, 'json') : null;
	if (portal) return loadPortal(db, file, name, portal, workspace);
	return loadRecords(db, file, name, spec, 'array');
}

export async function loadNdjson(
	db: Kysely<Database>,
	file: string,
	name: string,
	spec: KindSpec,
	workspace: ImportWorkspace
): Promise<RawTable> {
	const portal = spec.kind === 'dossiers' ? await portalLayout(file, 'ndjson') : null;
	if (portal) return loadPortal(db, file, name, portal, workspace);
	return loadRecords(db, file, name, spec, 'newline_delimited');
}

async function loadRecords(
	db: Kysely<Database>,
	file: string,
	name: string,
	spec: KindSpec,
	format: JsonFormat
): Promise<RawTable> {
	// Each record whole, untyped: DuckDB's schema detection would fold keys differing in case and
	// turn sparse keys into a MAP; the keys are read exactly below.
	try {
		await sql`CREATE OR REPLACE TEMP TABLE import_json AS
			SELECT json FROM read_json(${literal(file)}, format = ${literal(format)}, records = false,
				columns = {'json': 'JSON'})`.execute(db);
	} catch (error) {
		if (/maximum_object_size/.test(String(error))) throw await recordTooBig(file, name, format);
		const { row, message } = await describeJsonError(error, file, name, format);
		throw new ImportRejected(name, [{ row, column: null, value: null, message }]);
	}
	// rowids count rows in insertion order (file order); inside a transaction they start high.
	await sql`CREATE OR REPLACE TEMP TABLE import_json_rows AS
		SELECT (rowid - (SELECT min(rowid) FROM import_json) + 2)::INTEGER AS __row, json
		FROM import_json`.execute(db);
	const [{ records, first_other: firstOther, sample }] = (
		await sql<{ records: number; first_other: number | null; sample: string | null }>`SELECT
			count(*) AS records,
			min(__row) FILTER (WHERE json_type(json) <> 'OBJECT') AS first_other,
			arg_min(left(json::VARCHAR, 40), __row) FILTER (WHERE json_type(json) <> 'OBJECT') AS sample
			FROM import_json_rows`.execute(db)
	).rows;
	if (records === 0) throw fileError(name, 'the file has no records');
	const [{ big }] = (
		await sql<{ big: number | null }>`SELECT min(__row) AS big FROM import_json_rows
			WHERE strlen(json::VARCHAR) > ${MAX_RECORD_BYTES}`.execute(db)
	).rows;
	if (big !== null) throw recordError(name, big);
	if (firstOther !== null) {
		throw fileError(
			name,
			`record ${firstOther - 1} is not an object (${sample}); expected ${format === 'array' ? 'an array of objects' : 'one object per line'}`
		);
	}
	const keys = (
		await sql<{ key: string }>`WITH k AS (
				SELECT __row, unnest(json_keys(json)) AS key, generate_subscripts(json_keys(json), 1) AS pos
				FROM import_json_rows)
			SELECT key FROM k GROUP BY key ORDER BY min(__row), arg_min(pos, __row)`.execute(db)
	).rows.map((r) => r.key);
	if (keys.length === 0) throw fileError(name, 'the records have no fields');
	checkWidth(name, keys.length, 'the records together');
	// JSON pointers (`/key`, with `~` and `/` escaped) name a key exactly, dots and `$` included.
	const pointers = keys.map((k) => literal(`/${k.replaceAll('~', '~0').replaceAll('/', '~1')}`));
	const cells = keys.map(
		(_, i) => sql`${jsonText(sql`v[${sql.lit(i + 1)}]`)} AS ${identifier(`c${i}`)}`
	);
	await sql`CREATE OR REPLACE TEMP TABLE import_raw AS
		SELECT __row, ${sql.join(cells)}
		FROM (SELECT __row, json_extract(json, [${sql.join(pointers)}]) AS v FROM import_json_rows)
		ORDER BY __row`.execute(db);
	await sql`DROP TABLE import_json`.execute(db);
	await sql`DROP TABLE import_json_rows`.execute(db);
	return { headers: keys, match: matchHeader(spec, keys), headerRow: 1, notes: [] };
}

async function describeJsonError(
	error: unknown,
	file: string,
	name: string,
	format: JsonFormat
): Promise<{ row: number | null; message: string }> {
	const message = error instanceof Error ? error.message : String(error);
	const first = (await firstCharacter(file)) ?? '';
	const inFile = (text: string) => ({ row: null, message: text });
	if (format === 'array' && /Expected top-level JSON array/i.test(message)) {
		return inFile(
			first === '{'
				? 'not a JSON array of objects: the file starts with "{"; if it holds one object per line, name it .ndjson'
				: 'not a JSON array of objects: the file does not start with "["'
		);
	}
	const firstLine = message.split('\n')[0];
	if (/Malformed JSON/i.test(firstLine)) {
		const reason = firstLine.slice(firstLine.lastIndexOf(': ') + 2).replace(/\.\s*$/, '');
		if (format === 'array') {
			// DuckDB's "record/value N" counts the array itself first: record N - 1, our row N.
			const value = Number(/in record\/value (\d+)/.exec(firstLine)?.[1]);
			return value >= 2
				? { row: value, message: `not valid JSON in record ${value - 1}: ${reason}` }
				: inFile(`not valid JSON: ${reason}`);
		}
		const hint =
			first === '[' ? '; the file starts with "[": if it is a JSON array, name it .json' : '';
		const line = await firstInvalidLine(file);
		return inFile(`not valid JSON${line ? ` at line ${line}` : ''}: ${reason}${hint}`);
	}
	if (/unicode|utf-?8/i.test(message)) return inFile('the file is not UTF-8 text');
	return inFile(`cannot read the JSON: ${readerReason(error, name)}`);
}

/**
 * The physical line of the first record that does not parse: DuckDB's "line" counts records, not
 * lines, and is off by one.
 */
async function firstInvalidLine(file: string): Promise<number | null> {
	const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity });
	let number = 0;
	try {
		for await (const line of lines) {
			number++;
			if (line.trim() === '') continue;
			try {
				JSON.parse(number === 1 ? line.replace(/^\uFEFF/, '') : line);
			} catch {
				return number;
			}
		}
	} finally {
		lines.close();
	}
	return null;
}

/** The first non-blank character of the file (after a BOM), for telling JSON from NDJSON. */
async function firstCharacter(file: string): Promise<string | null> {
	const handle = await open(file, 'r');
	try {
		const buffer = Buffer.alloc(4096);
		const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
		const match = /[^\s\uFEFF]/.exec(buffer.subarray(0, bytesRead).toString('utf8'));
		return match ? match[0] : null;
	} finally {
		await handle.close();
	}
}
