/**
 * XLSX (first sheet): exceljs's streaming reader walks the rows, the header is found in JS among
 * the first rows (a title block, merged cells included, may sit above it), and the rows under it are
 * written as text to a temporary CSV that DuckDB loads. Cells become the text a clerk would type:
 * dates as local ISO wall-clock time, numbers without exponent or separators.
 */
import { once } from 'node:events';
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { Transform, type Readable } from 'node:stream';
import { open, rm } from 'node:fs/promises';
import ExcelJS from 'exceljs';
import { sql, type Kysely } from 'kysely';
import {
	findHeaderRow,
	HEADER_SEARCH_ROWS,
	matchHeader,
	type ColumnType,
	type KindSpec
} from '../columns';
import { fileError, ImportRejected } from '../errors';
import { checkWidth, MAX_SHARED_STRINGS_BYTES, megabytes } from '../limits';
import { identifier, literal } from '../sql';
import type { RawTable } from '../stage';
import { PRIVATE_FILE_MODE, type ImportWorkspace } from '../workspace';
import { cellText, type RawCell } from './xlsx-cells';
import { guardChunks, XlsxXmlGuard } from './xlsx-guard';
import { zipEntries } from './zip';
import type { Database } from '../../db/schema';

/** The parts of exceljs's streaming reader we use that its type declarations leave out. */
interface SheetReader extends AsyncIterable<ExcelJS.Row> {
	name?: string;
	/** The sheet's XML stream; for a sheet parked in a temp file, a file stream to close. */
	iterator?: { destroy?: () => void };
}

interface BookReader extends AsyncIterable<SheetReader> {
	model?: { sheets?: { name: string }[] };
	properties?: { model?: { date1904?: boolean } };
}

/** One sheet row: its spreadsheet number and its cells by 0-based column. */
interface RawRow {
	number: number;
	cells: (RawCell | undefined)[];
}

export async function loadXlsx(
	db: Kysely<Database>,
	file: string,
	name: string,
	spec: KindSpec,
	workspace: ImportWorkspace
): Promise<RawTable> {
	await checkSignature(file, name);
	await checkParts(file, name);
	// In the import's private folder (0700), itself 0600; removed here as soon as DuckDB has read
	// it, and with the folder whatever happens.
	const csv = workspace.file('sheet.csv');
	try {
		const sheet = await sheetToCsv(file, name, spec, csv);
		const columns = sql.join(
			['__row', ...sheet.headers.map((_, i) => `c${i}`)].map((c) => sql`${literal(c)}: 'VARCHAR'`)
		);
		const cells = sheet.headers.map((_, i) => identifier(`c${i}`));
		await sql`CREATE OR REPLACE TEMP TABLE import_raw AS
			SELECT CAST(__row AS INTEGER) AS __row, ${sql.join(cells)}
			FROM read_csv(${literal(csv)}, header = true, auto_detect = false, delim = ',', quote = '"',
				escape = '"', all_varchar = true, strict_mode = true, columns = {${columns}})
			ORDER BY __row`.execute(db);
		return {
			headers: sheet.headers,
			match: matchHeader(spec, sheet.headers),
			headerRow: sheet.headerRow,
			notes:
				sheet.headerRow > 1
					? [`skipped ${sheet.headerRow - 1} title rows above the header (row ${sheet.headerRow})`]
					: [],
			blankRows: sheet.blankRows
		};
	} finally {
		await rm(csv, { force: true });
	}
}

/** Refuses what is not a zip archive before exceljs sees it, naming what the file seems to be. */
async function checkSignature(file: string, name: string): Promise<void> {
	const handle = await open(file, 'r');
	let head: Buffer;
	try {
		const buffer = Buffer.alloc(512);
		const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
		head = buffer.subarray(0, bytesRead);
	} finally {
		await handle.close();
	}
	if (head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) return;
	if (head.subarray(0, 4).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0]))) {
		throw fileError(
			name,
			'not a readable .xlsx workbook: it is an old Excel 97–2003 (.xls) or password-protected file; open it in Excel and save it as an unprotected .xlsx'
		);
	}
	const text = !head.includes(0) && isUtf8(head);
	throw fileError(
		name,
		text
			? 'not a readable .xlsx workbook: it is plain text; if it is CSV, name it .csv'
			: 'not a readable .xlsx workbook: it is not an Excel file'
	);
}

/**
 * Refuses shared strings too big to hold before exceljs reads them: it keeps every one in memory,
 * and a zip of 2 MB can hold hundreds of MB of them (issue 10). The sheet itself is streamed, its
 * rows bounded in `snapshot`.
 */
async function checkParts(file: string, name: string): Promise<void> {
	const entries = await zipEntries(file);
	const strings = entries?.find((e) => /^xl\/sharedStrings\.xml$/i.test(e.name));
	if (strings && strings.uncompressedSize > MAX_SHARED_STRINGS_BYTES) {
		throw fileError(
			name,
			`the workbook's text cells take ${Number.isFinite(strings.uncompressedSize) ? megabytes(strings.uncompressedSize) : 'over 4 GB'} unzipped; at most ${megabytes(MAX_SHARED_STRINGS_BYTES)} can be imported (split the file, or save it as CSV UTF-8)`
		);
	}
}

function isUtf8(bytes: Uint8Array): boolean {
	try {
		// `stream` tolerates a character cut at the end of the window.
		new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: true });
		return true;
	} catch {
		return false;
	}
}

interface SheetResult {
	headers: string[];
	headerRow: number;
	/** Blank rows between the header and the last data row, reported as CSV's blank lines are. */
	blankRows: number[];
}

async function sheetToCsv(
	file: string,
	name: string,
	spec: KindSpec,
	csv: string
): Promise<SheetResult> {
	const input = createReadStream(file);
	// An unreadable file ends in a rejected iteration; the stream's own error must not go unhandled.
	input.on('error', () => {});
	const out = new CsvWriter(csv);
	try {
		const book = guardedBook(
			new ExcelJS.stream.xlsx.WorkbookReader(input, {
				worksheets: 'emit',
				sharedStrings: 'cache',
				styles: 'cache',
				hyperlinks: 'ignore'
			}),
			name
		);
		let result: SheetResult | null = null;
		let failure: unknown = null;
		let seenSheet = false;
		try {
			for await (const sheet of book) {
				const first = book.model?.sheets?.[0]?.name;
				// Sheets come in archive order; the first one is the workbook's first tab.
				if (failure !== null || seenSheet || (first !== undefined && sheet.name !== first)) {
					sheet.iterator?.destroy?.();
					continue;
				}
				seenSheet = true;
				const date1904 = book.properties?.model?.date1904 === true;
				try {
					result = await readSheet(sheet, name, spec, date1904, out);
				} catch (error) {
					// exceljs parks sheets in temp files when the shared strings come after them, as
					// Excel writes them, and removes each once passed: close this one and pass the rest.
					if (typeof sheet.iterator?.destroy !== 'function') throw error;
					failure = error;
					sheet.iterator.destroy();
				}
			}
		} catch (error) {
			failure = error;
		}
		if (failure instanceof ImportRejected) throw failure;
		if (failure !== null) throw damaged(name, failure);
		if (!seenSheet) throw fileError(name, 'not a readable .xlsx workbook: it has no worksheet');
		await out.close();
		return result!;
	} finally {
		input.destroy();
		await out.close().catch(() => {});
	}
}

/**
 * The parts of the archive go to exceljs's parser through a guard (./xlsx-guard.ts) that bounds
 * their cells and tags and numbers rows and cells without `r`. exceljs has no hook for it: its
 * reader's two methods that take a part's stream are wrapped on this one instance.
 */
function guardedBook(reader: ExcelJS.stream.xlsx.WorkbookReader, name: string): BookReader {
	const internals = reader as unknown as ReaderInternals;
	const parseSharedStrings = internals._parseSharedStrings.bind(reader);
	const parseWorksheet = internals._parseWorksheet.bind(reader);
	internals._parseSharedStrings = (entry) => {
		const guard = new XlsxXmlGuard(name, 'sharedStrings');
		const guarded = new Transform({
			transform(chunk: Buffer, _encoding, done) {
				try {
					done(null, guard.feed(chunk));
				} catch (error) {
					done(error as Error);
				}
			},
			flush(done) {
				done(null, guard.end());
			}
		});
		// The entry's own errors (a damaged zip) reach the parser too.
		entry.on('error', (error) => guarded.destroy(error));
		return parseSharedStrings(entry.pipe(guarded));
	};
	internals._parseWorksheet = (iterator, sheetNo) =>
		parseWorksheet(guardChunks(iterator, new XlsxXmlGuard(name, 'sheet')), sheetNo);
	return reader as unknown as BookReader;
}

/** exceljs 4.4's private methods that receive a part (lib/stream/xlsx/workbook-reader.js). */
interface ReaderInternals {
	_parseSharedStrings(entry: Readable): AsyncGenerator<unknown>;
	_parseWorksheet(iterator: ChunkSource, sheetNo: string): Generator<unknown>;
}

type ChunkSource = AsyncIterable<Buffer | string> & { destroy?: () => void };

/**
 * A workbook exceljs could not read, in words: never the parser's own message, which names its
 * internals ("Cannot read properties of undefined"); the error is kept as the cause.
 */
function damaged(name: string, failure: unknown): ImportRejected {
	const message = failure instanceof Error ? failure.message : String(failure);
	const code = (failure as { code?: unknown } | null)?.code;
	let reason = 'the file is damaged or incomplete';
	if (
		(typeof code === 'string' && code.startsWith('Z_')) ||
		/FILE_ENDED|invalid signature|unexpected end of file|zlib/i.test(message)
	) {
		reason = 'the file is damaged or incomplete (a part of the archive does not unzip)';
	} else if (/^(\d+:\d+: |.*\bxml\b)/i.test(message)) {
		reason = 'the file is damaged (a part of the workbook is not well-formed XML)';
	}
	const rejected = fileError(name, `not a readable .xlsx workbook: ${reason}`);
	rejected.cause = failure;
	return rejected;
}

async function readSheet(
	sheet: SheetReader,
	name: string,
	spec: KindSpec,
	date1904: boolean,
	out: CsvWriter
): Promise<SheetResult> {
	const head: RawRow[] = [];
	let layout: Layout | null = null;
	for await (const row of sheet) {
		const raw = snapshot(row, name);
		if (layout) {
			await writeRow(out, layout, raw, date1904);
		} else if (raw.number <= HEADER_SEARCH_ROWS) {
			head.push(raw);
		} else {
			layout = await startData(name, spec, head, out, date1904, false);
			await writeRow(out, layout, raw, date1904);
		}
	}
	layout ??= await startData(name, spec, head, out, date1904, true);
	return { headers: layout.headers, headerRow: layout.headerRow, blankRows: layout.blankRows };
}

interface Layout extends SheetResult {
	types: ColumnType[];
	/** The last row written, for telling the blank rows between data rows. */
	lastRow: number;
}

/**
 * Finds the header among the buffered first rows and writes the data rows buffered under it;
 * `ended` when the sheet has no rows past them.
 */
async function startData(
	name: string,
	spec: KindSpec,
	head: RawRow[],
	out: CsvWriter,
	date1904: boolean,
	ended: boolean
): Promise<Layout> {
	const asText = (r: RawRow) => r.cells.map((c) => (c ? (cellText(c, 'text', false) ?? '') : ''));
	if (ended && !head.some((r) => asText(r).some((t) => t !== ''))) {
		throw fileError(name, 'the first sheet is empty');
	}
	// Index i of the search is spreadsheet row i + 1, blank rows included, as in a CSV.
	const rows: string[][] = Array.from({ length: HEADER_SEARCH_ROWS }, () => []);
	for (const r of head) rows[r.number - 1] = asText(r);
	const found = findHeaderRow(spec, rows);
	if (!found) {
		const required = spec.columns.filter((c) => c.required).map((c) => c.name);
		throw fileError(
			name,
			`no header row found in the first ${HEADER_SEARCH_ROWS} rows of the first sheet; expected columns ${required.join(', ')}`
		);
	}
	const cells = rows[found.index];
	let width = cells.length;
	while (width > 0 && cells[width - 1].trim() === '') width--;
	const headers = Array.from({ length: width }, (_, i) => cells[i] ?? '');
	const targets = matchHeader(spec, headers).targets;
	const layout: Layout = {
		headers,
		headerRow: found.index + 1,
		blankRows: [],
		types: targets.map((t) => spec.columns.find((c) => c.name === t)?.type ?? 'text'),
		lastRow: found.index + 1
	};
	await out.write(['__row', ...headers.map((_, i) => `c${i}`)].join(',') + '\n');
	for (const r of head) {
		if (r.number > layout.headerRow) await writeRow(out, layout, r, date1904);
	}
	return layout;
}

/**
 * The row's cells with a value; a row wider than any import is refused (a cell longer than Excel
 * allows never gets here: the guard refuses it as it streams).
 */
function snapshot(row: ExcelJS.Row, name: string): RawRow {
	const cells: (RawCell | undefined)[] = [];
	row.eachCell({ includeEmpty: false }, (cell, col) => {
		cells[col - 1] = { value: cell.value, numFmt: cell.numFmt || undefined };
	});
	checkWidth(name, cells.length, `row ${row.number} of the first sheet`);
	return { number: row.number, cells };
}

async function writeRow(
	out: CsvWriter,
	layout: Layout,
	row: RawRow,
	date1904: boolean
): Promise<void> {
	const texts = layout.types.map((type, i) => {
		const cell = row.cells[i];
		return cell ? cellText(cell, type, date1904) : null;
	});
	// Formatting alone makes a row exist in the file; an empty one is as blank as a missing one.
	if (texts.every((t) => t === null)) return;
	for (let blank = layout.lastRow + 1; blank < row.number; blank++) layout.blankRows.push(blank);
	layout.lastRow = row.number;
	const fields = texts.map((t) => (t === null ? '' : `"${t.replaceAll('"', '""')}"`));
	await out.write(`${row.number},${fields.join(',')}\n`);
}

/** Buffers lines and waits for the disk when the stream asks to, so a big sheet stays small in memory. */
class CsvWriter {
	#stream: WriteStream;
	#buffer: string[] = [];
	#size = 0;
	#error: Error | null = null;
	#closed = false;

	constructor(file: string) {
		// `wx`: a file of that name already there is an error, never written through.
		this.#stream = createWriteStream(file, {
			encoding: 'utf8',
			flags: 'wx',
			mode: PRIVATE_FILE_MODE
		});
		this.#stream.on('error', (error) => (this.#error = error));
	}

	async write(text: string): Promise<void> {
		this.#buffer.push(text);
		this.#size += text.length;
		if (this.#size >= 1 << 16) await this.#flush();
	}

	async #flush(): Promise<void> {
		if (this.#error) throw this.#error;
		if (this.#buffer.length === 0) return;
		const chunk = this.#buffer.join('');
		this.#buffer = [];
		this.#size = 0;
		// `once` rejects on 'error' and leaves no listener behind.
		if (!this.#stream.write(chunk)) await once(this.#stream, 'drain');
	}

	async close(): Promise<void> {
		if (this.#closed) return;
		this.#closed = true;
		await this.#flush();
		await new Promise<void>((resolve, reject) => {
			this.#stream.end((error?: Error | null) => (error ? reject(error) : resolve()));
		});
		if (this.#error) throw this.#error;
	}
}

/**
 * The first rows of the first sheet as text (index i is spreadsheet row i + 1), for the upload
 * page to find the header and propose a mapping before anything is imported: the same checks,
 * guard and cell text as `loadXlsx`, and only the first HEADER_SEARCH_ROWS rows are read.
 */
export async function xlsxHeadRows(file: string, name: string): Promise<string[][]> {
	await checkSignature(file, name);
	await checkParts(file, name);
	const input = createReadStream(file);
	input.on('error', () => {});
	const rows: string[][] = Array.from({ length: HEADER_SEARCH_ROWS }, () => []);
	try {
		const book = guardedBook(
			new ExcelJS.stream.xlsx.WorkbookReader(input, {
				worksheets: 'emit',
				sharedStrings: 'cache',
				styles: 'cache',
				hyperlinks: 'ignore'
			}),
			name
		);
		for await (const sheet of book) {
			const first = book.model?.sheets?.[0]?.name;
			if (first !== undefined && sheet.name !== first) {
				sheet.iterator?.destroy?.();
				continue;
			}
			for await (const row of sheet) {
				if (row.number > HEADER_SEARCH_ROWS) break;
				const raw = snapshot(row, name);
				rows[raw.number - 1] = raw.cells.map((c) => (c ? (cellText(c, 'text', false) ?? '') : ''));
			}
			sheet.iterator?.destroy?.();
			break;
		}
	} catch (error) {
		if (error instanceof ImportRejected) throw error;
		throw damaged(name, error);
	} finally {
		input.destroy();
	}
	return rows;
}
