/**
 * The control socket's wire format, shared by the server (./server.ts) and the CLI (./client.ts).
 *
 * The client sends one request line, `{ "command": Command }`; the server streams reply lines
 * `{ "out": "…" }` and `{ "err": "…" }` as the command prints, then exactly one `{ "exit": n }`
 * and closes. One JSON object per line (UTF-8, `\n`), so either side can read it with a line
 * splitter and a partial line is never mistaken for a whole message.
 */
import path from 'node:path';
import { IMPORT_KINDS, type ImportKind } from '../../domain/types';
import type { Command } from '../commands';

export interface ControlRequest {
	command: Command;
}

export type ControlReply = { out: string } | { err: string } | { exit: number };

/** A request line longer than this is not a command the CLI sends; refuse it before parsing. */
export const MAX_REQUEST_BYTES = 64 * 1024;

/** Exit status for a request the server cannot understand (the CLI's own usage errors use 2 too). */
export const EXIT_BAD_REQUEST = 2;

export function encodeLine(message: ControlRequest | ControlReply): string {
	return `${JSON.stringify(message)}\n`;
}

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Checks a request line from the socket. The peer is trusted (owner-only socket) but may be a CLI
 * of another version, so anything unexpected is a readable refusal, never an exception.
 */
export function parseRequest(line: string): { command: Command } | { error: string } {
	let message: unknown;
	try {
		message = JSON.parse(line);
	} catch {
		return { error: 'the request is not valid JSON' };
	}
	if (!isRecord(message) || !isRecord(message.command)) {
		return { error: 'the request has no command' };
	}
	const command = message.command;
	switch (command.name) {
		case 'demo':
			return { command: { name: 'demo' } };
		case 'import': {
			const { kind, file, displayName } = command;
			if (typeof kind !== 'string' || !(IMPORT_KINDS as readonly string[]).includes(kind)) {
				return { error: `unknown import kind ${JSON.stringify(kind)}` };
			}
			// The server's working directory is not the CLI's: a relative path would name another file.
			if (typeof file !== 'string' || !path.isAbsolute(file)) {
				return { error: 'the import file must be an absolute path' };
			}
			if (typeof displayName !== 'string') return { error: 'the import has no displayName' };
			return { command: { name: 'import', kind: kind as ImportKind, file, displayName } };
		}
		case 'kpi':
		case 'index': {
			const { name, unit, from, to, json } = command;
			if (typeof unit !== 'string' || typeof from !== 'string' || typeof to !== 'string') {
				return { error: `${name} needs unit, from and to` };
			}
			return { command: { name, unit, from, to, json: json === true } };
		}
		case 'user-add': {
			const { username, role, unit, password } = command;
			if ([username, role, unit, password].some((v) => typeof v !== 'string')) {
				return { error: 'user add needs username, role, unit and password' };
			}
			return {
				command: {
					name: 'user-add',
					username: username as string,
					role: role as string,
					unit: unit as string,
					password: password as string
				}
			};
		}
		case 'user-disable':
			if (typeof command.username !== 'string') return { error: 'user disable needs a username' };
			return { command: { name: 'user-disable', username: command.username } };
		case 'user-list':
			return { command: { name: 'user-list', json: command.json === true } };
		case 'token-create':
			if (typeof command.username !== 'string' || typeof command.label !== 'string') {
				return { error: 'token create needs a username and a name' };
			}
			return {
				command: { name: 'token-create', username: command.username, label: command.label }
			};
		case 'report': {
			const { unit, month, campaign, format, out } = command;
			// A month or a campaign, never both: the CLI parses them so.
			const window =
				typeof month === 'string' && campaign === undefined
					? { month }
					: typeof campaign === 'string' && month === undefined
						? { campaign }
						: null;
			if ([unit, out].some((v) => typeof v !== 'string') || window === null) {
				return { error: 'report needs unit, month or campaign, format and out' };
			}
			if (typeof format !== 'string' || !['xlsx', 'pdf', 'csv'].includes(format)) {
				return { error: `unknown report format ${JSON.stringify(format)}` };
			}
			// Written by the server: a relative path would name a file in its own directory.
			if (!path.isAbsolute(out as string))
				return { error: 'the report file must be an absolute path' };
			return {
				command: {
					name: 'report',
					unit: unit as string,
					...window,
					format: format as 'xlsx' | 'pdf' | 'csv',
					out: out as string
				}
			};
		}
		case 'backup': {
			const { file, displayName, force } = command;
			// Written by the server: a relative path would name a file in its own directory.
			if (typeof file !== 'string' || !path.isAbsolute(file)) {
				return { error: 'the backup file must be an absolute path' };
			}
			if (typeof displayName !== 'string') return { error: 'the backup has no displayName' };
			return { command: { name: 'backup', file, displayName, force: force === true } };
		}
		case 'restore': {
			// Passed on so that the server can say why it will not (commands: restore).
			const { file, displayName } = command;
			if (typeof file !== 'string' || typeof displayName !== 'string') {
				return { error: 'restore needs a file and its displayName' };
			}
			return { command: { name: 'restore', file, displayName } };
		}
		default:
			return {
				error: `unknown command ${JSON.stringify(command.name)}; this server may be older than the CLI`
			};
	}
}

/** Reads a reply line from the server; null for anything that is not one of the three shapes. */
export function parseReply(line: string): ControlReply | null {
	let message: unknown;
	try {
		message = JSON.parse(line);
	} catch {
		return null;
	}
	if (!isRecord(message)) return null;
	if (typeof message.out === 'string') return { out: message.out };
	if (typeof message.err === 'string') return { err: message.err };
	if (typeof message.exit === 'number' && Number.isInteger(message.exit)) {
		return { exit: message.exit };
	}
	return null;
}

/**
 * An unexpected failure as the user sees it, on either side of the socket: one line, no stack
 * (STYLE: never show a stack trace to a user).
 */
export function errorLine(error: unknown): string {
	const message = error instanceof Error ? error.message : String(error);
	return `error: ${message.split('\n')[0]}`;
}
