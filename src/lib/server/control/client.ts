/** The CLI's end of the control socket (see ./server.ts for why it exists). */
import net from 'node:net';
import type { Command, CommandOutput } from '../commands';
import { encodeLine, parseReply } from './protocol';

/**
 * Runs the command on the server listening at `socketPath`, printing its output through `io` as it
 * arrives. Resolves to the command's exit status, or to null when no server is there (no socket
 * file, or one left behind by a server that stopped), so the caller can open the database itself.
 */
export function sendToServer(
	socketPath: string,
	command: Command,
	io: CommandOutput
): Promise<number | null> {
	return new Promise((resolve, reject) => {
		const socket = net.connect(socketPath);
		socket.setEncoding('utf8');
		let connected = false;
		let exit: number | null = null;
		let pending = '';

		const handleLine = (line: string) => {
			const reply = parseReply(line);
			if (reply === null) io.err(`control socket: unexpected reply from the server: ${line}`);
			else if ('out' in reply) io.out(reply.out);
			else if ('err' in reply) io.err(reply.err);
			else exit = reply.exit;
		};

		socket.once('connect', () => {
			connected = true;
			socket.write(encodeLine({ command }));
		});
		socket.on('data', (chunk: string) => {
			pending += chunk;
			for (let newline = pending.indexOf('\n'); newline >= 0; newline = pending.indexOf('\n')) {
				handleLine(pending.slice(0, newline));
				pending = pending.slice(newline + 1);
			}
		});
		socket.on('error', (error: NodeJS.ErrnoException) => {
			if (!connected && (error.code === 'ENOENT' || error.code === 'ECONNREFUSED')) {
				resolve(null);
			} else {
				reject(new Error(`control socket ${socketPath}: ${error.message}`));
			}
		});
		socket.on('close', () => {
			if (exit !== null) resolve(exit);
			else if (connected) {
				reject(new Error('the server closed the connection before the command finished'));
			}
		});
	});
}
