/**
 * Workbooks no spreadsheet program writes but hostile or careless exporters do (issue 10): a cell
 * far past Excel's 32,767 characters, refused while it streams; rows and cells without the
 * optional `r` attribute, read in document order; XML that does not parse, refused in words.
 * The workbooks are zipped here by hand, since exceljs never writes them.
 */
import { crc32, deflateRawSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROCEDURES_CSV, tempStore, UNITS_CSV, type TempStore } from '../../testing/fixtures';
import { ImportRejected } from '../errors';
import { importFile } from '../run';
import { guardChunks, XlsxXmlGuard } from './xlsx-guard';

const NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const PKG = 'http://schemas.openxmlformats.org/package/2006/relationships';

/** A zip archive of `entries` (deflated, no data descriptors). */
function zip(entries: [string, Buffer][]): Buffer {
	const locals: Buffer[] = [];
	const directory: Buffer[] = [];
	let offset = 0;
	for (const [name, data] of entries) {
		const file = Buffer.from(name);
		const packed = deflateRawSync(data, { level: 1 });
		const header = Buffer.alloc(30);
		header.writeUInt32LE(0x04034b50, 0);
		header.writeUInt16LE(20, 4);
		header.writeUInt16LE(8, 8);
		header.writeUInt32LE(crc32(data), 14);
		header.writeUInt32LE(packed.length, 18);
		header.writeUInt32LE(data.length, 22);
		header.writeUInt16LE(file.length, 26);
		const entry = Buffer.alloc(46);
		entry.writeUInt32LE(0x02014b50, 0);
		entry.writeUInt16LE(20, 4);
		entry.writeUInt16LE(20, 6);
		entry.writeUInt16LE(8, 10);
		entry.writeUInt32LE(crc32(data), 16);
		entry.writeUInt32LE(packed.length, 20);
		entry.writeUInt32LE(data.length, 24);
		entry.writeUInt16LE(file.length, 28);
		entry.writeUInt32LE(offset, 42);
		locals.push(header, file, packed);
		directory.push(entry, file);
		offset += header.length + file.length + packed.length;
	}
	const size = directory.reduce((n, b) => n + b.length, 0);
	const end = Buffer.alloc(22);
	end.writeUInt32LE(0x06054b50, 0);
	end.writeUInt16LE(entries.length, 8);
	end.writeUInt16LE(entries.length, 10);
	end.writeUInt32LE(size, 12);
	end.writeUInt32LE(offset, 16);
	return Buffer.concat([...locals, ...directory, end]);
}

/** A one-sheet workbook whose sheet XML is `sheetData` (inside `<sheetData>`). */
function workbook(sheetData: string | Buffer): Buffer {
	const sheet = Buffer.concat([
		Buffer.from(`<?xml version="1.0"?><worksheet xmlns="${NS}"><sheetData>`),
		Buffer.isBuffer(sheetData) ? sheetData : Buffer.from(sheetData),
		Buffer.from('</sheetData></worksheet>')
	]);
	const xml = (text: string) => Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>${text}`);
	return zip([
		[
			'[Content_Types].xml',
			xml(
				'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
			)
		],
		[
			'_rels/.rels',
			xml(
				`<Relationships xmlns="${PKG}"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`
			)
		],
		[
			'xl/workbook.xml',
			xml(
				`<workbook xmlns="${NS}" xmlns:r="${REL}"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>`
			)
		],
		[
			'xl/_rels/workbook.xml.rels',
			xml(
				`<Relationships xmlns="${PKG}"><Relationship Id="rId1" Type="${REL}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="${REL}/sharedStrings" Target="sharedStrings.xml"/></Relationships>`
			)
		],
		['xl/sharedStrings.xml', xml(`<sst xmlns="${NS}" count="0" uniqueCount="0"></sst>`)],
		['xl/worksheets/sheet1.xml', sheet]
	]);
}

const inline = (text: string, ref = '') =>
	`<c${ref ? ` r="${ref}"` : ''} t="inlineStr"><is><t>${text}</t></is></c>`;
const HEADER = ['dossier_code', 'procedure_code', 'unit_code', 'channel', 'received_at'];

let store: TempStore;

beforeAll(async () => {
	store = await tempStore('kpi-xlsx-guard-');
	await importFile(store.db, 'units', store.file('units.csv', UNITS_CSV));
	await importFile(store.db, 'procedures', store.file('procedures.csv', PROCEDURES_CSV));
});
afterAll(() => store.dispose());

async function refusal(name: string, content: Buffer): Promise<string> {
	const error = await importFile(store.db, 'dossiers', store.file(name, content)).catch(
		(e: unknown) => e
	);
	expect(error).toBeInstanceOf(ImportRejected);
	return (error as Error).message;
}

describe('a cell longer than Excel allows', () => {
	it('is refused by its row and column while it streams (64 MB of text in a small file)', async () => {
		const cell = Buffer.concat([
			Buffer.from('<row r="2"><c r="A2" t="inlineStr"><is><t>'),
			Buffer.alloc(64 << 20, 'A'),
			Buffer.from('</t></is></c></row>')
		]);
		const header = `<row r="1">${HEADER.map((h) => inline(h)).join('')}</row>`;
		const file = workbook(Buffer.concat([Buffer.from(header), cell]));
		expect(await refusal('big.xlsx', file)).toBe(
			'big.xlsx: row 2, column 1: a cell of more than 32767 characters; an Excel cell holds at most 32767'
		);
	});

	it('stops reading the part at the chunk where the cell passes 32,767 characters', async () => {
		let pulled = 0;
		async function* part() {
			yield Buffer.from('<sheetData><row><c t="inlineStr"><is><t>');
			for (let i = 0; i < 1000; i++) {
				pulled++;
				yield Buffer.alloc(16 << 10, 'A');
			}
		}
		const chunks = guardChunks(part(), new XlsxXmlGuard('big.xlsx', 'sheet'));
		const error = await (async () => {
			for await (const chunk of chunks) void chunk;
		})().catch((e: unknown) => e);
		expect((error as Error).message).toBe(
			'big.xlsx: row 1, column 1: a cell of more than 32767 characters; an Excel cell holds at most 32767'
		);
		// 16 KB chunks: the second takes the cell to 32,768 characters; none is read after it.
		expect(pulled).toBe(2);
	});

	it('counts characters as Excel does, across chunks: entities, Vietnamese letters, CR LF, rich-text runs', () => {
		// 32,767 characters in all: "&amp;" is one, "ệ" (3 bytes) one, "😀" (4 bytes) two, CR LF one.
		const unit = '&amp;ệ😀\r\n'; // 5 characters
		const runs = (n: number) =>
			`<si><r><t>${unit.repeat(n)}</t></r><rPh><t>${'x'.repeat(40_000)}</t></rPh><r><t xml:space="preserve">`;
		const feedBytewise = (xml: string) => {
			const guard = new XlsxXmlGuard('s.xlsx', 'sharedStrings');
			const bytes = Buffer.from(xml);
			for (let i = 0; i < bytes.length; i += 7) guard.feed(bytes.subarray(i, i + 7));
		};
		// 6,553 units (32,765) + "ab" = 32,767: allowed; one more character is not.
		expect(() => feedBytewise(`<sst>${runs(6553)}ab</t></r></si></sst>`)).not.toThrow();
		expect(() => feedBytewise(`<sst><si><t>x</t></si>${runs(6553)}abc</t></r></si></sst>`)).toThrow(
			's.xlsx: a cell of more than 32767 characters (shared string 2 of the workbook); an Excel cell holds at most 32767'
		);
	});
});

describe('rows and cells without the optional r attribute', () => {
	it('numbers them in document order, as the spec does, for the parser', () => {
		const guard = new XlsxXmlGuard('n.xlsx', 'sheet');
		const xml = `<row><c t="s"><v>0</v></c><c/><c r="E1"><v>1</v></c><c><v>2</v></c></row><row r="5" ht="12"><c><v>3</v></c></row><row/>`;
		const bytes = Buffer.from(xml);
		const out = Buffer.concat([bytes.subarray(0, 9), bytes.subarray(9)].map((c) => guard.feed(c)));
		expect(out.toString()).toBe(
			`<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1"/><c r="E1"><v>1</v></c><c r="F1"><v>2</v></c></row><row r="5" ht="12"><c r="A5"><v>3</v></c></row><row r="6"/>`
		);
	});

	it('imports a sheet whose rows and cells have none', async () => {
		const rows = [HEADER, ['NOR-1', '2.000488', '42-STP', '2', '2024-01-10']];
		const file = workbook(
			rows.map((r) => `<row>${r.map((v) => inline(v)).join('')}</row>`).join('')
		);
		const result = await importFile(store.db, 'dossiers', store.file('nor.xlsx', file));
		expect(result.inserted).toBe(1);
		const stored = await store.db
			.selectFrom('dossiers')
			.select(['dossier_code', 'unit_code', 'channel'])
			.execute();
		expect(stored).toEqual([{ dossier_code: 'NOR-1', unit_code: '42-STP', channel: 'online' }]);
	});
});

describe('a workbook that does not parse', () => {
	it('is refused as damaged in our words, never with the parser’s message', async () => {
		const header = `<row r="1">${HEADER.map((h) => inline(h)).join('')}</row>`;
		const file = workbook(`${header}<row r="2"><c r="A2" t="inlineStr"><is><t>x</is></c></row>`);
		expect(await refusal('broken.xlsx', file)).toBe(
			'broken.xlsx: not a readable .xlsx workbook: the file is damaged (a part of the workbook is not well-formed XML)'
		);
	});
});
