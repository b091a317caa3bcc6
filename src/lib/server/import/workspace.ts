/**
 * The private folder of one import: a fresh folder under the system's temp folder (mode 0700, as
 * `mkdtemp` makes it), removed with everything in it when the import ends, failed or not.
 *
 * DuckDB's readers (`read_csv`, `read_json`, `read_parquet`) take any path as a glob pattern and
 * have no switch to turn that off: `glob*.csv` reads every matching file, `a[1].csv` reads
 * `a1.csv` (issue 10). So they never see the user's path: they read `input`, a link with a fixed
 * name of letters to the one regular file the user named. Files an import writes for DuckDB (the
 * CSV of an XLSX sheet) go here too, mode 0600: the cells of a dossier log are nobody else's.
 */
import { mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** What DuckDB would read as a pattern (its glob syntax; braces for good measure). */
const GLOB_CHARACTERS = /[*?[\]{}]/;

export interface ImportWorkspace {
	/** A path to the named file that DuckDB reads literally. */
	input: string;
	/** A path for a file the import writes (create it with `PRIVATE_FILE_MODE`). */
	file(name: string): string;
	dispose(): Promise<void>;
}

export const PRIVATE_FILE_MODE = 0o600;

const PREFIX = 'kpi-import-';

/** A path in any import's folder (what DuckDB names in its errors), up to a quote or space. */
const WORKSPACE_PATH = new RegExp(`[^\\s"']*${PREFIX}[A-Za-z0-9]+[^\\s"']*`, 'g');

/**
 * `text` (a DuckDB error, say) with every path in an import's folder replaced by the file's name:
 * a message names the user's file, never the server's temporary folder (issue 10).
 */
export function withoutWorkspacePaths(text: string, name: string): string {
	return text.replace(WORKSPACE_PATH, name);
}

/** `file` must already be known to name one regular file (run.ts checks it). */
export async function openWorkspace(file: string, format: string): Promise<ImportWorkspace> {
	const dir = await mkdtemp(path.join(tmpdir(), PREFIX));
	const dispose = () => rm(dir, { recursive: true, force: true });
	try {
		// Only TMPDIR can bring pattern characters: mkdtemp adds letters and digits.
		if (GLOB_CHARACTERS.test(dir)) {
			throw new Error(`the temporary folder ${dir} has *, ?, [, ] or { } in its path; set TMPDIR`);
		}
		const input = path.join(dir, `input.${format}`);
		await symlink(path.resolve(file), input);
		return { input, file: (name) => path.join(dir, name), dispose };
	} catch (error) {
		await dispose();
		throw error;
	}
}
