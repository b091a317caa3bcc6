/**
 * Where uploaded files wait for their turn: `<DATABASE_PATH>.imports/`, beside the database file
 * (like its control socket, so two databases never share one), mode 0700, each file 0600 under a
 * random name with the format's extension (the readers tell formats apart by it). The user's file
 * name is only in the import log: nothing they type becomes a path.
 *
 * A body is streamed to disk as it arrives, hashed and counted on the way, never held in memory;
 * past the limit the partial file is removed.
 */
import { createHash, randomUUID } from 'node:crypto';
import { chmod, mkdir, open, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { MAX_UPLOAD_BYTES, UPLOAD_DRAIN_BYTES } from '../http/body-limits.js';

export { MAX_UPLOAD_BYTES };

export function importsFolder(databasePath: string): string {
	return databasePath === ':memory:'
		? path.join(tmpdir(), `kpi-imports-${process.pid}`)
		: `${databasePath}.imports`;
}

/** The folder, made (or closed up) owner-only. */
export async function openImportsFolder(databasePath: string): Promise<string> {
	const folder = importsFolder(databasePath);
	await mkdir(folder, { recursive: true, mode: 0o700 });
	await chmod(folder, 0o700);
	return folder;
}

export class UploadTooLarge extends Error {
	constructor(readonly limit: number) {
		super(`the file is larger than ${Math.round(limit / 1024 / 1024)} MB; split it by month`);
	}
}

export interface SavedUpload {
	file: string;
	size: number;
	sha256: string;
}

/**
 * Streams `body` into a new file of `folder`; its size and SHA-256. Refuses past `limit` bytes
 * (UploadTooLarge) and on any read error (the client went away), removing what was written.
 *
 * Past the limit the rest of the body is read and dropped, up to UPLOAD_DRAIN_BYTES more, so
 * that the sender, still sending, can read the 413 (cancelling the body closes the connection
 * under it); a sender that goes on beyond that is cut off.
 */
export async function saveUpload(
	body: ReadableStream<Uint8Array>,
	folder: string,
	extension: string,
	limit = MAX_UPLOAD_BYTES
): Promise<SavedUpload> {
	const file = path.join(folder, `${randomUUID()}.${extension}`);
	const hash = createHash('sha256');
	const reader = body.getReader();
	let size = 0;
	const handle = await open(file, 'wx', 0o600);
	try {
		try {
			for (;;) {
				const { done, value } = await reader.read();
				if (done) break;
				size += value.length;
				if (size > limit) {
					await drain(reader);
					throw new UploadTooLarge(limit);
				}
				hash.update(value);
				await handle.write(value);
			}
		} finally {
			await handle.close();
		}
	} catch (error) {
		await rm(file, { force: true });
		// adapter-node's own limit (BODY_SIZE_LIMIT) ends the stream with a 413 of its own.
		if ((error as { status?: unknown } | null)?.status === 413) throw new UploadTooLarge(limit);
		throw error;
	}
	return { file, size, sha256: hash.digest('hex') };
}

async function drain(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<void> {
	let dropped = 0;
	try {
		for (;;) {
			const { done, value } = await reader.read();
			if (done) return;
			dropped += value.length;
			if (dropped > UPLOAD_DRAIN_BYTES) {
				await reader.cancel();
				return;
			}
		}
	} catch {
		// The sender stopped, or adapter-node's limit ended the body: nothing more to drop.
	}
}

/** Removes the files of `folder` that no waiting job names (left by a kill mid-upload or mid-run). */
export async function removeStrayUploads(folder: string, keep: ReadonlySet<string>): Promise<void> {
	for (const name of await readdir(folder)) {
		const file = path.join(folder, name);
		if (!keep.has(file)) await rm(file, { force: true, recursive: true });
	}
}
