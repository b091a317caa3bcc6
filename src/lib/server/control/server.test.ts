import { mkdtempSync, rmSync, statSync, writeFileSync, existsSync, renameSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CommandOutput } from '../commands';
import { sendToServer } from './client';
import { startControlServer, type CloseControlServer, type CommandRunner } from './server';

let dir: string;
let socketPath: string;
let close: CloseControlServer | undefined;

beforeEach(() => {
	dir = mkdtempSync(path.join(os.tmpdir(), 'kpi-control-'));
	socketPath = path.join(dir, 'kpi.duckdb.sock');
});

afterEach(async () => {
	await close?.();
	close = undefined;
	rmSync(dir, { recursive: true, force: true });
	vi.restoreAllMocks();
});

function recorder() {
	const lines: string[] = [];
	const io: CommandOutput = {
		out: (line) => lines.push(`out ${line}`),
		err: (line) => lines.push(`err ${line}`)
	};
	return { lines, io };
}

/** Sends a raw request line and collects the raw reply lines. */
function exchange(line: string): Promise<string[]> {
	return new Promise((resolve, reject) => {
		const socket = net.connect(socketPath, () => socket.write(line));
		let received = '';
		socket.setEncoding('utf8');
		socket.on('data', (chunk: string) => (received += chunk));
		socket.on('error', reject);
		socket.on('close', () => resolve(received.split('\n').filter(Boolean)));
	});
}

/** A socket file nobody listens on, as a server killed with SIGKILL leaves behind. */
async function makeStaleSocket(target: string): Promise<void> {
	const scratch = path.join(dir, 'scratch.sock');
	const server = net.createServer().listen(scratch);
	await new Promise((resolve) => server.once('listening', resolve));
	// Moving the file keeps it a socket; closing the server then leaves it with no listener.
	renameSync(scratch, target);
	await new Promise((resolve) => server.close(resolve));
}

const echo: CommandRunner = async (command, io) => {
	io.out(`running ${command.name}`);
	io.err('a warning');
	return 3;
};

describe('the control socket', () => {
	it('streams the output and the exit status of a command to the client', async () => {
		close = await startControlServer(socketPath, { run: echo });
		const { lines, io } = recorder();
		expect(await sendToServer(socketPath, { name: 'demo' }, io)).toBe(3);
		expect(lines).toEqual(['out running demo', 'err a warning']);
	});

	it('is a socket only its owner can open', async () => {
		close = await startControlServer(socketPath, { run: echo });
		const info = statSync(socketPath);
		expect(info.isSocket()).toBe(true);
		expect(info.mode & 0o777).toBe(0o600);
	});

	it('removes its socket file when closed', async () => {
		close = await startControlServer(socketPath, { run: echo });
		await close();
		expect(existsSync(socketPath)).toBe(false);
	});

	it('replaces a stale socket left by a server that died', async () => {
		await makeStaleSocket(socketPath);
		close = await startControlServer(socketPath, { run: echo });
		expect(await sendToServer(socketPath, { name: 'demo' }, recorder().io)).toBe(3);
	});

	it('refuses to start where another server answers, and leaves its socket alone', async () => {
		close = await startControlServer(socketPath, { run: echo });
		await expect(startControlServer(socketPath, { run: echo })).rejects.toThrow(
			`another server is already listening on ${socketPath}`
		);
		expect(await sendToServer(socketPath, { name: 'demo' }, recorder().io)).toBe(3);
	});

	it('refuses to start over a file that is not a socket, and keeps the file', async () => {
		writeFileSync(socketPath, 'notes');
		await expect(startControlServer(socketPath, { run: echo })).rejects.toThrow(
			'exists and is not a socket'
		);
		expect(statSync(socketPath).isFile()).toBe(true);
	});

	it('answers an unknown command with exit status 2 and a message', async () => {
		close = await startControlServer(socketPath, { run: echo });
		expect(await exchange('{"command":{"name":"drop"}}\n')).toEqual([
			JSON.stringify({
				err: 'control socket: unknown command "drop"; this server may be older than the CLI'
			}),
			'{"exit":2}'
		]);
	});

	it('refuses an import of a relative path, which would name a file in its own directory', async () => {
		const run = vi.fn(echo);
		close = await startControlServer(socketPath, { run });
		const request = {
			command: { name: 'import', kind: 'units', file: 'u.csv', displayName: 'u.csv' }
		};
		expect(await exchange(`${JSON.stringify(request)}\n`)).toEqual([
			'{"err":"control socket: the import file must be an absolute path"}',
			'{"exit":2}'
		]);
		expect(run).not.toHaveBeenCalled();
	});

	it('answers a line that is not JSON with exit status 2', async () => {
		close = await startControlServer(socketPath, { run: echo });
		expect(await exchange('import units u.csv\n')).toEqual([
			'{"err":"control socket: the request is not valid JSON"}',
			'{"exit":2}'
		]);
	});

	it('turns an exception into one error line and exit status 1, and keeps serving', async () => {
		vi.spyOn(console, 'error').mockImplementation(() => {});
		let calls = 0;
		close = await startControlServer(socketPath, {
			run: async (command, io) => {
				calls += 1;
				if (calls === 1) throw new Error('disk full\n    at somewhere (file.ts:1)');
				return echo(command, io);
			}
		});
		const first = recorder();
		expect(await sendToServer(socketPath, { name: 'demo' }, first.io)).toBe(1);
		expect(first.lines).toEqual(['err error: disk full']);
		expect(await sendToServer(socketPath, { name: 'demo' }, recorder().io)).toBe(3);
	});

	it('runs commands one after another', async () => {
		const events: string[] = [];
		close = await startControlServer(socketPath, {
			run: async (command, io) => {
				const label = command.name === 'import' ? command.displayName : 'demo';
				events.push(`start ${label}`);
				await new Promise((resolve) => setTimeout(resolve, 50));
				events.push(`end ${label}`);
				io.out(label);
				return 0;
			}
		});
		const importA = { name: 'import', kind: 'units', file: '/a.csv', displayName: 'a' } as const;
		await Promise.all([
			sendToServer(socketPath, importA, recorder().io),
			sendToServer(socketPath, { name: 'demo' }, recorder().io)
		]);
		expect(events).toEqual(['start a', 'end a', 'start demo', 'end demo']);
	});
	it('runs a backup at once, beside a command still running, and that command goes on', async () => {
		const events: string[] = [];
		let finishImport = () => {};
		close = await startControlServer(socketPath, {
			run: async (command) => {
				events.push(`start ${command.name}`);
				if (command.name === 'import') {
					await new Promise<void>((resolve) => (finishImport = resolve));
				}
				events.push(`end ${command.name}`);
				return 0;
			}
		});
		const importA = { name: 'import', kind: 'units', file: '/a.csv', displayName: 'a' } as const;
		const importing = sendToServer(socketPath, importA, recorder().io);
		await vi.waitFor(() => expect(events).toEqual(['start import']));
		const backup = { name: 'backup', file: '/b.duckdb', displayName: 'b', force: false } as const;
		expect(await sendToServer(socketPath, backup, recorder().io)).toBe(0);
		expect(events).toEqual(['start import', 'start backup', 'end backup']);
		finishImport();
		expect(await importing).toBe(0);
		expect(events.at(-1)).toBe('end import');
	});
});

describe('sendToServer', () => {
	it('resolves null when there is no socket file', async () => {
		expect(await sendToServer(socketPath, { name: 'demo' }, recorder().io)).toBeNull();
	});

	it('resolves null when the socket is stale', async () => {
		await makeStaleSocket(socketPath);
		expect(await sendToServer(socketPath, { name: 'demo' }, recorder().io)).toBeNull();
	});

	it('fails when the server hangs up before the exit status', async () => {
		const server = net.createServer((socket) => {
			// Reading the request lets the connection close once the client hangs up too.
			socket.resume();
			socket.end('{"out":"half"}\n');
		});
		server.listen(socketPath);
		await new Promise((resolve) => server.once('listening', resolve));
		close = () => new Promise((resolve) => server.close(() => resolve()));
		const { lines, io } = recorder();
		await expect(sendToServer(socketPath, { name: 'demo' }, io)).rejects.toThrow(
			'the server closed the connection before the command finished'
		);
		expect(lines).toEqual(['out half']);
	});
});
