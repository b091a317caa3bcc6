import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { passwordProblem } from '../lib/server/auth/passwords';
import { parseArgs, passwordFromStdin, programUsage } from './args';

const cwd = '/home/user/exports';

describe('parseArgs', () => {
	it('resolves the import file against the working directory and keeps what was typed', () => {
		expect(parseArgs(['import', 'units', 'data/units.csv'], cwd)).toEqual({
			action: 'run',
			command: {
				name: 'import',
				kind: 'units',
				file: '/home/user/exports/data/units.csv',
				displayName: 'data/units.csv'
			}
		});
	});

	it('keeps an absolute import file as it is', () => {
		const parsed = parseArgs(['import', 'dossiers', '/tmp/hs.xlsx'], cwd);
		expect(parsed).toMatchObject({ action: 'run', command: { file: '/tmp/hs.xlsx' } });
	});

	it('parses demo', () => {
		expect(parseArgs(['demo'], cwd)).toEqual({ action: 'run', command: { name: 'demo' } });
	});

	it('shows the program usage for --help and -h', () => {
		expect(parseArgs(['--help'], cwd)).toEqual({ action: 'help', text: programUsage() });
		expect(parseArgs(['-h'], cwd)).toEqual({ action: 'help', text: programUsage() });
	});

	it('shows a command usage for --help after the command, whatever else is there', () => {
		const parsed = parseArgs(['import', 'nonsense', '--help'], cwd);
		expect(parsed.action).toBe('help');
		if (parsed.action === 'help') {
			expect(parsed.text.split('\n')[0]).toBe(
				'usage: npm run cli -- import <units|procedures|dossiers|targets> <file>'
			);
		}
	});

	it('gives help for every form of a command', () => {
		const user = parseArgs(['user', '-h'], cwd);
		expect(user.action).toBe('help');
		if (user.action === 'help') {
			expect(user.text).toContain('usage: npm run cli -- user add --username <u>');
			expect(user.text).toContain('   or: npm run cli -- user list --json');
			expect(user.text).not.toContain('Not available yet');
		}
		const index = parseArgs(['index', '-h'], cwd);
		expect(index.action === 'help' && index.text).toContain(
			'usage: npm run cli -- index --unit <code> --from <YYYY-MM-DD> --to <YYYY-MM-DD> --json'
		);
		expect(index.action === 'help' && index.text).not.toContain('Not available yet');
		const report = parseArgs(['report', '-h'], cwd);
		expect(report.action === 'help' && report.text).not.toContain('Not available yet');
	});

	it('refuses a missing command with the program usage', () => {
		expect(parseArgs([], cwd)).toEqual({
			action: 'usage-error',
			message: 'missing command',
			usage: programUsage()
		});
	});

	it('refuses an unknown command', () => {
		expect(parseArgs(['imprt', 'units', 'a.csv'], cwd)).toMatchObject({
			action: 'usage-error',
			message: "unknown command 'imprt'"
		});
	});

	it('refuses an unknown kind, naming the four kinds', () => {
		expect(parseArgs(['import', 'x', 'a.csv'], cwd)).toMatchObject({
			action: 'usage-error',
			message: "unknown kind 'x'; expected units, procedures, dossiers or targets"
		});
	});

	it('refuses an import without a kind or without a file', () => {
		expect(parseArgs(['import'], cwd)).toMatchObject({
			message: 'missing the kind; expected units, procedures, dossiers or targets'
		});
		expect(parseArgs(['import', 'units'], cwd)).toMatchObject({
			message: 'missing the file to import'
		});
	});

	it('refuses extra arguments and unknown options', () => {
		expect(parseArgs(['import', 'units', 'a.csv', 'b.csv'], cwd)).toMatchObject({
			message: "unexpected argument 'b.csv'"
		});
		expect(parseArgs(['import', '--force', 'units', 'a.csv'], cwd)).toMatchObject({
			message: "unknown option '--force'"
		});
		expect(parseArgs(['demo', 'now'], cwd)).toMatchObject({
			message: "unexpected argument 'now'"
		});
	});

	it('parses kpi with its three options and --json', () => {
		expect(
			parseArgs(
				['kpi', '--unit', '42', '--from', '2024-05-09', '--to', '2024-09-30', '--json'],
				cwd
			)
		).toEqual({
			action: 'run',
			command: { name: 'kpi', unit: '42', from: '2024-05-09', to: '2024-09-30', json: true }
		});
	});

	it('refuses kpi with a malformed or impossible date, --from after --to, or a missing option', () => {
		const kpi = (...args: string[]) => parseArgs(['kpi', ...args], cwd);
		expect(kpi('--unit', '42', '--from', '09/05/2024', '--to', '2024-09-30')).toMatchObject({
			message: '--from 09/05/2024 is not a date; expected YYYY-MM-DD'
		});
		expect(kpi('--unit', '42', '--from', '2024-02-30', '--to', '2024-09-30')).toMatchObject({
			message: '--from 2024-02-30 is not a date; expected YYYY-MM-DD'
		});
		expect(kpi('--unit', '42', '--from', '2024-10-01', '--to', '2024-09-30')).toMatchObject({
			message: '--from 2024-10-01 is after --to 2024-09-30'
		});
		expect(kpi('--from', '2024-05-09', '--to', '2024-09-30')).toMatchObject({
			message: 'missing --unit'
		});
		expect(kpi('--unit')).toMatchObject({ message: '--unit needs a value' });
	});

	it('refuses kpi with a period outside 2000–2100 or longer than ten years (exit 2)', () => {
		const kpi = (from: string, to: string) =>
			parseArgs(['kpi', '--unit', '42', '--from', from, '--to', to], cwd);
		expect(kpi('9999-12-01', '9999-12-31')).toEqual({
			action: 'usage-error',
			message: '--from 9999-12-01 is outside 2000-01-01 to 2100-12-31',
			usage: expect.any(String)
		});
		expect(kpi('0001-01-01', '2025-01-31')).toMatchObject({
			message: '--from 0001-01-01 is outside 2000-01-01 to 2100-12-31'
		});
		expect(kpi('2025-01-01', '2101-01-01')).toMatchObject({
			message: '--to 2101-01-01 is outside 2000-01-01 to 2100-12-31'
		});
		expect(kpi('2000-01-01', '2100-12-31')).toMatchObject({
			message: '--from 2000-01-01 to --to 2100-12-31 is longer than 10 years, the longest period'
		});
		expect(kpi('2021-01-01', '2030-12-31')).toMatchObject({ action: 'run' });
	});

	it('parses user add with the password to come from standard input, never the command line', () => {
		expect(
			parseArgs(
				[
					'user',
					'add',
					'--username',
					'canloc.head',
					'--role',
					'unit_head',
					'--unit',
					'443',
					'--password-stdin'
				],
				cwd
			)
		).toEqual({
			action: 'run',
			command: {
				name: 'user-add',
				username: 'canloc.head',
				role: 'unit_head',
				unit: '443',
				password: ''
			}
		});
		expect(
			parseArgs(['user', 'add', '--username', 'a', '--role', 'leader', '--unit', '42'], cwd)
		).toMatchObject({ message: 'give the password on standard input with --password-stdin' });
		expect(parseArgs(['user', 'add', '--username', 'a', '--password', 'x'], cwd)).toMatchObject({
			message: "unknown option '--password'"
		});
	});

	it('parses user disable and user list', () => {
		expect(parseArgs(['user', 'disable', '--username', 'a'], cwd)).toEqual({
			action: 'run',
			command: { name: 'user-disable', username: 'a' }
		});
		expect(parseArgs(['user', 'list', '--json'], cwd)).toEqual({
			action: 'run',
			command: { name: 'user-list', json: true }
		});
		expect(parseArgs(['user', 'remove'], cwd)).toMatchObject({
			message: "unknown user action 'remove'"
		});
	});

	it('parses token create', () => {
		expect(
			parseArgs(['token', 'create', '--username', 'ioc', '--name', 'Trung tâm IOC'], cwd)
		).toEqual({
			action: 'run',
			command: { name: 'token-create', username: 'ioc', label: 'Trung tâm IOC' }
		});
		expect(parseArgs(['token', 'create', '--username', 'ioc'], cwd)).toMatchObject({
			message: 'missing --name'
		});
	});

	it('reads the report command, with the file where it was asked, and refuses what it cannot make', () => {
		expect(
			parseArgs(
				['report', '--unit', '42', '--month', '2026-10', '--format', 'pdf', '--out', 'r.pdf'],
				cwd
			)
		).toEqual({
			action: 'run',
			command: {
				name: 'report',
				unit: '42',
				month: '2026-10',
				format: 'pdf',
				out: path.resolve(cwd, 'r.pdf')
			}
		});
		const refused = (args: string[]) => parseArgs(['report', ...args], cwd);
		const all = ['--unit', '42', '--month', '2026-10', '--format', 'xlsx', '--out', 'r.xlsx'];
		expect(refused(all.slice(2))).toMatchObject({ message: 'missing --unit' });
		expect(refused(all.slice(0, 6))).toMatchObject({ message: 'missing --out' });
		for (const month of ['2026-13', '10/2026', '9999-12']) {
			expect(refused(all.map((a) => (a === '2026-10' ? month : a)))).toMatchObject({
				action: 'usage-error',
				message: expect.stringContaining('--month')
			});
		}
		expect(refused(all.map((a) => (a === 'xlsx' ? 'docx' : a)))).toMatchObject({
			message: '--format docx: expected xlsx, pdf or csv'
		});
	});

	it("reads a campaign window's report in place of a month, never both or neither", () => {
		const campaign = ['--unit', '42', '--campaign', '3', '--format', 'csv', '--out', 'r.zip'];
		expect(parseArgs(['report', ...campaign], cwd)).toEqual({
			action: 'run',
			command: {
				name: 'report',
				unit: '42',
				campaign: '3',
				format: 'csv',
				out: path.resolve(cwd, 'r.zip')
			}
		});
		const refused = (args: string[]) => parseArgs(['report', ...args], cwd);
		expect(refused([...campaign, '--month', '2026-10'])).toMatchObject({
			message: 'give either --month or --campaign'
		});
		expect(refused(campaign.filter((a) => a !== '--campaign' && a !== '3'))).toMatchObject({
			message: 'give either --month or --campaign'
		});
		expect(refused(campaign.map((a) => (a === '3' ? 'Cao điểm' : a)))).toMatchObject({
			message: expect.stringContaining("expected the campaign's number")
		});
	});

	it('reads backup with the file where it was asked, replacing one only with --force', () => {
		expect(parseArgs(['backup', 'backups/kpi-2026-12-01.duckdb'], cwd)).toEqual({
			action: 'run',
			command: {
				name: 'backup',
				file: '/home/user/exports/backups/kpi-2026-12-01.duckdb',
				displayName: 'backups/kpi-2026-12-01.duckdb',
				force: false
			}
		});
		for (const args of [
			['--force', '/srv/kpi.duckdb'],
			['/srv/kpi.duckdb', '--force']
		]) {
			expect(parseArgs(['backup', ...args], cwd)).toMatchObject({
				command: { name: 'backup', file: '/srv/kpi.duckdb', force: true }
			});
		}
		const usage = 'usage: npm run cli -- backup <file> [--force]';
		expect(parseArgs(['backup'], cwd)).toEqual({
			action: 'usage-error',
			message: 'missing the backup file',
			usage
		});
		expect(parseArgs(['backup', 'a.duckdb', 'b.duckdb'], cwd)).toMatchObject({
			message: "unexpected argument 'b.duckdb'",
			usage
		});
		expect(parseArgs(['backup', 'a.duckdb', '--overwrite'], cwd)).toMatchObject({
			message: "unknown option '--overwrite'",
			usage
		});
	});

	it('reads restore with the file where it was asked, and takes no option', () => {
		expect(parseArgs(['restore', 'kpi-2026-12-01.duckdb'], cwd)).toEqual({
			action: 'run',
			command: {
				name: 'restore',
				file: '/home/user/exports/kpi-2026-12-01.duckdb',
				displayName: 'kpi-2026-12-01.duckdb'
			}
		});
		const usage = 'usage: npm run cli -- restore <file>';
		expect(parseArgs(['restore'], cwd)).toEqual({
			action: 'usage-error',
			message: 'missing the backup file',
			usage
		});
		expect(parseArgs(['restore', 'a.duckdb', '--force'], cwd)).toMatchObject({
			message: "unknown option '--force'",
			usage
		});
		expect(parseArgs(['restore', 'a.duckdb', 'b.duckdb'], cwd)).toMatchObject({
			message: "unexpected argument 'b.duckdb'"
		});
	});

	it("explains backup and restore in their help, with the contract's words", () => {
		const help = (name: string) => {
			const parsed = parseArgs([name, '--help'], cwd);
			return parsed.action === 'help' ? parsed.text : '';
		};
		expect(help('backup').split('\n')).toEqual([
			'usage: npm run cli -- backup <file> [--force]',
			'',
			'Write a consistent snapshot of the database, also while the server runs.',
			'The snapshot is a DuckDB file, written under a temporary name and renamed when complete.',
			'A file already at <file> is refused; --force replaces it.'
		]);
		expect(help('restore').split('\n').slice(0, 3)).toEqual([
			'usage: npm run cli -- restore <file>',
			'',
			'Replace the database with a snapshot (server stopped); refuses a file that is not one.'
		]);
		expect(help('restore')).toContain('<database>.before-restore-<date>-<time>');
		const usage = programUsage();
		expect(usage).toMatch(
			/^ {2}backup +write a consistent snapshot of the database, also while the server runs$/m
		);
		expect(usage).toMatch(
			/^ {2}restore +replace the database with a snapshot \(server stopped\); refuses a file that is not one$/m
		);
	});

	it('parses index as kpi, with the same refusals', () => {
		expect(
			parseArgs(
				['index', '--unit', '42', '--from', '2024-01-01', '--to', '2024-01-31', '--json'],
				cwd
			)
		).toEqual({
			action: 'run',
			command: { name: 'index', unit: '42', from: '2024-01-01', to: '2024-01-31', json: true }
		});
		expect(parseArgs(['index', '--unit', '42'], cwd)).toMatchObject({
			action: 'usage-error',
			message: 'missing --from'
		});
		expect(
			parseArgs(['index', '--unit', '42', '--from', '2024-02-01', '--to', '2024-01-31'], cwd)
		).toMatchObject({
			action: 'usage-error',
			message: '--from 2024-02-01 is after --to 2024-01-31'
		});
	});

	it('does not take an inherited property name for a command', () => {
		expect(parseArgs(['toString'], cwd)).toMatchObject({
			message: "unknown command 'toString'"
		});
	});
});

describe('a password read from standard input', () => {
	it('loses every line break that ends it, the blank line of a heredoc included', () => {
		expect(passwordFromStdin('mật-khẩu-dài-2026\n')).toBe('mật-khẩu-dài-2026');
		expect(passwordFromStdin('mật-khẩu-dài-2026\n\n')).toBe('mật-khẩu-dài-2026');
		expect(passwordFromStdin('mật-khẩu-dài-2026\r\n\r\n')).toBe('mật-khẩu-dài-2026');
	});

	it('keeps what is inside it, spaces at its end and a line break within, for the rule to judge', () => {
		expect(passwordFromStdin('hai dòng\nmật khẩu\n')).toBe('hai dòng\nmật khẩu');
		expect(passwordFromStdin('kết thúc bằng dấu cách ')).toBe('kết thúc bằng dấu cách ');
		expect(passwordProblem('hai dòng\nmật khẩu')).toBe(
			'the password must be one line, without control characters'
		);
	});
});
