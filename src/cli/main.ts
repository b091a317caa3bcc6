/**
 * `npm run cli -- <command> …` (CONTRACT: Command line). Parses the arguments, checks what can be
 * checked without the database, then runs the command on the web server when one holds the
 * database (DuckDB admits one process per file) or opens the database itself.
 *
 * The importers and DuckDB are loaded only when this process runs a command itself: `--help`, a
 * usage error or a command handed to the server then answers in a fraction of the time.
 */
import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Command } from '../lib/server/commands';
import { controlSocketPath, databasePath } from '../lib/server/config';
import type { Store } from '../lib/server/store';
import { sendToServer } from '../lib/server/control/client';
import { errorLine } from '../lib/server/control/protocol';
import { parseArgs, passwordFromStdin } from './args';
import { terminal } from './terminal';

async function main(argv: string[]): Promise<number> {
	const parsed = parseArgs(argv, process.cwd());
	if (parsed.action === 'help') {
		terminal.out(parsed.text);
		return 0;
	}
	if (parsed.action === 'usage-error') {
		terminal.err(parsed.message);
		terminal.err(parsed.usage);
		return 2;
	}
	const command = parsed.command;
	if (command.name === 'user-add') command.password = await readPassword();
	const problem = await inputProblem(command);
	if (problem) {
		terminal.err(problem);
		return 1;
	}
	const onServer = await runOnServer(command);
	if (onServer !== null) return onServer;
	return command.name === 'restore' ? runRestore(command) : runHere(command);
}

/** A file that is missing or of an unreadable kind is reported before any database is touched. */
async function inputProblem(command: Command): Promise<string | null> {
	if (command.name === 'restore') {
		const info = await stat(command.file).catch(() => null);
		if (!info) return `${command.displayName}: file not found; nothing was changed`;
		if (!info.isFile()) return `${command.displayName}: not a regular file; name a backup file`;
		return null;
	}
	// With a server running, its database exists; without one, opening it would create it empty.
	if (command.name === 'backup' && !existsSync(databasePath())) {
		return `database ${databasePath()} does not exist: nothing to back up (is DATABASE_PATH right?)`;
	}
	if (command.name !== 'import') return null;
	const name = command.displayName;
	try {
		if (!(await stat(command.file)).isFile())
			return `${name}: not a regular file; name one file (not a folder or a pattern)`;
	} catch {
		return `${name}: file not found`;
	}
	const [{ formatOf }, { formatErrors, ImportRejected }] = await Promise.all([
		import('../lib/server/import/formats'),
		import('../lib/server/import/errors')
	]);
	try {
		formatOf(command.file);
	} catch (error) {
		if (error instanceof ImportRejected) return formatErrors(name, error.errors);
		throw error;
	}
	return null;
}

/** The password of `user add --password-stdin`: standard input (passwordFromStdin). */
async function readPassword(): Promise<string> {
	const chunks: Buffer[] = [];
	for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
	return passwordFromStdin(Buffer.concat(chunks).toString('utf8'));
}

async function runOnServer(command: Command): Promise<number | null> {
	// Ctrl+C stops this process, not the server's work: say so rather than let the user believe
	// the import was cancelled.
	const onInterrupt = () => {
		terminal.err('interrupted; the server finishes the command on its own');
		process.exit(130);
	};
	process.once('SIGINT', onInterrupt);
	try {
		return await sendToServer(controlSocketPath(), command, terminal);
	} finally {
		process.off('SIGINT', onInterrupt);
	}
}

async function runHere(command: Command): Promise<number> {
	const [{ DatabaseLockedError, openStore }, { executeCommand }] = await Promise.all([
		import('../lib/server/store'),
		import('../lib/server/commands')
	]);
	let store: Store;
	try {
		store = await openStore();
	} catch (error) {
		if (!(error instanceof DatabaseLockedError)) throw error;
		terminal.err(error.message);
		return 1;
	}
	try {
		return await executeCommand(store, command, terminal);
	} finally {
		await store.close();
	}
}

/**
 * `restore`, once no server answered on the control socket (a running one refuses it: it holds
 * the file). Runs in this process, on the database file, without opening it as a store.
 */
async function runRestore(command: Extract<Command, { name: 'restore' }>): Promise<number> {
	const [{ restoreBackup, RestoreRefused }, { NotABackup }] = await Promise.all([
		import('../lib/server/backup/restore'),
		import('../lib/server/backup/check')
	]);
	const database = databasePath();
	try {
		const restored = await restoreBackup(command.file, database, command.displayName);
		terminal.out(
			`restored ${command.displayName} (schema version ${restored.schemaVersion}) into ${restored.database}`
		);
		if (restored.replacedKeptAs) {
			terminal.out(
				`the database it replaced is kept as ${restored.replacedKeptAs}; delete it once the restored one is checked`
			);
		}
		return 0;
	} catch (error) {
		if (!(error instanceof NotABackup || error instanceof RestoreRefused)) throw error;
		terminal.err(error.message);
		if (error instanceof NotABackup) terminal.err(`${database} was not changed`);
		return 1;
	}
}

main(process.argv.slice(2)).then(
	(status) => {
		// Not process.exit: it could cut off output still queued for a pipe.
		process.exitCode = status;
	},
	(error: unknown) => {
		terminal.err(errorLine(error));
		process.exitCode = 1;
	}
);
