/**
 * The command line's grammar (CONTRACT: Command line): arguments in, a `Command` or a message out.
 * Pure, so every answer the CLI gives to bad arguments has a test; main.ts does the I/O.
 *
 * One table lists every command of the contract; a command without `parse` is not built yet and
 * says so. Adding one is adding its `parse` here and its case to `executeCommand`.
 */
import path from 'node:path';
import { IMPORT_KINDS, type ImportKind } from '../lib/domain/types';
import type { Command } from '../lib/server/commands';
import {
	MAX_PERIOD_YEARS,
	PERIOD_FIRST_DAY,
	PERIOD_LAST_DAY,
	parseMonth,
	periodProblem,
	type PeriodProblem
} from '../lib/domain/periods';

export const PROGRAM = 'npm run cli --';

export type ParsedArgs =
	| { action: 'run'; command: Command }
	/** `--help`: the text goes to stdout and the exit status is 0. */
	| { action: 'help'; text: string }
	/** A mistake in the arguments: the message and the usage go to stderr, exit status 2. */
	| { action: 'usage-error'; message: string; usage: string };

interface CommandSpec {
	/** The arguments after the command's name, one usage line per form of the command. */
	forms: string[];
	summary: string;
	/** What `--help` says beyond the usage and the summary. */
	details?: string[];
	/** Receives the arguments after the command's name, `--help` already handled. */
	parse?: (args: string[], cwd: string) => ParsedArgs;
}

const KIND_LIST = `${IMPORT_KINDS.slice(0, -1).join(', ')} or ${IMPORT_KINDS.at(-1)}`;

const COMMANDS: Record<string, CommandSpec> = {
	import: {
		forms: [`<${IMPORT_KINDS.join('|')}> <file>`],
		summary: 'upsert records from a CSV, XLSX, JSON, NDJSON or Parquet file',
		parse: parseImport
	},
	kpi: {
		forms: ['--unit <code> --from <YYYY-MM-DD> --to <YYYY-MM-DD> --json'],
		summary: 'print the KPIs of a unit for a period',
		parse: parseKpi
	},
	demo: {
		forms: [''],
		summary: 'build the demo database (the same data every run)',
		parse: (args) => (args.length > 0 ? unexpected('demo', args[0]) : run({ name: 'demo' }))
	},
	user: {
		forms: [
			'add --username <u> --role <role> --unit <code> --password-stdin',
			'disable --username <u>',
			'list --json'
		],
		summary: 'create, disable or list users',
		parse: parseUser
	},
	token: {
		forms: ['create --username <u> --name <label>'],
		summary: 'print a new API token for a user, once',
		parse: parseToken
	},
	report: {
		forms: [
			'--unit <code> --month <YYYY-MM> --format <xlsx|pdf|csv> --out <file>',
			'--unit <code> --campaign <id> --format <xlsx|pdf|csv> --out <file>'
		],
		summary:
			"write the monthly report, or a campaign window's (for csv, a .zip of one CSV per table)",
		parse: parseReport
	},
	index: {
		forms: ['--unit <code> --from <YYYY-MM-DD> --to <YYYY-MM-DD> --json'],
		summary: 'print the service-index score (Decision 766) of a unit and its children',
		details: [
			'The dossier-based part of the index: each indicator with its numerator, denominator,',
			'value and points; an indicator with no data is left out of measured_points. Children',
			'are ranked among units of their own level, by score as a share of measured points.'
		],
		parse: (args) => parsePeriodCommand('index', args)
	},
	backup: {
		forms: ['<file> [--force]'],
		summary: 'write a consistent snapshot of the database, also while the server runs',
		details: [
			'The snapshot is a DuckDB file, written under a temporary name and renamed when complete.',
			'A file already at <file> is refused; --force replaces it.'
		],
		parse: parseBackup
	},
	restore: {
		forms: ['<file>'],
		summary:
			'replace the database with a snapshot (server stopped); refuses a file that is not one',
		details: [
			'Stop the web server first. The database it replaces is kept beside it as',
			'<database>.before-restore-<date>-<time>; delete that once the restored one is checked.'
		],
		parse: parseRestore
	}
};

const HELP_FLAGS = new Set(['--help', '-h']);

export function parseArgs(argv: string[], cwd: string): ParsedArgs {
	const [name, ...rest] = argv;
	if (name === undefined) return usageError('missing command', programUsage());
	if (HELP_FLAGS.has(name)) return { action: 'help', text: programUsage() };
	const spec = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
	if (!spec) {
		const what = name.startsWith('-') ? 'option' : 'command';
		return usageError(`unknown ${what} '${name}'`, programUsage());
	}
	if (rest.some((arg) => HELP_FLAGS.has(arg))) return { action: 'help', text: commandHelp(name) };
	if (!spec.parse) {
		return usageError(`'${name}' is not available yet in this version`, commandUsage(name));
	}
	return spec.parse(rest, cwd);
}

function parseImport(args: string[], cwd: string): ParsedArgs {
	const option = args.find((arg) => arg.startsWith('-'));
	if (option) return usageError(`unknown option '${option}'`, commandUsage('import'));
	const [kind, file, extra] = args;
	if (kind === undefined) {
		return usageError(`missing the kind; expected ${KIND_LIST}`, commandUsage('import'));
	}
	if (!isImportKind(kind)) {
		return usageError(`unknown kind '${kind}'; expected ${KIND_LIST}`, commandUsage('import'));
	}
	if (file === undefined) return usageError('missing the file to import', commandUsage('import'));
	if (extra !== undefined) return unexpected('import', extra);
	// The server that may run this has its own working directory; errors still show what was typed.
	return run({ name: 'import', kind, file: path.resolve(cwd, file), displayName: file });
}

/** `--name value` options; a flag without a value (`--json`) maps to 'true'. */
function parseOptions(
	name: string,
	args: string[],
	valued: string[],
	flags: string[]
): Record<string, string> | ParsedArgs {
	const options: Record<string, string> = {};
	for (let i = 0; i < args.length; i++) {
		const arg = args[i];
		const key = arg.replace(/^--/, '');
		if (!arg.startsWith('--')) return unexpected(name, arg);
		if (flags.includes(key)) options[key] = 'true';
		else if (valued.includes(key)) {
			const value = args[++i];
			if (value === undefined || value.startsWith('--')) {
				return usageError(`${arg} needs a value`, commandUsage(name));
			}
			options[key] = value;
		} else return usageError(`unknown option '${arg}'`, commandUsage(name));
	}
	return options;
}

function parseKpi(args: string[]): ParsedArgs {
	return parsePeriodCommand('kpi', args);
}

/** `kpi` and `index`: `--unit --from --to [--json]`. */
function parsePeriodCommand(name: 'kpi' | 'index', args: string[]): ParsedArgs {
	const options = parseOptions(name, args, ['unit', 'from', 'to'], ['json']);
	if ('action' in options) return options as ParsedArgs;
	const { unit, from, to } = options as Record<string, string | undefined>;
	for (const [option, value] of [
		['--unit', unit],
		['--from', from],
		['--to', to]
	]) {
		if (value === undefined) return usageError(`missing ${option}`, commandUsage(name));
	}
	// The same bounds as the pages and the API (domain/periods.ts), worded with the options.
	const problem = periodProblem(from!, to!);
	if (problem) return usageError(periodUsageMessage(problem), commandUsage(name));
	return run({ name, unit: unit!, from: from!, to: to!, json: options.json === 'true' });
}

const REPORT_FORMATS = ['xlsx', 'pdf', 'csv'] as const;

function parseReport(args: string[], cwd: string): ParsedArgs {
	const options = parseOptions('report', args, ['unit', 'month', 'campaign', 'format', 'out'], []);
	if ('action' in options) return options as ParsedArgs;
	const { unit, month, campaign, format, out } = options as Record<string, string | undefined>;
	for (const [option, value] of [
		['--unit', unit],
		['--format', format],
		['--out', out]
	]) {
		if (value === undefined) return usageError(`missing ${option}`, commandUsage('report'));
	}
	if ((month === undefined) === (campaign === undefined)) {
		return usageError('give either --month or --campaign', commandUsage('report'));
	}
	if (month !== undefined) {
		const range = parseMonth(month);
		if (!range || periodProblem(range.from, range.to)) {
			return usageError(
				`--month ${month.slice(0, 20)} is not a month; expected YYYY-MM`,
				commandUsage('report')
			);
		}
	}
	if (campaign !== undefined && !/^\d{1,12}$/.test(campaign)) {
		return usageError(
			`--campaign ${campaign.slice(0, 20)}: expected the campaign's number (as in the page's address)`,
			commandUsage('report')
		);
	}
	if (!(REPORT_FORMATS as readonly string[]).includes(format!)) {
		return usageError(
			`--format ${format!.slice(0, 20)}: expected xlsx, pdf or csv`,
			commandUsage('report')
		);
	}
	// Written by whichever process runs the command (the server, when one holds the database).
	return run({
		name: 'report',
		unit: unit!,
		...(month !== undefined ? { month } : { campaign: campaign! }),
		format: format as (typeof REPORT_FORMATS)[number],
		out: path.resolve(cwd, out!)
	});
}

function parseBackup(args: string[], cwd: string): ParsedArgs {
	const option = args.find((arg) => arg.startsWith('-') && arg !== '--force');
	if (option) return usageError(`unknown option '${option}'`, commandUsage('backup'));
	const [file, extra] = args.filter((arg) => arg !== '--force');
	if (file === undefined) return usageError('missing the backup file', commandUsage('backup'));
	if (extra !== undefined) return unexpected('backup', extra);
	// Written by the server when one runs: its working directory is not this one.
	return run({
		name: 'backup',
		file: path.resolve(cwd, file),
		displayName: file,
		force: args.includes('--force')
	});
}

function parseRestore(args: string[], cwd: string): ParsedArgs {
	const option = args.find((arg) => arg.startsWith('-'));
	if (option) return usageError(`unknown option '${option}'`, commandUsage('restore'));
	const [file, extra] = args;
	if (file === undefined) return usageError('missing the backup file', commandUsage('restore'));
	if (extra !== undefined) return unexpected('restore', extra);
	return run({ name: 'restore', file: path.resolve(cwd, file), displayName: file });
}

function periodUsageMessage(problem: PeriodProblem): string {
	switch (problem.kind) {
		case 'not_a_date':
			return `--${problem.field} ${problem.value} is not a date; expected YYYY-MM-DD`;
		case 'out_of_range':
			return `--${problem.field} ${problem.value} is outside ${PERIOD_FIRST_DAY} to ${PERIOD_LAST_DAY}`;
		case 'reversed':
			return `--from ${problem.from} is after --to ${problem.to}`;
		case 'too_long':
			return `--from ${problem.from} to --to ${problem.to} is longer than ${MAX_PERIOD_YEARS} years, the longest period`;
		default:
			return 'give --from and --to as YYYY-MM-DD';
	}
}

function parseUser(args: string[]): ParsedArgs {
	const [action, ...rest] = args;
	if (action === 'add') {
		const options = parseOptions('user', rest, ['username', 'role', 'unit'], ['password-stdin']);
		if ('action' in options) return options as ParsedArgs;
		for (const option of ['username', 'role', 'unit']) {
			if (options[option] === undefined)
				return usageError(`missing --${option}`, commandUsage('user'));
		}
		if (options['password-stdin'] !== 'true') {
			// A password on the command line would stay in the shell's history and the process list.
			return usageError(
				'give the password on standard input with --password-stdin',
				commandUsage('user')
			);
		}
		return run({
			name: 'user-add',
			username: options.username,
			role: options.role,
			unit: options.unit,
			password: ''
		});
	}
	if (action === 'disable') {
		const options = parseOptions('user', rest, ['username'], []);
		if ('action' in options) return options as ParsedArgs;
		if (options.username === undefined)
			return usageError('missing --username', commandUsage('user'));
		return run({ name: 'user-disable', username: options.username });
	}
	if (action === 'list') {
		const options = parseOptions('user', rest, [], ['json']);
		if ('action' in options) return options as ParsedArgs;
		return run({ name: 'user-list', json: options.json === 'true' });
	}
	return usageError(
		action === undefined ? 'missing add, disable or list' : `unknown user action '${action}'`,
		commandUsage('user')
	);
}

function parseToken(args: string[]): ParsedArgs {
	const [action, ...rest] = args;
	if (action !== 'create') {
		return usageError(
			action === undefined ? 'missing create' : `unknown token action '${action}'`,
			commandUsage('token')
		);
	}
	const options = parseOptions('token', rest, ['username', 'name'], []);
	if ('action' in options) return options as ParsedArgs;
	for (const option of ['username', 'name']) {
		if (options[option] === undefined)
			return usageError(`missing --${option}`, commandUsage('token'));
	}
	return run({ name: 'token-create', username: options.username, label: options.name });
}

function isImportKind(value: string): value is ImportKind {
	return (IMPORT_KINDS as readonly string[]).includes(value);
}

function run(command: Command): ParsedArgs {
	return { action: 'run', command };
}

function usageError(message: string, usage: string): ParsedArgs {
	return { action: 'usage-error', message, usage };
}

function unexpected(name: string, arg: string): ParsedArgs {
	return usageError(`unexpected argument '${arg}'`, commandUsage(name));
}

function commandUsage(name: string): string {
	return COMMANDS[name].forms
		.map(
			(form, i) => `${i === 0 ? 'usage:' : '   or:'} ${PROGRAM} ${name}${form ? ` ${form}` : ''}`
		)
		.join('\n');
}

function commandHelp(name: string): string {
	const spec = COMMANDS[name];
	const summary = `${spec.summary[0].toUpperCase()}${spec.summary.slice(1)}.`;
	const lines = [commandUsage(name), '', summary];
	if (spec.details) lines.push(...spec.details);
	if (!spec.parse) lines.push('', 'Not available yet in this version.');
	return lines.join('\n');
}

export function programUsage(): string {
	const width = Math.max(...Object.keys(COMMANDS).map((name) => name.length));
	const commands = Object.entries(COMMANDS).map(
		([name, spec]) =>
			`  ${name.padEnd(width)}  ${spec.summary}${spec.parse ? '' : ' (not available yet)'}`
	);
	return [
		`usage: ${PROGRAM} <command> [arguments]`,
		'',
		'commands:',
		...commands,
		'',
		`'${PROGRAM} <command> --help' shows the arguments of one command.`,
		'The database is DATABASE_PATH (default data/kpi.duckdb); while the web server runs on it,',
		'commands are run by the server.'
	].join('\n');
}

/**
 * A password piped to `user add --password-stdin`, without the line breaks that end it: `echo`
 * adds one, a heredoc or an editor's file often two (the trailing blank line was kept as part of
 * the password, which then matched nothing typed at the login page). A line break inside it is
 * left for the password rule to refuse.
 */
export function passwordFromStdin(text: string): string {
	return text.replace(/[\r\n]+$/, '');
}
