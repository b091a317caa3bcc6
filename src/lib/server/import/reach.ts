/**
 * The units an import reaches: logged for the data page (migration 005, `import_batch_units`),
 * and, for an upload by someone below an administrator, kept within the uploader's scope. A
 * reform team of a district may load its district's dossiers; a file that would change another
 * district's rows (or, for procedures without an owner, the whole province's catalogue) is
 * rejected as a whole, like a file with an invalid row.
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { fileError } from './errors';
import type { RecordKind } from './kinds/context';

/** After the merge, in its transaction: the unit versions the file touched, logged. */
export async function noteTouchedUnits(
	trx: Kysely<Database>,
	batchId: number,
	record: RecordKind
): Promise<void> {
	await stageTouchedUnits(trx, record);
	await sql`INSERT INTO import_batch_units SELECT ${batchId}, unit_version_id FROM import_touched`.execute(
		trx
	);
}

/**
 * `import_touched`: the unit versions the file touches. After the merge, every one; before it (a
 * check of the upload page), those that exist already: a unit the file itself adds is not known yet.
 */
export async function stageTouchedUnits(db: Kysely<Database>, record: RecordKind): Promise<void> {
	await sql`CREATE OR REPLACE TEMP TABLE import_touched AS
		SELECT DISTINCT unit_version_id FROM (${record.touchedUnits}) WHERE unit_version_id IS NOT NULL`.execute(
		db
	);
}

/**
 * Rejects the file when it touched a unit version outside `allowed` (a scope: closed under
 * descendants, so a version added by the file is inside when its parent is). Runs after
 * `noteTouchedUnits`, in the same transaction, which the rejection rolls back.
 */
export async function checkReach(
	trx: Kysely<Database>,
	file: string,
	record: RecordKind,
	allowed: readonly number[]
): Promise<void> {
	await sql`CREATE OR REPLACE TEMP TABLE import_allowed AS
		SELECT DISTINCT id FROM (SELECT TRY_CAST(unnest(string_split(${allowed.join(',')}, ',')) AS INTEGER) AS id)
		WHERE id IS NOT NULL`.execute(trx);
	const { rows } = await sql<{
		outside: number;
		example: string | null;
	}>`SELECT count(*) AS outside,
			min(u.code || ' (' || u.name || ')') AS example
		FROM import_touched t JOIN unit_versions u ON u.id = t.unit_version_id
		WHERE NOT EXISTS (SELECT 1 FROM unit_closure c JOIN import_allowed a ON a.id = c.ancestor_id
			WHERE c.descendant_id = t.unit_version_id)`.execute(trx);
	if (rows[0].outside > 0) {
		throw fileError(
			file,
			`this file changes ${plural(rows[0].outside, 'unit', 'units')} outside your scope, for example ${rows[0].example}; ` +
				'import only your units, or ask a reform team whose scope holds them'
		);
	}
	if (!record.provinceWide) return;
	const { rows: wide } = await sql<{ rows: number }>`SELECT count(*) AS rows
		FROM (${record.provinceWide})`.execute(trx);
	const { rows: roots } = await sql<{ roots: number }>`SELECT count(*) AS roots FROM unit_versions u
		JOIN import_allowed a ON a.id = u.id WHERE u.parent_id IS NULL`.execute(trx);
	if (wide[0].rows > 0 && roots[0].roots === 0) {
		throw fileError(
			file,
			`${plural(wide[0].rows, 'row applies', 'rows apply')} to the whole province (no unit_code), beyond your scope; ` +
				'only a reform team of the province or an administrator may import them'
		);
	}
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
