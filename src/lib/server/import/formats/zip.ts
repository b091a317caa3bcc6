/**
 * The sizes an XLSX (a zip archive) declares for its parts, read from its central directory
 * without unzipping anything, so a small file that would unzip to gigabytes is refused first.
 */
import { open } from 'node:fs/promises';

export interface ZipEntry {
	name: string;
	compressedSize: number;
	/** As declared; `Infinity` for a ZIP64 entry, whose real size we do not read. */
	uncompressedSize: number;
}

const END_OF_DIRECTORY = 0x06054b50;
const DIRECTORY_ENTRY = 0x02014b50;
/** The end record (22 bytes) and a comment of at most 65,535 bytes. */
const TAIL = 22 + 0xffff;

/** The entries of the archive, or null when its directory cannot be found (a damaged file). */
export async function zipEntries(file: string): Promise<ZipEntry[] | null> {
	const handle = await open(file, 'r');
	try {
		const { size } = await handle.stat();
		const tailLength = Math.min(size, TAIL);
		const tail = Buffer.alloc(tailLength);
		await handle.read(tail, 0, tailLength, size - tailLength);
		let end = -1;
		for (let i = tailLength - 22; i >= 0; i--) {
			if (tail.readUInt32LE(i) === END_OF_DIRECTORY) {
				end = i;
				break;
			}
		}
		if (end < 0) return null;
		const directorySize = tail.readUInt32LE(end + 12);
		const directoryOffset = tail.readUInt32LE(end + 16);
		if (directoryOffset + directorySize > size) return null;
		const directory = Buffer.alloc(directorySize);
		await handle.read(directory, 0, directorySize, directoryOffset);
		const entries: ZipEntry[] = [];
		for (let at = 0; at + 46 <= directorySize;) {
			if (directory.readUInt32LE(at) !== DIRECTORY_ENTRY) return null;
			const compressedSize = directory.readUInt32LE(at + 20);
			const uncompressedSize = directory.readUInt32LE(at + 24);
			const nameLength = directory.readUInt16LE(at + 28);
			const extraLength = directory.readUInt16LE(at + 30);
			const commentLength = directory.readUInt16LE(at + 32);
			entries.push({
				name: directory.toString('utf8', at + 46, at + 46 + nameLength),
				compressedSize,
				uncompressedSize: uncompressedSize === 0xffffffff ? Infinity : uncompressedSize
			});
			at += 46 + nameLength + extraLength + commentLength;
		}
		return entries;
	} finally {
		await handle.close();
	}
}
