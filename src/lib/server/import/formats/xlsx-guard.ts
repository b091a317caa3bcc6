/**
 * A pass over the XML of the sheet and of the shared strings on its way from the zip to exceljs's
 * parser, in bounded memory. exceljs (and the XML parser under it) holds a text node whole before
 * anyone can see its length: a 300 KB workbook with one inline cell of 300 million characters took
 * the server process from 0.56 to 1.2 GB, and one of a billion ended in "Invalid string length"
 * (issue 10). Here a cell is refused as soon as its text passes Excel's limit, a tag as soon as it
 * passes `MAX_TAG_BYTES`, chunk by chunk.
 *
 * It also numbers rows and cells that lack the optional `r` attribute (ECMA-376 §18.3.1.73 and
 * §18.3.1.4: a row without one follows the row before it, a cell the cell before it), which
 * exceljs needs: some exporters leave it out.
 */
import { fileError, type ImportRejected } from '../errors';
import { checkWidth, MAX_CELL_CHARACTERS } from '../limits';

/** Bytes of one tag, attributes included: a long `sqref` list is a few kilobytes. */
export const MAX_TAG_BYTES = 1 << 20;

export type XmlPart = 'sheet' | 'sharedStrings';

const LT = 0x3c;
const GT = 0x3e;
const AMP = 0x26;
const SEMI = 0x3b;
const CR = 0x0d;
const LF = 0x0a;
const QUOTE = 0x22;
const APOS = 0x27;
const SLASH = 0x2f;
const COLON = 0x3a;
const EQUALS = 0x3d;
const BANG = 0x21;
const COMMENT_OPEN = Buffer.from('<!--');
const CDATA_OPEN = Buffer.from('<![CDATA[');
const EMPTY = Buffer.alloc(0);

/** Excel's last column (XFD). */
const MAX_COLUMN = 16_384;

const isSpace = (byte: number) => byte === 0x20 || byte === 0x09 || byte === LF || byte === CR;

/** Where the scan is between two chunks: tags never are, they are carried over whole. */
enum State {
	Text,
	Comment,
	Cdata
}

export class XlsxXmlGuard {
	#state = State.Text;
	/** The unfinished tag at the end of the last chunk, read again with the next one. */
	#carry: Buffer = EMPTY;
	/** Closing characters of a comment (`--`) or CDATA section (`]]`) seen in a row. */
	#closing = 0;
	#inEntity = false;
	#entityValue = 0;
	#entityNumeric = false;
	#entityHex = false;
	#lastWasCR = false;
	/** Inside `<si>` or `<is>`: the texts of its `<t>` runs make one cell. */
	#inString = false;
	#inT = false;
	#inPhonetic = false;
	/** UTF-16 units of the current cell's text, as JavaScript (and Excel) count them. */
	#characters = 0;
	#row = 0;
	#column = 0;
	#inCell = false;
	#strings = 0;

	constructor(
		readonly name: string,
		readonly part: XmlPart
	) {}

	/** The bytes to pass on to the parser: the same, with missing `r` attributes added. */
	feed(chunk: Buffer): Buffer {
		const buf = this.#carry.length > 0 ? Buffer.concat([this.#carry, chunk]) : chunk;
		this.#carry = EMPTY;
		const out: Buffer[] = [];
		let passFrom = 0;
		let i = 0;
		while (i < buf.length) {
			if (this.#state !== State.Text) {
				i = this.#scanSection(buf, i);
				continue;
			}
			const lt = buf.indexOf(LT, i);
			this.#countText(buf, i, lt < 0 ? buf.length : lt, true);
			if (lt < 0) break;
			if (buf[lt + 1] === BANG || lt + 1 >= buf.length) {
				if (lt + CDATA_OPEN.length > buf.length) {
					i = this.#carryFrom(buf, lt);
					break;
				}
				if (startsWith(buf, lt, COMMENT_OPEN)) {
					this.#state = State.Comment;
					this.#closing = 0;
					i = lt + COMMENT_OPEN.length;
					continue;
				}
				if (startsWith(buf, lt, CDATA_OPEN)) {
					this.#state = State.Cdata;
					this.#closing = 0;
					i = lt + CDATA_OPEN.length;
					continue;
				}
			}
			const gt = tagEnd(buf, lt + 1);
			if (gt < 0) {
				i = this.#carryFrom(buf, lt);
				break;
			}
			const insert = this.#tag(buf, lt, gt);
			if (insert) {
				out.push(buf.subarray(passFrom, insert.at), insert.bytes);
				passFrom = insert.at;
			}
			i = gt + 1;
		}
		const end = this.#carry.length > 0 ? buf.length - this.#carry.length : buf.length;
		if (out.length === 0)
			return passFrom === 0 && end === buf.length ? buf : buf.subarray(passFrom, end);
		out.push(buf.subarray(passFrom, end));
		return Buffer.concat(out);
	}

	/** What is left at the end of the part: an unfinished tag, for the parser to call it damaged. */
	end(): Buffer {
		const rest = this.#carry;
		this.#carry = EMPTY;
		return rest;
	}

	#carryFrom(buf: Buffer, lt: number): number {
		if (buf.length - lt > MAX_TAG_BYTES) {
			throw this.#refuse(
				`${this.#where()}an XML tag of more than ${MAX_TAG_BYTES} bytes; the file was not written by a spreadsheet program (save it again from Excel, or as CSV UTF-8)`
			);
		}
		this.#carry = Buffer.from(buf.subarray(lt));
		return buf.length;
	}

	/** Scans a comment or CDATA section; CDATA's text is the cell's text, as it is for the parser. */
	#scanSection(buf: Buffer, i: number): number {
		const cdata = this.#state === State.Cdata;
		const closer = cdata ? 0x5d : 0x2d; // `]]>`, `-->`
		const start = i;
		for (; i < buf.length; i++) {
			const byte = buf[i];
			if (byte === GT && this.#closing >= 2) {
				if (cdata) {
					this.#countText(buf, start, i, false);
					this.#characters -= 2; // the `]]` of `]]>`
				}
				this.#state = State.Text;
				return i + 1;
			}
			this.#closing = byte === closer ? this.#closing + 1 : 0;
		}
		if (cdata) this.#countText(buf, start, i, false);
		return i;
	}

	/** Adds the characters of `buf[from, to)` to the cell, refusing it past Excel's limit. */
	#countText(buf: Buffer, from: number, to: number, entities: boolean): void {
		if (from >= to) return;
		// Text outside `<si>`/`<is>` (a number, a formula) counts run by run; inside, the `<t>` runs.
		if (this.#inString && (!this.#inT || this.#inPhonetic)) return;
		let n = 0;
		for (let i = from; i < to; i++) {
			const byte = buf[i];
			if (this.#inEntity && entities) {
				if (byte === SEMI) {
					this.#inEntity = false;
					if (this.#entityNumeric && this.#entityValue > 0xffff) n++;
				} else if (byte === 0x23 /* # */) {
					this.#entityNumeric = true;
				} else if (this.#entityNumeric && (byte | 0x20) === 0x78 && !this.#entityHex) {
					this.#entityHex = true;
				} else if (this.#entityNumeric) {
					const digit = hexDigit(byte);
					if (digit >= 0) {
						const base = this.#entityHex ? 16 : 10;
						this.#entityValue = Math.min(this.#entityValue * base + digit, 0x200000);
					}
				}
				continue;
			}
			if (byte === AMP && entities) {
				n++;
				this.#inEntity = true;
				this.#entityNumeric = false;
				this.#entityHex = false;
				this.#entityValue = 0;
			} else if (byte === LF && this.#lastWasCR) {
				// The parser reads CR LF as one line break.
			} else if ((byte & 0xc0) !== 0x80) {
				n += byte >= 0xf0 ? 2 : 1; // four UTF-8 bytes are two UTF-16 units
			}
			this.#lastWasCR = byte === CR;
		}
		this.#characters += n;
		if (this.#characters > MAX_CELL_CHARACTERS) {
			throw this.#refuse(
				`${this.#where()}a cell of more than ${MAX_CELL_CHARACTERS} characters${this.#whichString()}; an Excel cell holds at most ${MAX_CELL_CHARACTERS}`
			);
		}
	}

	/**
	 * Handles the tag `buf[lt..gt]`; returns an `r` attribute to insert (and where), if it needs one.
	 */
	#tag(buf: Buffer, lt: number, gt: number): { at: number; bytes: Buffer } | null {
		let k = lt + 1;
		const closing = buf[k] === SLASH;
		if (closing) k++;
		const nameStart = k;
		let localStart = k;
		while (k < gt && !isSpace(buf[k]) && buf[k] !== SLASH) {
			if (buf[k] === COLON) localStart = k + 1;
			k++;
		}
		const nameEnd = k;
		const opening = !closing && buf[gt - 1] !== SLASH;
		if (!this.#inString) this.#characters = 0;
		const local = nameEnd - localStart;
		const l0 = buf[localStart];
		const l1 = buf[localStart + 1];
		const l2 = buf[localStart + 2];
		if (local === 2 && ((l0 === 0x73 && l1 === 0x69) || (l0 === 0x69 && l1 === 0x73))) {
			// `si`, `is`
			this.#inString = opening;
			this.#characters = 0;
			if (!closing && l0 === 0x73) this.#strings++;
		} else if (local === 1 && l0 === 0x74) {
			this.#inT = opening; // `t`
		} else if (local === 3 && l0 === 0x72 && l1 === 0x50 && l2 === 0x68) {
			this.#inPhonetic = opening; // `rPh`
		}
		if (this.part !== 'sheet' || localStart !== nameStart) return null;
		if (local === 1 && l0 === 0x63) {
			// `c`
			this.#inCell = opening;
			if (closing) return null;
			const r = attributeR(buf, nameEnd, gt);
			if (r) {
				const column = columnOf(buf, r.start, r.end);
				this.#column = column > 0 ? column : this.#column + 1;
			} else {
				this.#column++;
			}
			this.#checkColumn();
			if (r) return null;
			return { at: nameEnd, bytes: Buffer.from(` r="${columnLetters(this.#column)}${this.#row}"`) };
		}
		if (local === 3 && l0 === 0x72 && l1 === 0x6f && l2 === 0x77 && !closing) {
			// `row`
			const r = attributeR(buf, nameEnd, gt);
			const given = r ? Number(buf.toString('latin1', r.start, r.end)) : NaN;
			this.#row = Number.isInteger(given) && given > 0 ? given : this.#row + 1;
			this.#column = 0;
			return r ? null : { at: nameEnd, bytes: Buffer.from(` r="${this.#row}"`) };
		}
		return null;
	}

	/**
	 * A cell past Excel's last column (XFD) is refused as too wide here, where it is numbered:
	 * exceljs cannot address it.
	 */
	#checkColumn(): void {
		if (this.#column > MAX_COLUMN)
			checkWidth(this.name, this.#column, `row ${this.#row} of the first sheet`);
	}

	/** The cell's place in the sheet, when the sheet is what is read. */
	#where(): string {
		return this.part === 'sheet' && this.#inCell
			? `row ${this.#row}, column ${this.#column}: `
			: '';
	}

	/**
	 * Which shared string, when the shared strings are what is read: exceljs reads them before the
	 * sheet's cells that refer to them, so the cell's row is not known yet.
	 */
	#whichString(): string {
		return this.part === 'sharedStrings' && this.#inString
			? ` (shared string ${this.#strings} of the workbook)`
			: '';
	}

	#refuse(message: string): ImportRejected {
		return fileError(this.name, message);
	}
}

function startsWith(buf: Buffer, at: number, prefix: Buffer): boolean {
	return buf.subarray(at, at + prefix.length).equals(prefix);
}

/** The `>` that ends a tag whose name starts at `from` (one inside a quoted value does not), or -1. */
function tagEnd(buf: Buffer, from: number): number {
	let quote = 0;
	for (let i = from; i < buf.length; i++) {
		const byte = buf[i];
		if (quote !== 0) {
			if (byte === quote) quote = 0;
		} else if (byte === GT) {
			return i;
		} else if (byte === QUOTE || byte === APOS) {
			quote = byte;
		}
	}
	return -1;
}

/** The value of a tag's `r` attribute (not `xr:r`) between `from` and `to`, or null. */
function attributeR(buf: Buffer, from: number, to: number): { start: number; end: number } | null {
	let quote = 0;
	for (let i = from; i < to; i++) {
		const byte = buf[i];
		if (quote !== 0) {
			if (byte === quote) quote = 0;
			continue;
		}
		if (byte === QUOTE || byte === APOS) {
			quote = byte;
			continue;
		}
		if (byte !== 0x72 || !isSpace(buf[i - 1])) continue;
		let k = i + 1;
		while (k < to && isSpace(buf[k])) k++;
		if (buf[k] !== EQUALS) continue;
		k++;
		while (k < to && isSpace(buf[k])) k++;
		const open = buf[k];
		if (open !== QUOTE && open !== APOS) continue;
		const end = buf.indexOf(open, k + 1);
		if (end < 0 || end > to) return null;
		return { start: k + 1, end };
	}
	return null;
}

/** The column of a reference such as `AB12` (`AB` → 28), or 0 when it has no letters. */
function columnOf(buf: Buffer, start: number, end: number): number {
	let n = 0;
	for (let i = start; i < end; i++) {
		const upper = buf[i] & ~0x20;
		if (upper < 0x41 || upper > 0x5a) break;
		n = n * 26 + (upper - 0x40);
		if (n > MAX_COLUMN) return n;
	}
	return n;
}

function hexDigit(byte: number): number {
	if (byte >= 0x30 && byte <= 0x39) return byte - 0x30;
	const lower = byte | 0x20;
	return lower >= 0x61 && lower <= 0x66 ? lower - 0x61 + 10 : -1;
}

function columnLetters(n: number): string {
	let letters = '';
	for (; n > 0; n = Math.floor((n - 1) / 26)) {
		letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
	}
	return letters;
}

/** The chunks of `source` through a guard; `destroy` kept, for a sheet exceljs parked in a file. */
export function guardChunks(
	source: AsyncIterable<Buffer | string> & { destroy?: () => void },
	guard: XlsxXmlGuard
): AsyncIterable<Buffer> & { destroy?: () => void } {
	async function* guarded() {
		for await (const chunk of source) {
			yield guard.feed(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
		}
		const rest = guard.end();
		if (rest.length > 0) yield rest;
	}
	const chunks: AsyncIterable<Buffer> & { destroy?: () => void } = guarded();
	if (typeof source.destroy === 'function') chunks.destroy = () => source.destroy!();
	return chunks;
}
