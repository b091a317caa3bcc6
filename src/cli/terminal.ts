/**
 * Where the command line prints. Messages carry cells of the user's files (a rejected value is
 * shown in parentheses), and a cell may hold terminal control sequences: ESC … can clear the
 * screen, retitle the window, hide or rewrite lines (issue 10). So every control character but
 * the line break and the tab is shown as an escape (`\x1b`, `\u009b`), as are the bidirectional
 * overrides that reorder what a line seems to say.
 */
import type { CommandOutput } from '../lib/server/commands';

/** C0 controls except tab and line feed, DEL, C1 controls; bidi embeddings, overrides, isolates. */
// eslint-disable-next-line no-control-regex -- finding control characters is what it is for
const UNPRINTABLE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

export function printable(text: string): string {
	return text.replace(UNPRINTABLE, (c) => {
		const code = c.charCodeAt(0);
		return code < 0x80
			? `\\x${code.toString(16).padStart(2, '0')}`
			: `\\u${code.toString(16).padStart(4, '0')}`;
	});
}

export const terminal: CommandOutput = {
	out: (line) => process.stdout.write(`${printable(line)}\n`),
	err: (line) => process.stderr.write(`${printable(line)}\n`)
};
