/**
 * The file side of the national portal's sync payload (`DongBoHoSoMC`, issue 15): telling such a
 * file from a flat one by its first dossier's fields, and taking the `data` array out of its
 * envelope `{"service": "DongBoHoSoMC", "isUpdating": "false", "data": [ … ]}` for DuckDB's JSON
 * reader, which reads a top-level array a record at a time but an object only whole. Both read
 * bytes, tracking strings and nesting: no dossier is parsed here but the first, to see its keys.
 */
import { constants, createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { copyFile, open } from 'node:fs/promises';
import { fileError } from '../errors';
import { PRIVATE_FILE_MODE } from '../workspace';

/** The payload's own fields that no flat export of ours has: one of them with `MaHoSo` tells it. */
const PAYLOAD_FIELDS = [
	'TrangThaiHoSo',
	'DonViXuLy',
	'TaiLieuNop',
	'DanhSachLePhi',
	'DanhSachGiayToKetQua',
	'QuaTrinhXuLy',
	'DanhSachHoSoBoSung',
	'HoSoCoThanhPhanSoHoa'
];

/** How much of the file is read to find its first dossier. */
const PEEK_BYTES = 1 << 20;

export type PortalLayout = 'envelope' | 'array' | 'newline_delimited';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const COMMA = 0x2c;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const isBlank = (byte: number) => byte === 0x20 || byte === 0x09 || byte === 0x0a || byte === 0x0d;

/**
 * How `file` holds the payload, or null when it is not the payload (a flat file of ours, which
 * the generic reader takes). A `.json` file whose top level is an object can only be the
 * envelope; an array or NDJSON file is the payload when its first dossier has `MaHoSo` and one
 * of the payload's own fields.
 */
export async function portalLayout(
	file: string,
	format: 'json' | 'ndjson'
): Promise<PortalLayout | null> {
	const head = await readStart(file);
	let start = 0;
	if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) start = 3;
	while (start < head.length && isBlank(head[start])) start++;
	if (format === 'json' && head[start] === OPEN_OBJECT) {
		// A whole small object without `data` is a mistake the generic reader explains (one
		// object, or NDJSON named .json); a big one can only be the envelope.
		const whole = valueAt(head, start);
		return whole === null || 'data' in parsedObject(whole) ? 'envelope' : null;
	}
	let first: Buffer | null;
	if (format === 'json') {
		if (head[start] !== OPEN_ARRAY) return null;
		start++;
		while (start < head.length && isBlank(head[start])) start++;
		first = head[start] === OPEN_OBJECT ? valueAt(head, start) : null;
	} else {
		const end = head.indexOf(0x0a, start);
		first =
			end < 0
				? head.length < PEEK_BYTES
					? head.subarray(start)
					: null
				: head.subarray(start, end);
	}
	if (first === null) return null;
	const keys = new Set(Object.keys(parsedObject(first)));
	const isPayload = keys.has('MaHoSo') && PAYLOAD_FIELDS.some((k) => keys.has(k));
	return isPayload ? (format === 'json' ? 'array' : 'newline_delimited') : null;
}

/** The object `bytes` hold, or an empty one when they hold anything else. */
function parsedObject(bytes: Buffer): object {
	try {
		const value: unknown = JSON.parse(bytes.toString('utf8'));
		return typeof value === 'object' && value !== null && !Array.isArray(value) ? value : {};
	} catch {
		return {};
	}
}

async function readStart(file: string): Promise<Buffer> {
	const handle = await open(file, 'r');
	try {
		const buffer = Buffer.alloc(PEEK_BYTES);
		const { bytesRead } = await handle.read(buffer, 0, PEEK_BYTES, 0);
		return buffer.subarray(0, bytesRead);
	} finally {
		await handle.close();
	}
}

/** The bytes of the object or array opening at `start`, or null when it ends past the buffer. */
function valueAt(buffer: Buffer, start: number): Buffer | null {
	let depth = 0;
	let inString = false;
	let escaped = false;
	for (let i = start; i < buffer.length; i++) {
		const byte = buffer[i];
		if (inString) {
			if (escaped) escaped = false;
			else if (byte === BACKSLASH) escaped = true;
			else if (byte === QUOTE) inString = false;
		} else if (byte === QUOTE) inString = true;
		else if (byte === OPEN_OBJECT || byte === OPEN_ARRAY) depth++;
		else if (byte === CLOSE_OBJECT || byte === CLOSE_ARRAY) {
			if (--depth === 0) return buffer.subarray(start, i + 1);
		}
	}
	return null;
}

const NOT_AN_ENVELOPE =
	'a JSON object without a "data" array of dossiers: expected the DongBoHoSoMC payload {"service": "DongBoHoSoMC", "data": [ … ]} or an array of records';

/**
 * Writes the envelope's `data` array to `out` (private), streaming: what DuckDB then reads as a
 * top-level array. The other keys (`service`, `isUpdating`) are skipped; a file whose top-level
 * object has no `data` array is refused.
 *
 * `exact: false` (the first try): `data` is found near the start, as every one-stop system writes
 * it, and the file is copied whole with the envelope's bytes around the array blanked, without
 * reading it byte by byte (a 624 MB payload took 3 s that way). When `data` is the last key, that
 * is its array; when other keys follow it, DuckDB refuses what trails the array, and the caller
 * asks again, exactly: the file scanned to the array's own end.
 */
export async function extractEnvelopeData(
	file: string,
	out: string,
	name: string,
	exact = true
): Promise<void> {
	if (!exact) {
		const start = await scanEnvelope(file, name, null);
		const end = await lastClosingBrace(file);
		if (end !== null && end > start) {
			await copyWithout(file, out, start, end);
			return;
		}
	}
	await scanEnvelope(file, name, createWriteStream(out, { mode: PRIVATE_FILE_MODE, flags: 'wx' }));
}

/**
 * `out`: a copy of `file` whose bytes before `start` and at `end` are blanks, which JSON reads
 * as nothing. The kernel copies the file (0.4 s for 624 MB, half the time of streaming the range).
 */
async function copyWithout(file: string, out: string, start: number, end: number): Promise<void> {
	await copyFile(file, out, constants.COPYFILE_EXCL);
	const handle = await open(out, 'r+');
	try {
		await handle.chmod(PRIVATE_FILE_MODE);
		await handle.write(Buffer.alloc(start, ' '), 0, start, 0);
		await handle.write(Buffer.from(' '), 0, 1, end);
	} finally {
		await handle.close();
	}
}

/** The offset of the file's last non-blank byte when it is the envelope's closing `}`. */
async function lastClosingBrace(file: string): Promise<number | null> {
	const handle = await open(file, 'r');
	try {
		const { size } = await handle.stat();
		const length = Math.min(size, 1 << 16);
		const buffer = Buffer.alloc(length);
		await handle.read(buffer, 0, length, size - length);
		let i = length - 1;
		while (i >= 0 && isBlank(buffer[i])) i--;
		return i >= 0 && buffer[i] === CLOSE_OBJECT ? size - length + i : null;
	} finally {
		await handle.close();
	}
}

/**
 * Reads the envelope to its `data` array: with a `sink`, copies the array to it and returns when
 * the array ends; without, returns the array's offset as soon as it opens.
 */
async function scanEnvelope(
	file: string,
	name: string,
	sink: ReturnType<typeof createWriteStream> | null
): Promise<number> {
	let offset = 0;
	let depth = 0;
	let inString = false;
	let escaped = false;
	/** Inside the top-level object: a key's bytes while it is read, the last key read. */
	let readingKey = false;
	let expectingKey = false;
	let key: number[] = [];
	let lastKey = '';
	let afterColon = false;
	/** 'before' the data array, 'inside' it (copying), 'done' after it. */
	let state: 'before' | 'inside' | 'done' = 'before';
	let dataDepth = 0;
	let sawTop = false;
	const write = async (bytes: Buffer) => {
		if (sink && !sink.write(bytes)) await once(sink, 'drain');
	};
	try {
		for await (const chunk of createReadStream(file, {
			highWaterMark: 1 << 20
		}) as AsyncIterable<Buffer>) {
			let copyFrom = state === 'inside' ? 0 : -1;
			let nextBackslash = -2;
			for (let i = 0; i < chunk.length && state !== 'done'; i++) {
				const byte = chunk[i];
				if (inString && !escaped && !readingKey) {
					// Most of the file is text inside strings: jump to the quote that ends it.
					if (nextBackslash !== -1 && nextBackslash < i)
						nextBackslash = chunk.indexOf(BACKSLASH, i);
					const quote = chunk.indexOf(QUOTE, i);
					const end = quote < 0 ? chunk.length : quote;
					if (nextBackslash !== -1 && nextBackslash < end) {
						i = nextBackslash;
						escaped = true;
						continue;
					}
					if (quote < 0) break;
					i = quote;
					inString = false;
					continue;
				}
				if (inString) {
					if (escaped) escaped = false;
					else if (byte === BACKSLASH) escaped = true;
					else if (byte === QUOTE) {
						inString = false;
						if (readingKey) {
							readingKey = false;
							lastKey = Buffer.from(key).toString('utf8');
						}
					} else if (readingKey && key.length < 64) key.push(byte);
					continue;
				}
				if (byte === QUOTE) {
					inString = true;
					if (depth === 1 && expectingKey) {
						readingKey = true;
						expectingKey = false;
						key = [];
					}
					continue;
				}
				if (depth === 1 && byte === COLON) {
					afterColon = true;
					continue;
				}
				if (depth === 1 && byte === COMMA) {
					expectingKey = true;
					afterColon = false;
					continue;
				}
				if (byte === OPEN_OBJECT || byte === OPEN_ARRAY) {
					if (depth === 0) {
						if (byte !== OPEN_OBJECT) throw fileError(name, NOT_AN_ENVELOPE);
						sawTop = true;
						expectingKey = true;
					} else if (depth === 1 && afterColon && lastKey === 'data' && state === 'before') {
						if (byte !== OPEN_ARRAY) throw fileError(name, NOT_AN_ENVELOPE);
						if (!sink) return offset + i;
						state = 'inside';
						dataDepth = depth + 1;
						copyFrom = i;
					}
					depth++;
					afterColon = false;
					continue;
				}
				if (byte === CLOSE_OBJECT || byte === CLOSE_ARRAY) {
					depth--;
					if (state === 'inside' && depth === dataDepth - 1) {
						await write(chunk.subarray(copyFrom, i + 1));
						state = 'done';
						copyFrom = -1;
					}
					continue;
				}
				if (depth === 1 && afterColon && !isBlank(byte) && lastKey === 'data') {
					// `"data": null`, a number or `true`: not the array of dossiers.
					throw fileError(name, NOT_AN_ENVELOPE);
				}
			}
			if (state === 'inside' && copyFrom >= 0) await write(chunk.subarray(copyFrom));
			if (state === 'done') break;
			offset += chunk.length;
		}
		if (!sawTop || state !== 'done') throw fileError(name, NOT_AN_ENVELOPE);
		return offset;
	} finally {
		if (sink) {
			sink.end();
			await once(sink, 'close');
		}
	}
}
