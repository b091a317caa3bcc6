import { crc32, inflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { writeZip } from './zip';

/** The files of an archive, read from its central directory as an extractor does. */
function readZip(zip: Buffer): { name: string; data: Buffer }[] {
	const end = zip.length - 22;
	expect(zip.readUInt32LE(end)).toBe(0x06054b50);
	const count = zip.readUInt16LE(end + 10);
	let at = zip.readUInt32LE(end + 16);
	const files = [];
	for (let i = 0; i < count; i++) {
		expect(zip.readUInt32LE(at)).toBe(0x02014b50);
		const crc = zip.readUInt32LE(at + 16);
		const packedSize = zip.readUInt32LE(at + 20);
		const size = zip.readUInt32LE(at + 24);
		const nameLength = zip.readUInt16LE(at + 28);
		const name = zip.toString('utf8', at + 46, at + 46 + nameLength);
		const local = zip.readUInt32LE(at + 42);
		expect(zip.readUInt32LE(local)).toBe(0x04034b50);
		const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
		const data = inflateRawSync(zip.subarray(start, start + packedSize));
		expect([data.length, crc32(data)]).toEqual([size, crc]);
		files.push({ name, data });
		at += 46 + nameLength;
	}
	return files;
}

describe('a ZIP archive', () => {
	it('holds each file with its Vietnamese name, and gives it back byte for byte', () => {
		const files = [
			{ name: '01-chỉ-số.csv', data: Buffer.from('\uFEFFĐơn vị,Tỷ lệ\r\nXã Đồng Lộc,0.793\r\n') },
			{ name: 'empty.csv', data: Buffer.alloc(0) },
			{ name: 'big.csv', data: Buffer.from('a,b,c\r\n'.repeat(100_000)) }
		];
		const zip = writeZip(files);
		expect(readZip(zip)).toEqual(files);
		// 700 KB of repeated lines deflate to a few kilobytes.
		expect(zip.length).toBeLessThan(10_000);
	});

	it('writes the same archive for the same files', () => {
		const files = [{ name: 'a.csv', data: Buffer.from('x') }];
		expect(writeZip(files).equals(writeZip(files))).toBe(true);
		expect(readZip(writeZip([]))).toEqual([]);
	});
});
