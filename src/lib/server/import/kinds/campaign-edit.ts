/**
 * A save of the campaigns editor (issue 14, item 5), imported as a targets file so that it is in
 * the import history, bumps the data version, can be undone and is audited like any import. The
 * file is a CONTRACT targets file written by the server (jobs/campaign-edit.ts): its first row is
 * the campaign's own line (campaign, dates, unit; no KPI, level or target), the others are the
 * grid's targets, all on the campaign's unit.
 *
 * What differs from a CONTRACT targets file (kinds/targets.ts, unchanged) — only for the editor's
 * own saves, never for a file uploaded or named on the command line:
 * - the campaign is known by its id, not its name: a save may rename it, and sets the unit it is
 *   set on (`campaigns.unit_code`, migration 10), so a campaign without targets exists;
 * - the file carries the campaign's full grid on its units: a target of the campaign on those
 *   units that the file does not list is removed (a cleared cell), kept first in
 *   `import_replaced_targets` so that undo (history/undo.ts) puts it back.
 */
import { sql, type RawBuilder } from 'kysely';
import type { Check } from '../checks';
import { keepReplaced } from '../history/replaced';
import { countChanges, raw } from './common';
import { REQUIRED, type KindContext, type MergeCounts, type RecordKind } from './context';
import { targets } from './targets';

/** What the editor saves besides the grid: which campaign (null: a new one) and where it is set. */
export interface CampaignEdit {
	campaignId: number | null;
	name: string;
	startsOn: string;
	endsOn: string;
	unitCode: string;
}

const TARGET_COLUMNS = ['kpi', 'level', 'target'];

/** The campaign's own line: no KPI, level or target. */
const campaignLine = sql`(${raw('kpi')} IS NULL AND ${raw('level')} IS NULL AND ${raw('target')} IS NULL)`;

/**
 * The editor's record kind for one save; `saved.id` is the campaign's id once merged (a new
 * campaign's id is known only then).
 */
export function campaignEditKind(edit: CampaignEdit, saved: { id: number | null }): RecordKind {
	const id = edit.campaignId;
	return {
		spec: targets.spec,
		async prepare(ctx: KindContext): Promise<Check[]> {
			const checks = (await targets.prepare(ctx)).filter(
				(c) => !(c.message === REQUIRED && c.column !== null && TARGET_COLUMNS.includes(c.column))
			);
			checks.push(
				...TARGET_COLUMNS.map((c) => ({
					column: c,
					value: null,
					message: REQUIRED,
					when: sql`${raw(c)} IS NULL AND NOT ${campaignLine}`
				})),
				{
					column: 'campaign',
					value: raw('campaign'),
					message: 'every row of an editor save is of the campaign saved, on its unit',
					when: sql`campaign IS DISTINCT FROM ${edit.name} OR unit_code IS DISTINCT FROM ${edit.unitCode}
						OR starts_on IS DISTINCT FROM CAST(${edit.startsOn} AS DATE)
						OR ends_on IS DISTINCT FROM CAST(${edit.endsOn} AS DATE)`
				},
				{
					column: 'campaign',
					value: raw('campaign'),
					message: 'another campaign has this name already',
					when: sql`EXISTS (SELECT 1 FROM campaigns c WHERE c.name = campaign
						AND c.id IS DISTINCT FROM ${id})`
				}
			);
			if (id !== null) {
				checks.push({
					column: 'campaign',
					value: raw('campaign'),
					message: 'the campaign saved no longer exists (an import was undone meanwhile)',
					when: sql`NOT EXISTS (SELECT 1 FROM campaigns c WHERE c.id = ${id})`
				});
			}
			return checks;
		},
		merge: async (ctx) => {
			const { id: savedId, counts } = await mergeEdit(ctx, edit);
			saved.id = savedId;
			return counts;
		},
		// The campaign's units: its own and every unit it has targets on (a date change moves them all).
		touchedUnits: sql`SELECT c.descendant_id AS unit_version_id
			FROM unit_versions u JOIN unit_closure c ON c.ancestor_id = u.id
			WHERE u.code = ${edit.unitCode} OR u.code IN (SELECT t.unit_code FROM targets t
				JOIN campaigns k ON k.id = t.campaign_id WHERE k.name = ${edit.name})`
	};
}

async function mergeEdit(
	{ db, batchId }: KindContext,
	edit: CampaignEdit
): Promise<{ id: number; counts: MergeCounts }> {
	const differs = sql`(name <> ${edit.name} OR starts_on <> CAST(${edit.startsOn} AS DATE)
		OR ends_on <> CAST(${edit.endsOn} AS DATE) OR unit_code IS DISTINCT FROM ${edit.unitCode})`;
	let campaignChange: 'inserted' | 'updated' | 'unchanged';
	if (edit.campaignId === null) {
		await db
			.insertInto('campaigns')
			.values({
				name: edit.name,
				starts_on: edit.startsOn,
				ends_on: edit.endsOn,
				unit_code: edit.unitCode,
				import_batch_id: batchId
			} as never)
			.execute();
		campaignChange = 'inserted';
	} else {
		const ours = sql`id = ${edit.campaignId} AND ${differs}`;
		await keepReplaced(db, 'campaigns', batchId, ours);
		const result = await sql`UPDATE campaigns SET name = ${edit.name},
				starts_on = CAST(${edit.startsOn} AS DATE), ends_on = CAST(${edit.endsOn} AS DATE),
				unit_code = ${edit.unitCode}, import_batch_id = ${batchId}
			WHERE ${ours}`.execute(db);
		campaignChange = Number(result.numAffectedRows ?? 0) > 0 ? 'updated' : 'unchanged';
	}
	const { id } = await db
		.selectFrom('campaigns')
		.select('id')
		.where('name', '=', edit.name)
		.executeTakeFirstOrThrow();
	const key = (t: string) =>
		sql`${sql.ref(`${t}.campaign_id`)} = ${id} AND ${sql.ref(`${t}.unit_code`)} = i.unit_code
			AND ${sql.ref(`${t}.kpi`)} = i.kpi AND ${sql.ref(`${t}.level`)} = i.level`;
	const listed = sql`SELECT unit_code, kpi, level, target FROM import_typed WHERE kpi IS NOT NULL`;
	// One row per target of the file, and one per stored target of the campaign on the file's
	// units that the file no longer lists ('removed').
	await sql`CREATE OR REPLACE TEMP TABLE import_changes AS
		SELECT i.unit_code, i.kpi, i.level, i.target, CASE
			WHEN tg.campaign_id IS NULL THEN 'inserted'
			WHEN tg.target <> i.target THEN 'updated' ELSE 'unchanged' END AS change
		FROM (${listed}) i LEFT JOIN targets tg ON ${key('tg')}
		UNION ALL
		SELECT tg.unit_code, tg.kpi, tg.level, tg.target, 'removed' FROM targets tg
		WHERE tg.campaign_id = ${id}
			AND tg.unit_code IN (SELECT unit_code FROM import_typed)
			AND NOT EXISTS (SELECT 1 FROM (${listed}) i WHERE ${key('tg')})`.execute(db);
	const replaced = (changes: string[]): RawBuilder<unknown> =>
		sql`campaign_id = ${id} AND (unit_code, kpi, level) IN (SELECT (unit_code, kpi, level)
			FROM import_changes WHERE change IN (${sql.join(changes)}))`;
	await keepReplaced(db, 'targets', batchId, replaced(['updated', 'removed']));
	const { rows } = await sql<{ n: number }>`SELECT count(*) AS n FROM import_changes
		WHERE change = 'removed'`.execute(db);
	const removed = Number(rows[0].n);
	await sql`DELETE FROM targets WHERE ${replaced(['removed'])}`.execute(db);
	await sql`UPDATE targets SET target = i.target, import_batch_id = ${batchId}
		FROM import_changes i WHERE i.change = 'updated' AND ${key('targets')}`.execute(db);
	await sql`INSERT INTO targets (campaign_id, unit_code, kpi, level, target, import_batch_id)
		SELECT ${id}, unit_code, kpi, level, target, ${batchId} FROM import_changes
		WHERE change = 'inserted'`.execute(db);
	const changes = await countChanges(db);
	const counts: MergeCounts = {
		inserted: Number(changes.inserted),
		updated: Number(changes.updated),
		unchanged: Number(changes.unchanged)
	};
	// The campaign's own line is a record of the file like its targets.
	counts[campaignChange] += 1;
	if (removed > 0) {
		counts.warnings = [
			`${removed} ${removed === 1 ? 'target' : 'targets'} removed: cleared in the campaigns editor`
		];
	}
	return { id, counts };
}
