/**
 * What makes `demo` on a used database give the same database as on a new one: every data table
 * emptied first, and afterwards the ids the sequences handed out renumbered from 1, as a new
 * database numbers them (DuckDB cannot restart a sequence that a column default uses).
 */
import { sql, type Kysely } from 'kysely';
import type { Database } from '../db';
import { rebuildTree } from '../import/kinds/units';

/**
 * Everything but `schema_migrations` and the accounts; the import history goes too, it described
 * the old data, and so do the reports published from it (their unit versions are renumbered).
 */
const DATA_TABLES = [
	'import_drafts',
	'published_reports',
	'unit_lineage',
	'dossiers',
	'targets',
	'campaigns',
	'procedures',
	'unit_closure',
	'unit_versions',
	'import_batch_units',
	'import_errors',
	'import_replaced_dossiers',
	'import_replaced_units',
	'import_replaced_procedures',
	'import_replaced_campaigns',
	'import_replaced_targets',
	'import_batches'
] as const;

export async function emptyDataTables(db: Kysely<Database>): Promise<void> {
	await db.transaction().execute(async (trx) => {
		for (const table of DATA_TABLES) await trx.deleteFrom(table).execute();
	});
}

interface Reference {
	table: string;
	column: string;
}

/**
 * Tables whose ids come from a sequence, the order of their new ids (by content, so it does not
 * depend on the order an importer inserted rows in), and the columns that refer to them.
 */
const NUMBERED: { table: string; order: string; references: Reference[] }[] = [
	{
		table: 'import_batches',
		order: 'id',
		references: [
			...['unit_versions', 'procedures', 'campaigns', 'targets', 'dossiers'].map((table) => ({
				table,
				column: 'import_batch_id'
			})),
			{ table: 'import_batch_units', column: 'batch_id' },
			{ table: 'import_errors', column: 'batch_id' },
			{ table: 'import_batches', column: 'duplicate_of' },
			...['dossiers', 'units', 'procedures', 'campaigns', 'targets'].flatMap((kept) =>
				['batch_id', 'import_batch_id'].map((column) => ({
					table: `import_replaced_${kept}`,
					column
				}))
			)
		]
	},
	{
		table: 'campaigns',
		order: 'starts_on, name',
		references: [
			{ table: 'targets', column: 'campaign_id' },
			{ table: 'import_replaced_campaigns', column: 'id' },
			{ table: 'import_replaced_targets', column: 'campaign_id' }
		]
	},
	// Top down, old tree first; parent_id, path and the closure are rebuilt from codes and dates.
	{
		table: 'unit_versions',
		order: 'valid_from NULLS FIRST, depth, code',
		references: [
			{ table: 'import_batch_units', column: 'unit_version_id' },
			{ table: 'import_replaced_units', column: 'id' },
			{ table: 'import_replaced_dossiers', column: 'unit_version_id' }
		]
	}
];

/** Ids 1, 2, … as in a new database; run on the demo's own rows only. */
export async function renumberIds(db: Kysely<Database>): Promise<void> {
	await db.transaction().execute(async (conn) => {
		for (const { table, order, references } of NUMBERED)
			await renumber(conn, table, order, references);
		await rebuildTree(conn);
		await sql`DROP TABLE import_tree`.execute(conn);
	});
}

async function renumber(
	db: Kysely<Database>,
	table: string,
	order: string,
	references: Reference[]
): Promise<void> {
	await sql`CREATE OR REPLACE TEMP TABLE demo_id_map AS
		SELECT id AS old_id, CAST(row_number() OVER (ORDER BY ${sql.raw(order) /* NUMBERED's own constant order */}) AS INTEGER) AS new_id
		FROM ${sql.table(table)}`.execute(db);
	const { rows } = await sql<{ moved: number }>`SELECT count(*) AS moved FROM demo_id_map
		WHERE old_id <> new_id`.execute(db);
	if (rows[0].moved > 0) {
		// A primary key cannot be updated in place while old and new ids overlap: copy, empty, refill.
		await sql`CREATE OR REPLACE TEMP TABLE demo_renumbered AS
			SELECT t.* REPLACE (m.new_id AS id) FROM ${sql.table(table)} t
			JOIN demo_id_map m ON m.old_id = t.id`.execute(db);
		await sql`DELETE FROM ${sql.table(table)}`.execute(db);
		await sql`INSERT INTO ${sql.table(table)} SELECT * FROM demo_renumbered ORDER BY id`.execute(
			db
		);
		for (const { table: referring, column } of references) {
			await sql`UPDATE ${sql.table(referring)} SET ${sql.id(column)} = m.new_id FROM demo_id_map m
				WHERE ${sql.table(referring)}.${sql.id(column)} = m.old_id`.execute(db);
		}
		await sql`DROP TABLE demo_renumbered`.execute(db);
	}
	await sql`DROP TABLE demo_id_map`.execute(db);
}
