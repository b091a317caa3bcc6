/**
 * What the command line prints of a file's cells (issue 10: an imported cell's ESC sequences
 * reached the terminal raw, able to clear the screen, retitle the window or hide lines).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../src/cli/build-check';

const TSX = path.join(PROJECT_ROOT, 'node_modules', '.bin', 'tsx');
const CLI = path.join(PROJECT_ROOT, 'src', 'cli', 'main.ts');

let dir: string;

function runCli(...args: string[]): Promise<{ code: number | null; stderr: string }> {
	return new Promise((resolve, reject) => {
		const cli = spawn(TSX, [CLI, ...args], {
			cwd: dir,
			env: { ...process.env, DATABASE_PATH: path.join(dir, 'kpi.duckdb') },
			stdio: ['ignore', 'ignore', 'pipe']
		});
		let stderr = '';
		cli.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
		cli.once('error', reject);
		cli.once('close', (code) => resolve({ code, stderr }));
	});
}

beforeAll(() => {
	dir = mkdtempSync(path.join(os.tmpdir(), 'kpi-cli-terminal-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('cells in the messages of the command line', () => {
	it('shows control characters of a rejected cell as \\x escapes, never raw', async () => {
		writeFileSync(
			path.join(dir, 'units.csv'),
			'code,name,level,parent_code\n' +
				'42,Tỉnh Hà Tĩnh,province,\n' +
				'43,Tỉnh Quảng Bình,\u001b[2J\u001b]0;pwned\u0007nation,\n' +
				'44,Tỉnh Quảng Trị,\u009b31mcommune\u007f,42\n'
		);
		const { code, stderr } = await runCli('import', 'units', 'units.csv');
		expect(code).toBe(1);
		for (const raw of ['\u001b', '\u0007', '\u009b', '\u007f']) expect(stderr).not.toContain(raw);
		// Each cell is refused twice: for its control character, and as no level we know.
		expect(stderr.split('\n')).toEqual([
			'units.csv:3: level: control character U+001B at position 1; remove it (\\x1b[2J\\x1b]0;pwned\\x07nation)',
			'units.csv:3: level: unknown level; expected province, department, district or commune (\\x1b[2J\\x1b]0;pwned\\x07nation)',
			'units.csv:4: level: control character U+009B at position 1; remove it (\\u009b31mcommune\\x7f)',
			'units.csv:4: level: unknown level; expected province, department, district or commune (\\u009b31mcommune\\x7f)',
			'units.csv: nothing was imported',
			''
		]);
	});
});
