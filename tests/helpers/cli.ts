/** `npm run cli -- …` as tests run it: the real CLI process on a database file. */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/cli/build-check';

export function runCli(
	dbPath: string,
	...args: string[]
): Promise<{ code: number | null; stdout: string }> {
	return new Promise((resolve, reject) => {
		const child = spawn(
			path.join(PROJECT_ROOT, 'node_modules', '.bin', 'tsx'),
			[path.join(PROJECT_ROOT, 'src', 'cli', 'main.ts'), ...args],
			{ env: { ...process.env, DATABASE_PATH: dbPath }, stdio: ['ignore', 'pipe', 'inherit'] }
		);
		let stdout = '';
		child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
		child.once('error', reject);
		child.once('close', (code) => resolve({ code, stdout }));
	});
}
