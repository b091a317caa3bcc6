/**
 * Control characters are refused in every imported cell (issue 10: a dossier code
 * `ESC[31mESC-1ESC]0;pwned BEL` was stored, and a terminal showing it runs the escape sequences).
 * C0 controls other than tab, LF and CR, DEL, and the C1 controls U+0080–U+009F are never text a
 * clerk typed. Checked for every kind, on the cells as staged, before the kind's own checks.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { source, type Check } from './checks';
import { identifier } from './sql';
import type { StagedFile } from './stage';

/** RE2 class of the refused characters. */
const CONTROL_CHARACTER = '[\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\x7F-\\x{9F}]';

/**
 * The rows and columns holding a control character, in `import_control_cells`, and one check per
 * column of the file for them (the message names the first such character and its position).
 */
export async function controlCharacterChecks(
	db: Kysely<Database>,
	staged: StagedFile
): Promise<Check[]> {
	const columns = [...staged.headerOf.keys()];
	if (columns.length === 0) return [];
	const matches = (c: string) => sql`regexp_matches(${identifier(c)}, ${CONTROL_CHARACTER})`;
	// One scan picks the rows with any control character; only those are looked at per column.
	await sql`CREATE OR REPLACE TEMP TABLE import_control_cells AS
		WITH suspect AS (
			SELECT * FROM import_staged
			WHERE regexp_matches(concat(${sql.join(columns.map((c) => identifier(c)))}), ${CONTROL_CHARACTER}))
		${sql.join(
			columns.map((c) => sql`SELECT __row, ${c} AS column_name FROM suspect WHERE ${matches(c)}`),
			sql` UNION ALL `
		)}`.execute(db);
	return columns.map((c) => {
		const first = sql`regexp_extract(${source(c)}, ${CONTROL_CHARACTER})`;
		return {
			column: c,
			// As written: the CLI shows control characters as escapes (src/cli/terminal.ts).
			value: source(c),
			message: sql`'control character U+' || printf('%04X', unicode(${first})) || ' at position '
				|| strpos(${source(c)}, ${first}) || '; remove it'`,
			when: sql`__row IN (SELECT __row FROM import_control_cells WHERE column_name = ${c})`
		};
	});
}
