/**
 * Where a long task writes its lines: a terminal, the control socket back to the CLI, a test's
 * recorder. Below both the commands and what they run (the demo), so neither imports the other.
 */
export interface CommandOutput {
	out(line: string): void;
	err(line: string): void;
}
