/**
 * Undoing an import (issue 14): every row it inserted is deleted, every row it updated gets back
 * the values it had (kept by replaced.ts), and the aggregates those rows feed are recounted, all
 * in one transaction; the batch is then `undone`.
 *
 * A later import may have built on this one. The rule chosen: undo is refused, naming that
 * import, when a later import still in force (done, not undone) replaced a row this one wrote,
 * or stored rows that need a row this one added (dossiers of a procedure or unit version it
 * added, targets of a campaign it created, a unit version under one it added). Undo that later
 * import first; then this one. Rows a later import found unchanged are not its own: they are
 * this import's, and go with it.
 *
 * The campaigns editor's saves (import/kinds/campaign-edit.ts) also remove targets (a cleared
 * cell) and rename campaigns: their undo puts the removed targets back and the old name, and is
 * refused when a later import set a target again that the save removed, or gave the old name to
 * another campaign.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import { formatDateTime } from '../../../domain/format';
import type { ImportKind } from '../../../domain/types';
import type { Database } from '../../db/schema';
import { noteAffected, rebuildAggregates, refreshAggregates } from '../../kpi/aggregates';
import { validFrom, validOn, validTo } from '../../units/validity';
import { rebuildTree } from '../kinds/units';
import { loggedNow } from '../batches';
import { dropImportTables } from '../run';
import { KEPT, keptColumns, keptTable, type Kept } from './replaced';

export interface UndoCounts {
	/** Rows the import had inserted, now deleted. */
	deleted: number;
	/** Rows the import had updated, now as they were before it. */
	restored: number;
}

/** An earlier or later import, as a refusal names it. */
export interface ImportRef {
	id: number;
	file_name: string;
	finished_at: string | null;
}

export class UndoRefused extends Error {
	constructor(
		message: string,
		/** The later import that stands in the way, when that is the reason. */
		readonly blocking: ImportRef | null = null
	) {
		super(message);
	}
}

type Trx = Kysely<Database>;

/**
 * Undoes the done import `batchId` as `by` (a username); refuses with the reason when it is not
 * done, was logged before undo was kept, or a later import depends on it.
 */
export async function undoImport(
	db: Kysely<Database>,
	batchId: number,
	by: string
): Promise<UndoCounts> {
	return db.connection().execute(async (conn) => {
		try {
			return await conn.transaction().execute(async (trx) => {
				const batch = await trx
					.selectFrom('import_batches')
					.select(['kind', 'status', 'undoable', 'undone_at', 'undone_by'])
					.where('id', '=', batchId)
					.executeTakeFirst();
				if (!batch) throw new UndoRefused(`there is no import ${batchId}`);
				if (batch.status === 'undone') {
					throw new UndoRefused(
						`this import was already undone on ${formatDateTime(batch.undone_at!)} by ${batch.undone_by}`
					);
				}
				if (batch.status !== 'done') {
					throw new UndoRefused(
						`only a finished import can be undone; this one is ${batch.status}`
					);
				}
				if (!batch.undoable) {
					throw new UndoRefused(
						'this import was made before imports kept what they replaced; it cannot be undone'
					);
				}
				const counts = await UNDO[batch.kind](trx, batchId);
				await trx
					.updateTable('import_batches')
					.set({
						status: 'undone',
						undone_at: loggedNow(),
						undone_by: by
					})
					.where('id', '=', batchId)
					.execute();
				return counts;
			});
		} finally {
			await dropImportTables(conn);
		}
	});
}

const UNDO: Record<ImportKind, (trx: Trx, batchId: number) => Promise<UndoCounts>> = {
	dossiers: undoDossiers,
	units: undoUnits,
	procedures: undoProcedures,
	targets: undoTargets
};

async function describe(trx: Trx, id: number): Promise<ImportRef> {
	const row = await trx
		.selectFrom('import_batches')
		.select(['id', 'file_name', 'finished_at'])
		.where('id', '=', id)
		.executeTakeFirst();
	if (!row) return { id, file_name: '?', finished_at: null };
	// A command logs the path as typed: the name alone, as everywhere a user reads it.
	return { ...row, file_name: row.file_name.split(/[\\/]/).at(-1) || row.file_name };
}

const named = (ref: ImportRef) =>
	`import ${ref.id} (${ref.file_name}` +
	(ref.finished_at ? `, ${formatDateTime(ref.finished_at)})` : ')');

async function refuseFor(trx: Trx, id: number, what: string): Promise<never> {
	const ref = await describe(trx, id);
	throw new UndoRefused(`${named(ref)} ${what}; undo that import first`, ref);
}

/** The first later import in force that replaced a row this batch wrote, in any of `kept`. */
async function refuseIfReplacedLater(trx: Trx, batchId: number, kept: Kept[]): Promise<void> {
	for (const table of kept) {
		const { rows } = await sql<{ id: number | null }>`SELECT min(r.batch_id) AS id
			FROM ${keptTable(table)} r JOIN import_batches b ON b.id = r.batch_id
			WHERE r.import_batch_id = ${batchId} AND b.status = 'done'`.execute(trx);
		if (rows[0].id !== null) {
			await refuseFor(
				trx,
				rows[0].id,
				`later changed rows this import wrote (${KEPT[table].table})`
			);
		}
	}
}

/** Refuses when `query` (one column `batch`: the import of a dependent row) finds any. */
async function refuseIfDepends(trx: Trx, query: RawBuilder<unknown>, what: string): Promise<void> {
	const { rows } = await sql<{ batch: number | null; n: number }>`SELECT min(batch) AS batch,
		count(*) AS n FROM (${query})`.execute(trx);
	const { batch, n } = rows[0];
	if (batch !== null) await refuseFor(trx, batch, what);
	if (n > 0) {
		throw new UndoRefused(
			`${n} stored rows logged by no import depend on this one; it cannot be undone`
		);
	}
}

async function count(trx: Trx, query: RawBuilder<unknown>): Promise<number> {
	const { rows } = await sql<{ n: number }>`SELECT count(*) AS n FROM (${query})`.execute(trx);
	return rows[0].n;
}

async function undoDossiers(trx: Trx, batchId: number): Promise<UndoCounts> {
	await refuseIfReplacedLater(trx, batchId, ['dossiers']);
	// The old values, each under the version of its unit code valid on its received day now: a
	// units import since may have moved it (units.ts reresolveDossiers).
	await sql`CREATE OR REPLACE TEMP TABLE import_restored AS
		SELECT r.* EXCLUDE (batch_id) REPLACE (coalesce(uv.id, r.unit_version_id) AS unit_version_id)
		FROM ${keptTable('dossiers')} r
		LEFT JOIN unit_versions uv ON uv.code = r.unit_code
			AND ${validOn('uv', sql`CAST(r.received_at AS DATE)`)}
		WHERE r.batch_id = ${batchId}`.execute(trx);
	const ours = sql`import_batch_id = ${batchId}`;
	await noteAffected(trx, ours);
	await noteAffected(trx, sql`true`, sql`import_restored`);
	const written = await count(trx, sql`SELECT 1 FROM dossiers WHERE ${ours}`);
	const restored = await count(trx, sql`SELECT 1 FROM import_restored`);
	await sql`DELETE FROM dossiers WHERE ${ours}`.execute(trx);
	await sql`INSERT INTO dossiers (${keptColumns('dossiers')})
		SELECT ${keptColumns('dossiers')} FROM import_restored`.execute(trx);
	await refreshAggregates(trx);
	return { deleted: written - restored, restored };
}

async function undoUnits(trx: Trx, batchId: number): Promise<UndoCounts> {
	await refuseIfReplacedLater(trx, batchId, ['units']);
	await sql`CREATE OR REPLACE TEMP TABLE import_added AS SELECT id, code FROM unit_versions
		WHERE import_batch_id = ${batchId}
		AND id NOT IN (SELECT id FROM ${keptTable('units')} WHERE batch_id = ${batchId})`.execute(trx);
	await refuseIfDepends(
		trx,
		sql`SELECT u.import_batch_id AS batch FROM unit_versions u
			WHERE u.parent_id IN (SELECT id FROM import_added) AND u.id NOT IN (SELECT id FROM import_added)`,
		'added units under units this import added'
	);
	const deleted = await count(trx, sql`SELECT 1 FROM import_added`);
	const restored = await count(
		trx,
		sql`SELECT 1 FROM ${keptTable('units')} WHERE batch_id = ${batchId}`
	);
	await sql`DELETE FROM unit_versions WHERE id IN (SELECT id FROM import_added)`.execute(trx);
	await sql`UPDATE unit_versions SET name = r.name, level = r.level, parent_code = r.parent_code,
			valid_to = r.valid_to, agency_code = r.agency_code, import_batch_id = r.import_batch_id
		FROM ${keptTable('units')} r WHERE r.batch_id = ${batchId} AND unit_versions.id = r.id`.execute(
		trx
	);
	// An agency code put back that a later import gave to another unit valid on the same days.
	await refuseIfDepends(
		trx,
		sql`SELECT o.import_batch_id AS batch FROM ${keptTable('units')} r
			JOIN unit_versions o ON o.agency_code = r.agency_code AND o.code <> r.code
			AND ${validFrom('o')} <= ${validTo('r')} AND ${validFrom('r')} <= ${validTo('o')}
			WHERE r.batch_id = ${batchId}`,
		'gave another unit an agency code this import replaced'
	);
	await rebuildTree(trx);
	// Rows of other kinds that name a code this import brought, or fall outside every version now.
	await refuseIfDepends(
		trx,
		sql`SELECT d.import_batch_id AS batch FROM dossiers d
			WHERE NOT EXISTS (SELECT 1 FROM unit_versions uv WHERE uv.code = d.unit_code
				AND CAST(d.received_at AS DATE) BETWEEN ${validFrom('uv')} AND ${validTo('uv')})`,
		'imported dossiers that need the unit versions this import added or changed'
	);
	const gone = sql`NOT EXISTS (SELECT 1 FROM unit_versions uv WHERE uv.code = x.unit_code)`;
	await refuseIfDepends(
		trx,
		sql`SELECT x.import_batch_id AS batch FROM procedures x WHERE x.unit_code IS NOT NULL AND ${gone}
			UNION ALL SELECT x.import_batch_id FROM targets x WHERE ${gone}`,
		'imported procedures or targets of units this import added'
	);
	const moved = await sql`UPDATE dossiers SET unit_version_id = uv.id FROM unit_versions uv
		WHERE uv.code = dossiers.unit_code
		AND CAST(dossiers.received_at AS DATE) BETWEEN ${validFrom('uv')} AND ${validTo('uv')}
		AND dossiers.unit_version_id <> uv.id`.execute(trx);
	// The tree and the dossiers' versions changed: every count is recounted, as a units import does.
	if (Number(moved.numAffectedRows ?? 0) > 0 || deleted + restored > 0) {
		await rebuildAggregates(trx);
	}
	return { deleted, restored };
}

async function undoProcedures(trx: Trx, batchId: number): Promise<UndoCounts> {
	await refuseIfReplacedLater(trx, batchId, ['procedures']);
	const added = sql`SELECT code FROM procedures WHERE import_batch_id = ${batchId}
		AND code NOT IN (SELECT code FROM ${keptTable('procedures')} WHERE batch_id = ${batchId})`;
	await refuseIfDepends(
		trx,
		sql`SELECT import_batch_id AS batch FROM dossiers WHERE procedure_code IN (${added})`,
		'imported dossiers of procedures this import added'
	);
	const deleted = await count(trx, added);
	const restored = await count(
		trx,
		sql`SELECT 1 FROM ${keptTable('procedures')} WHERE batch_id = ${batchId}`
	);
	await sql`DELETE FROM procedures WHERE import_batch_id = ${batchId}`.execute(trx);
	await sql`INSERT INTO procedures (${keptColumns('procedures')})
		SELECT ${keptColumns('procedures')} FROM ${keptTable('procedures')}
		WHERE batch_id = ${batchId}`.execute(trx);
	// A procedure's online level is its dossiers' unless they say otherwise (procedures.ts merge).
	if (restored > 0) await rebuildAggregates(trx);
	return { deleted, restored };
}

async function undoTargets(trx: Trx, batchId: number): Promise<UndoCounts> {
	await refuseIfReplacedLater(trx, batchId, ['targets', 'campaigns']);
	const addedCampaigns = sql`SELECT id FROM campaigns WHERE import_batch_id = ${batchId}
		AND id NOT IN (SELECT id FROM ${keptTable('campaigns')} WHERE batch_id = ${batchId})`;
	await refuseIfDepends(
		trx,
		sql`SELECT import_batch_id AS batch FROM targets WHERE campaign_id IN (${addedCampaigns})
			AND import_batch_id IS DISTINCT FROM ${batchId}`,
		'set targets of a campaign this import created'
	);
	// A target the editor's save removed, set again since by a later import (its row now).
	await refuseIfDepends(
		trx,
		sql`SELECT t.import_batch_id AS batch FROM targets t JOIN ${keptTable('targets')} r
			ON r.campaign_id = t.campaign_id AND r.unit_code = t.unit_code AND r.kpi = t.kpi
			AND r.level = t.level
			WHERE r.batch_id = ${batchId} AND t.import_batch_id IS DISTINCT FROM ${batchId}`,
		'set targets again that this import removed'
	);
	// A campaign this save renamed: its old name given since to another campaign.
	await refuseIfDepends(
		trx,
		sql`SELECT c.import_batch_id AS batch FROM campaigns c JOIN ${keptTable('campaigns')} r
			ON r.name = c.name AND r.id <> c.id WHERE r.batch_id = ${batchId}`,
		'gave a campaign the name this import changed'
	);
	const key = sql`(campaign_id, unit_code, kpi, level)`;
	const restoredTargets = sql`SELECT ${key} FROM ${keptTable('targets')} WHERE batch_id = ${batchId}`;
	const deleted = await count(
		trx,
		sql`SELECT 1 FROM targets WHERE import_batch_id = ${batchId} AND ${key} NOT IN (${restoredTargets})`
	);
	const restored = await count(
		trx,
		sql`SELECT 1 FROM ${keptTable('targets')} WHERE batch_id = ${batchId}`
	);
	// Updated in place, as the merge did: a key deleted and inserted again in one transaction is
	// what DuckDB's unique indexes handle worst.
	await sql`DELETE FROM targets WHERE import_batch_id = ${batchId} AND ${key} NOT IN (${restoredTargets})`.execute(
		trx
	);
	await sql`UPDATE targets SET target = r.target, import_batch_id = r.import_batch_id
		FROM ${keptTable('targets')} r WHERE r.batch_id = ${batchId}
		AND targets.campaign_id = r.campaign_id AND targets.unit_code = r.unit_code
		AND targets.kpi = r.kpi AND targets.level = r.level`.execute(trx);
	// The targets an editor's save removed (kept, and no longer stored): inserted back.
	await sql`INSERT INTO targets (${keptColumns('targets')})
		SELECT ${keptColumns('targets', 'r')} FROM ${keptTable('targets')} r
		WHERE r.batch_id = ${batchId} AND NOT EXISTS (SELECT 1 FROM targets t
			WHERE t.campaign_id = r.campaign_id AND t.unit_code = r.unit_code AND t.kpi = r.kpi
			AND t.level = r.level)`.execute(trx);
	await sql`UPDATE campaigns SET name = r.name, starts_on = r.starts_on, ends_on = r.ends_on,
			unit_code = r.unit_code, import_batch_id = r.import_batch_id
		FROM ${keptTable('campaigns')} r WHERE r.batch_id = ${batchId} AND campaigns.id = r.id`.execute(
		trx
	);
	await sql`DELETE FROM campaigns WHERE id IN (${addedCampaigns})`.execute(trx);
	return { deleted, restored };
}
