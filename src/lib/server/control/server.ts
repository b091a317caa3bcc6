/**
 * The server's end of the control socket: DuckDB lets one process hold the database file, so while
 * the web server runs, the CLI hands its commands to it here and the server runs them with its own
 * store (CONTRACT: every command also works while the web server is running).
 */
import { chmod, lstat, unlink } from 'node:fs/promises';
import net from 'node:net';
import { executeCommand, type Command, type CommandOutput } from '../commands';
import { getStore } from '../store';
import {
	encodeLine,
	errorLine,
	EXIT_BAD_REQUEST,
	MAX_REQUEST_BYTES,
	parseRequest,
	type ControlReply
} from './protocol';

export type CommandRunner = (command: Command, io: CommandOutput) => Promise<number>;

export interface ControlServerOptions {
	/** Runs one command; by default `executeCommand` on the server's store. */
	run?: CommandRunner;
}

/** Stops accepting commands, lets the running ones finish, and removes the socket file. */
export type CloseControlServer = () => Promise<void>;

const REQUEST_TIMEOUT_MS = 10_000;

/** Linux's `sun_path` holds 108 bytes including the terminating zero. */
const MAX_SOCKET_PATH_BYTES = 107;

const runOnServerStore: CommandRunner = async (command, io) =>
	executeCommand(await getStore(), command, io);

export async function startControlServer(
	socketPath: string,
	options: ControlServerOptions = {}
): Promise<CloseControlServer> {
	if (Buffer.byteLength(socketPath) > MAX_SOCKET_PATH_BYTES) {
		throw new Error(
			`control socket path ${socketPath} is longer than ${MAX_SOCKET_PATH_BYTES} bytes; ` +
				'use a shorter DATABASE_PATH'
		);
	}
	await claimSocketPath(socketPath);

	const run = options.run ?? runOnServerStore;
	const runOneAtATime = serialize(run);
	const dispatch: CommandRunner = (command, io) =>
		RUNS_BESIDE_OTHERS.has(command.name) ? run(command, io) : runOneAtATime(command, io);
	const server = net.createServer((socket) => serveConnection(socket, dispatch));
	await listenOwnerOnly(server, socketPath);

	let closed: Promise<void> | undefined;
	return () => {
		// Closing the listener unlinks the socket file at once; the callback waits for running commands.
		closed ??= new Promise<void>((resolve) => server.close(() => resolve()));
		return closed;
	};
}

/**
 * Frees the path for our socket: a socket nobody answers on is left by a server that died, and is
 * removed; anything else there is someone else's and is never deleted.
 */
async function claimSocketPath(socketPath: string): Promise<void> {
	let isSocket: boolean;
	try {
		isSocket = (await lstat(socketPath)).isSocket();
	} catch (error) {
		if (errorCode(error) === 'ENOENT') return;
		throw error;
	}
	if (!isSocket) {
		throw new Error(
			`${socketPath} exists and is not a socket; move it away so the control socket can be created`
		);
	}
	if (await isAnswering(socketPath)) {
		throw new Error(`another server is already listening on ${socketPath}`);
	}
	await unlink(socketPath);
}

function isAnswering(socketPath: string): Promise<boolean> {
	return new Promise((resolve, reject) => {
		const probe = net.connect(socketPath);
		probe.once('connect', () => {
			probe.destroy();
			resolve(true);
		});
		probe.once('error', (error) => {
			if (errorCode(error) === 'ECONNREFUSED') resolve(false);
			else reject(new Error(`cannot check the control socket ${socketPath}: ${error.message}`));
		});
	});
}

async function listenOwnerOnly(server: net.Server, socketPath: string): Promise<void> {
	const listening = new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.once('listening', () => {
			server.off('error', reject);
			resolve();
		});
	});
	// The socket accepts commands that change the database: no other user may connect. Binding (which
	// is synchronous) under a umask closes the window before chmod; chmod covers worker threads,
	// which cannot set a umask.
	const previousUmask = setUmask(0o177);
	try {
		server.listen(socketPath);
	} finally {
		if (previousUmask !== undefined) process.umask(previousUmask);
	}
	await listening;
	await chmod(socketPath, 0o600);
}

function setUmask(mask: number): number | undefined {
	try {
		return process.umask(mask);
	} catch {
		return undefined;
	}
}

/**
 * A backup reads one snapshot of what is committed (backup/snapshot.ts) and writes nothing but
 * its audit entry: it runs at once, beside an import that may take minutes, rather than after it.
 */
const RUNS_BESIDE_OTHERS = new Set<Command['name']>(['backup']);

/**
 * Other commands run one after another, as they would from separate CLI processes: two imports
 * at once would only fail on DuckDB's write-write conflicts.
 */
function serialize(run: CommandRunner): CommandRunner {
	let previous: Promise<unknown> = Promise.resolve();
	return (command, io) => {
		const result = previous.then(() => run(command, io));
		previous = result.catch(() => undefined);
		return result;
	};
}

function serveConnection(socket: net.Socket, run: CommandRunner): void {
	socket.setEncoding('utf8');
	// A CLI stopped with Ctrl+C drops its end; its command still runs to the end (an import is one
	// transaction either way) and the replies it can no longer read are dropped.
	socket.on('error', () => {});
	// A peer that connects and never sends its line would hold the server's shutdown open forever;
	// once the command runs, silence is normal (an import prints nothing until it is done).
	socket.setTimeout(REQUEST_TIMEOUT_MS, () => socket.destroy());
	let received = '';
	let answered = false;
	socket.on('data', (chunk: string) => {
		if (answered) return;
		received += chunk;
		const newline = received.indexOf('\n');
		if (newline >= 0) {
			answered = true;
			socket.setTimeout(0);
			void answer(socket, received.slice(0, newline), run);
		} else if (Buffer.byteLength(received) > MAX_REQUEST_BYTES) {
			answered = true;
			refuse(socket, 'the request is too long');
		}
	});
}

function sender(socket: net.Socket): (reply: ControlReply) => void {
	return (reply) => {
		if (socket.writable) socket.write(encodeLine(reply));
	};
}

function refuse(socket: net.Socket, reason: string): void {
	const send = sender(socket);
	send({ err: `control socket: ${reason}` });
	send({ exit: EXIT_BAD_REQUEST });
	socket.end();
}

async function answer(socket: net.Socket, line: string, run: CommandRunner): Promise<void> {
	const request = parseRequest(line);
	if ('error' in request) return refuse(socket, request.error);
	const send = sender(socket);
	let exit: number;
	try {
		exit = await run(request.command, {
			out: (text) => send({ out: text }),
			err: (text) => send({ err: text })
		});
	} catch (error) {
		// The user sees one line; the server's log keeps the stack for whoever runs it.
		console.error('control socket: command failed:', request.command, error);
		send({ err: errorLine(error) });
		exit = 1;
	}
	send({ exit });
	socket.end();
}

function errorCode(error: unknown): string | undefined {
	return (error as NodeJS.ErrnoException | null)?.code;
}
