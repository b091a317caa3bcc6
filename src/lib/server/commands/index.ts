/**
 * The commands the CLI can run, as plain data, and the one function that runs them against a
 * store. The CLI parses arguments into a `Command`; it runs it itself, or hands it to the running
 * server over the control socket (see ../control), which runs it here with its own store.
 */
import type { ImportKind } from '../../domain/types';
import type { Store } from '../db';
import { ImportRejected } from '../import/errors';
import { importInQueue } from '../jobs/jobs';
import { createApiToken } from '../auth/tokens';
import { AccountError, addUser, audit, CLI_ACTOR, disableUser, listUsers } from '../auth/users';
import { buildDemo } from '../demo';
import { formatKpiReport } from '../kpi/text';
import { formatIndexReport } from '../kpi/index-text';
import { indexDefinitions } from '../kpi/service-index';
import { unitServiceIndex } from '../service-index';
import { KpiQueryError } from '../units/versions';
import { OPERATOR } from '../auth/scope';
import { unitReport } from '../overview';
import type { CommandOutput } from '../output';
import { writeFile } from 'node:fs/promises';
import { OutOfScope } from '../auth/scope';
import { PrintRefusedError } from '../print/browser';
import { reportFile, UnknownCampaign, type ReportRequest } from '../report/files';
import { ReportMonthError } from '../report/monthly';
import { BackupRefused, writeBackup } from '../backup/snapshot';
import { RestoreRefused } from '../backup/restore';

export type Command =
	| { name: 'import'; kind: ImportKind; file: string; displayName: string }
	| { name: 'demo' }
	| { name: 'kpi'; unit: string; from: string; to: string; json: boolean }
	| { name: 'index'; unit: string; from: string; to: string; json: boolean }
	/** The password is read from standard input by the CLI, never from the command line. */
	| { name: 'user-add'; username: string; role: string; unit: string; password: string }
	| { name: 'user-disable'; username: string }
	| { name: 'user-list'; json: boolean }
	| { name: 'token-create'; username: string; label: string }
	/** `out` is absolute: the server that may run it has its own working directory. */
	| (ReportRequest & { name: 'report'; out: string })
	/** `file` is absolute, as `out`; `force` replaces a file already there. */
	| { name: 'backup'; file: string; displayName: string; force: boolean }
	/** Run by the CLI itself with no server on the database (backup/restore.ts), never here. */
	| { name: 'restore'; file: string; displayName: string };

export type { CommandOutput } from '../output';

/** The import joins the server's queue (jobs/): it waits for an upload that runs, and is logged. */
async function runImport(
	store: Store,
	command: Extract<Command, { name: 'import' }>,
	io: CommandOutput
): Promise<void> {
	const result = await importInQueue(
		store.db,
		CLI_ACTOR,
		command.kind,
		command.file,
		command.displayName
	);
	const { rows, inserted, updated, unchanged } = result;
	for (const warning of result.warnings) io.err(`${result.file}: warning: ${warning}`);
	io.out(
		`${result.file}: imported ${rows} ${command.kind} rows: ` +
			`${inserted} inserted, ${updated} updated, ${unchanged} unchanged` +
			(result.skipped ? `, ${result.skipped} non-data rows skipped` : '')
	);
}

async function runKpi(
	store: Store,
	command: Extract<Command, { name: 'kpi' }>,
	io: CommandOutput
): Promise<void> {
	const report = await unitReport(store.db, OPERATOR, command.unit, {
		from: command.from,
		to: command.to
	});
	io.out(command.json ? JSON.stringify(report, null, 2) : formatKpiReport(report));
}

async function runIndex(
	store: Store,
	command: Extract<Command, { name: 'index' }>,
	io: CommandOutput
): Promise<void> {
	const period = { from: command.from, to: command.to };
	const report = await unitServiceIndex(store.db, OPERATOR, command.unit, period);
	io.out(
		command.json
			? JSON.stringify(report, null, 2)
			: formatIndexReport(report, await indexDefinitions(store.db))
	);
}

async function runUser(
	store: Store,
	command: Extract<Command, { name: 'user-add' | 'user-disable' | 'user-list' }>,
	io: CommandOutput
): Promise<void> {
	if (command.name === 'user-add') {
		const user = await addUser(store.db, {
			username: command.username,
			role: command.role,
			unitCode: command.unit,
			password: command.password
		});
		io.out(`added ${user.username} (${user.role}, unit ${user.unit_code})`);
	} else if (command.name === 'user-disable') {
		await disableUser(store.db, command.username);
		io.out(`disabled ${command.username} and ended its sessions`);
	} else {
		const users = await listUsers(store.db);
		io.out(
			command.json
				? JSON.stringify(users, null, 2)
				: users
						.map((u) => `${u.username}\t${u.role}\t${u.unit_code}${u.disabled ? '\tdisabled' : ''}`)
						.join('\n')
		);
	}
}

async function runTokenCreate(
	store: Store,
	command: Extract<Command, { name: 'token-create' }>,
	io: CommandOutput
): Promise<void> {
	const token = await createApiToken(store.db, command.username, command.label);
	io.out(`token "${command.label}" for ${command.username}; it is shown once, keep it safe:`);
	// CONTRACT: alone on the last line, for scripts.
	io.out(token);
}

async function runReport(
	store: Store,
	command: Extract<Command, { name: 'report' }>,
	io: CommandOutput
): Promise<void> {
	const file = await reportFile(store.db, OPERATOR, CLI_ACTOR, command);
	await writeFile(command.out, file.body);
	const what = command.campaign === undefined ? command.month : `campaign ${command.campaign}`;
	io.out(
		`wrote the ${command.format} report of ${command.unit} for ${what} to ${command.out} (${file.body.length} bytes)`
	);
}

async function runBackup(
	store: Store,
	command: Extract<Command, { name: 'backup' }>,
	io: CommandOutput
): Promise<void> {
	const written = await writeBackup(store.db, store.path, command.file, { force: command.force });
	// Who copied the whole database (accounts included) is worth knowing.
	await audit(store.db, {
		action: 'backup',
		actor: CLI_ACTOR,
		detail: { file: written.file, bytes: written.bytes, schema_version: written.schemaVersion }
	});
	io.out(
		`wrote a backup of ${store.path} to ${written.file} ` +
			`(${written.bytes} bytes, schema version ${written.schemaVersion}, ` +
			`${(written.milliseconds / 1000).toFixed(1)} s)`
	);
}

/** Errors that are answers to the user (bad input, an unanswerable question): one message, exit 1. */
const USER_ERRORS = [
	ImportRejected,
	KpiQueryError,
	AccountError,
	ReportMonthError,
	UnknownCampaign,
	PrintRefusedError,
	OutOfScope,
	BackupRefused,
	RestoreRefused
];

export async function executeCommand(
	store: Store,
	command: Command,
	io: CommandOutput
): Promise<number> {
	try {
		await run(store, command, io);
		return 0;
	} catch (error) {
		if (!USER_ERRORS.some((kind) => error instanceof kind)) throw error;
		io.err((error as Error).message);
		if (command.name === 'import') io.err(`${command.displayName}: nothing was imported`);
		return 1;
	}
}

async function run(store: Store, command: Command, io: CommandOutput): Promise<void> {
	switch (command.name) {
		case 'import':
			return runImport(store, command, io);
		case 'demo':
			await buildDemo(store, io);
			return;
		case 'kpi':
			return runKpi(store, command, io);
		case 'index':
			return runIndex(store, command, io);
		case 'user-add':
		case 'user-disable':
		case 'user-list':
			return runUser(store, command, io);
		case 'token-create':
			return runTokenCreate(store, command, io);
		case 'report':
			return runReport(store, command, io);
		case 'backup':
			return runBackup(store, command, io);
		case 'restore':
			// This store holds the database open: replacing its file under it would lose both.
			throw new RestoreRefused(
				`restore replaces the database file, and a server is running on ${store.path}: ` +
					'stop the server, then run restore again; nothing was changed'
			);
	}
}
