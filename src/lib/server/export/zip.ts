/**
 * A ZIP archive of a few files (the monthly report's CSV tables, issue 13), written here: local
 * headers, raw-deflated data and the central directory, with `node:zlib`'s deflate and CRC-32 —
 * some sixty lines against a dependency. Names are UTF-8 (flag bit 11), as Windows' and macOS'
 * extractors read them. No ZIP64: an archive is a few files of a few megabytes.
 */
import { crc32, deflateRawSync } from 'node:zlib';

export interface ZipEntry {
	name: string;
	data: Buffer;
}

const UTF8_NAMES = 0x0800;
const DEFLATE = 8;
/** 1 January 1980, the earliest MS-DOS date: archives of the same files are byte-identical. */
const DOS_DATE = (0 << 9) | (1 << 5) | 1;
const MAX_BYTES = 0xffff_ffff;

export function writeZip(entries: ZipEntry[]): Buffer {
	const parts: Buffer[] = [];
	const central: Buffer[] = [];
	let offset = 0;
	for (const { name, data } of entries) {
		const nameBytes = Buffer.from(name, 'utf8');
		const packed = deflateRawSync(data);
		if (data.length > MAX_BYTES || offset + packed.length > MAX_BYTES) {
			throw new RangeError('a ZIP archive over 4 GB needs ZIP64');
		}
		const crc = crc32(data);
		const local = Buffer.alloc(30);
		local.writeUInt32LE(0x04034b50, 0);
		local.writeUInt16LE(20, 4); // version needed: 2.0 (deflate)
		local.writeUInt16LE(UTF8_NAMES, 6);
		local.writeUInt16LE(DEFLATE, 8);
		local.writeUInt16LE(0, 10); // time
		local.writeUInt16LE(DOS_DATE, 12);
		local.writeUInt32LE(crc, 14);
		local.writeUInt32LE(packed.length, 18);
		local.writeUInt32LE(data.length, 22);
		local.writeUInt16LE(nameBytes.length, 26);
		local.writeUInt16LE(0, 28); // extra field
		const header = Buffer.alloc(46);
		header.writeUInt32LE(0x02014b50, 0);
		header.writeUInt16LE(20, 4); // made by
		header.writeUInt16LE(20, 6); // needed
		header.writeUInt16LE(UTF8_NAMES, 8);
		header.writeUInt16LE(DEFLATE, 10);
		header.writeUInt16LE(0, 12);
		header.writeUInt16LE(DOS_DATE, 14);
		header.writeUInt32LE(crc, 16);
		header.writeUInt32LE(packed.length, 20);
		header.writeUInt32LE(data.length, 24);
		header.writeUInt16LE(nameBytes.length, 28);
		// extra, comment, disk, internal and external attributes: 0 (bytes 30–41)
		header.writeUInt32LE(offset, 42);
		parts.push(local, nameBytes, packed);
		central.push(header, nameBytes);
		offset += local.length + nameBytes.length + packed.length;
	}
	const directory = Buffer.concat(central);
	const end = Buffer.alloc(22);
	end.writeUInt32LE(0x06054b50, 0);
	end.writeUInt16LE(entries.length, 8);
	end.writeUInt16LE(entries.length, 10);
	end.writeUInt32LE(directory.length, 12);
	end.writeUInt32LE(offset, 16);
	return Buffer.concat([...parts, directory, end]);
}

export const ZIP_CONTENT_TYPE = 'application/zip';
