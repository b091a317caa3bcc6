/**
 * What an import replaces, kept so that it can be undone (issue 14): before a merge changes a
 * stored row, the row as it was is copied to `import_replaced_<table>` under the batch's id
 * (migration 8). Only the columns of the table itself: nothing is kept that the table did not
 * already hold. Rows the batch inserts need no copy; they carry its `import_batch_id`.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../../db/schema';

/** Each kept table: the stored table it copies and the columns copied, in the kept table's order. */
export const KEPT = {
	dossiers: {
		table: 'dossiers',
		columns: [
			'dossier_code',
			'procedure_code',
			'unit_code',
			'unit_version_id',
			'channel',
			'received_at',
			'due_at',
			'completed_at',
			'status',
			'online_level',
			'fee_required',
			'paid_online',
			'dossier_digitized',
			'result_digitized',
			'data_reused',
			'portal_synced',
			'rating',
			'import_batch_id'
		]
	},
	units: {
		table: 'unit_versions',
		columns: [
			'id',
			'code',
			'name',
			'level',
			'parent_code',
			'valid_from',
			'valid_to',
			'import_batch_id',
			'agency_code'
		]
	},
	procedures: {
		table: 'procedures',
		columns: [
			'code',
			'name',
			'level',
			'field',
			'online_level',
			'has_fee',
			'online_payment',
			'unit_code',
			'active',
			'import_batch_id'
		]
	},
	campaigns: {
		table: 'campaigns',
		columns: ['id', 'name', 'starts_on', 'ends_on', 'import_batch_id', 'unit_code']
	},
	targets: {
		table: 'targets',
		columns: ['campaign_id', 'unit_code', 'kpi', 'level', 'target', 'import_batch_id']
	}
} as const;

export type Kept = keyof typeof KEPT;

export const keptTable = (kept: Kept) => sql.table(`import_replaced_${kept}`);

export const keptColumns = (kept: Kept, prefix = '') =>
	sql.join(KEPT[kept].columns.map((c) => (prefix ? sql.ref(`${prefix}.${c}`) : sql.id(c))));

/** Copies the stored rows `where` selects (before the batch changes them) under `batchId`. */
export async function keepReplaced(
	db: Kysely<Database>,
	kept: Kept,
	batchId: number,
	where: RawBuilder<unknown>
): Promise<void> {
	await sql`INSERT INTO ${keptTable(kept)} (batch_id, ${keptColumns(kept)})
		SELECT ${batchId}, ${keptColumns(kept)} FROM ${sql.table(KEPT[kept].table)}
		WHERE ${where}`.execute(db);
}
