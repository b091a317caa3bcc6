/** Checks on a text file's encoding and shape, before DuckDB reads it. */
import { open } from 'node:fs/promises';
import { fileError } from '../errors';
import { MAX_LINE_BYTES, megabytes } from '../limits';

const SAVE_AS = 'save it again as "CSV UTF-8"';

/** The first bytes of the file, with UTF-16 and non-UTF-8 text refused in words a clerk understands. */
export async function readHead(file: string, name: string, bytes = 65_536): Promise<string> {
	const handle = await open(file, 'r');
	try {
		const buffer = Buffer.alloc(bytes);
		const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
		const head = buffer.subarray(0, bytesRead);
		if (
			(head[0] === 0xff && head[1] === 0xfe) ||
			(head[0] === 0xfe && head[1] === 0xff) ||
			head.subarray(0, 200).includes(0)
		) {
			throw fileError(name, `the file is UTF-16 text; ${SAVE_AS}`);
		}
		// A multi-byte character may be cut at the end of the window: decode up to the last line break.
		const lastBreak = head.lastIndexOf(0x0a);
		const complete = bytesRead < bytes || lastBreak < 0 ? head : head.subarray(0, lastBreak + 1);
		return decodeUtf8(complete, name, 1);
	} finally {
		await handle.close();
	}
}

function decodeUtf8(bytes: Uint8Array, name: string, firstLine: number): string {
	try {
		return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
	} catch {
		const bad = findInvalidUtf8(bytes);
		const line = firstLine + countLineBreaks(bytes.subarray(0, bad));
		throw fileError(
			name,
			`row ${line} is not UTF-8 text (the file may be in Windows-1258 or another old Vietnamese encoding); ${SAVE_AS}`
		);
	}
}

function countLineBreaks(bytes: Uint8Array): number {
	let n = 0;
	for (let i = bytes.indexOf(0x0a); i >= 0; i = bytes.indexOf(0x0a, i + 1)) n++;
	return n;
}

function findInvalidUtf8(bytes: Uint8Array): number {
	const decoder = new TextDecoder('utf-8', { fatal: true });
	let lo = 0;
	let hi = bytes.length;
	while (hi - lo > 4) {
		const mid = (lo + hi) >> 1;
		try {
			decoder.decode(bytes.subarray(0, mid), { stream: true });
			decoder.decode();
			lo = mid;
		} catch {
			hi = mid;
		}
	}
	return lo;
}

/** The bytes of a multi-byte character that `bytes` ends in the middle of (none when it ends whole). */
function incompleteTail(bytes: Uint8Array): Uint8Array {
	for (let back = 1; back <= Math.min(3, bytes.length); back++) {
		const byte = bytes[bytes.length - back];
		if ((byte & 0xc0) === 0x80) continue; // a continuation byte: look further back
		const length = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
		return length > back ? bytes.subarray(bytes.length - back) : new Uint8Array(0);
	}
	return new Uint8Array(0);
}

/**
 * The file's bytes, a chunk at a time, read into one buffer used again for every chunk: a chunk
 * is valid until the next is asked for. A stream would allocate a buffer per chunk, which the
 * garbage collector frees late: a pass over a file of 500 MB grew the server by hundreds of MB.
 */
export async function* fileChunks(file: string, size = 1 << 20): AsyncGenerator<Buffer> {
	const handle = await open(file, 'r');
	try {
		const buffer = Buffer.allocUnsafe(size);
		for (;;) {
			const { bytesRead } = await handle.read(buffer, 0, size, null);
			if (bytesRead === 0) return;
			yield buffer.subarray(0, bytesRead);
		}
	} finally {
		await handle.close();
	}
}

/**
 * One pass over the whole file: checks it is UTF-8 throughout and lists the physical lines
 * (0-based) that are empty, which DuckDB's CSV reader drops without counting.
 */
export async function scanLines(
	file: string,
	name: string
): Promise<{ blank: number[]; lines: number; lastFilled: number }> {
	const decoder = new TextDecoder('utf-8', { fatal: true });
	const blank: number[] = [];
	let line = 0;
	let lineLength = 0;
	let lastByteWasCR = false;
	let lastFilled = -1;
	let carried: Uint8Array = new Uint8Array(0);
	for await (const chunk of fileChunks(file)) {
		try {
			decoder.decode(chunk, { stream: true });
		} catch {
			// The bad byte is somewhere in this chunk (or in the character the last one cut): name
			// its own row, counting the line breaks of the chunk before it (issue 10).
			const bad = findInvalidUtf8(Buffer.concat([carried, chunk])) - carried.length;
			const row = line + 1 + countLineBreaks(chunk.subarray(0, Math.max(0, bad)));
			throw fileError(
				name,
				`row ${row} is not UTF-8 text (the file may be in Windows-1258 or another old Vietnamese encoding); ${SAVE_AS}`
			);
		}
		// A copy: the chunk's buffer is read into again.
		carried = Uint8Array.from(incompleteTail(chunk));
		let start = 0;
		for (let i = chunk.indexOf(0x0a); i >= 0; i = chunk.indexOf(0x0a, i + 1)) {
			let length = lineLength + (i - start);
			checkLineLength(name, line, length);
			// "\r\n": the \r belongs to the line break, not the line.
			if (i > start ? chunk[i - 1] === 0x0d : lastByteWasCR) length -= 1;
			if (length === 0) blank.push(line);
			else lastFilled = line;
			line++;
			lineLength = 0;
			start = i + 1;
		}
		lineLength += chunk.length - start;
		// A line without end (a lost closing quote, a file that is one huge cell) is refused as it grows.
		checkLineLength(name, line, lineLength);
		lastByteWasCR = chunk.length > 0 && chunk[chunk.length - 1] === 0x0d;
	}
	// A last line without a line break still counts.
	if (lineLength > (lastByteWasCR ? 1 : 0)) {
		lastFilled = line;
		line++;
	}
	return { blank, lines: line, lastFilled };
}

/**
 * DuckDB's reader, lenient as ours must be with real exports, drops a line longer than its
 * `max_line_size` without a word; it is refused here first, by its row.
 */
function checkLineLength(name: string, line: number, bytes: number): void {
	if (bytes <= MAX_LINE_BYTES) return;
	throw fileError(
		name,
		`row ${line + 1} is longer than ${megabytes(MAX_LINE_BYTES)} (a cell may lack its closing quote); at most ${megabytes(MAX_LINE_BYTES)} a row can be imported`
	);
}

/** Splits one CSV line on `delimiter`, honouring double quotes (enough for finding the header). */
export function splitCsvLine(line: string, delimiter: string): string[] {
	const cells: string[] = [];
	let cell = '';
	let quoted = false;
	for (let i = 0; i < line.length; i++) {
		const ch = line[i];
		if (quoted) {
			if (ch === '"' && line[i + 1] === '"') {
				cell += '"';
				i++;
			} else if (ch === '"') quoted = false;
			else cell += ch;
		} else if (ch === '"') quoted = true;
		else if (ch === delimiter) {
			cells.push(cell);
			cell = '';
		} else cell += ch;
	}
	cells.push(cell);
	return cells;
}
