/**
 * A save of the campaigns editor (issue 14, item 5) — create, copy, rename, new dates, the grid
 * of targets — is a targets import through the import queue, like an upload: the grid is written
 * as a CONTRACT targets file in the imports folder (files.ts) and imported with the editor's own
 * merge (import/kinds/campaign-edit.ts), `source = 'editor'`, the user as uploader. So it is in the
 * import history, bumps the data version (every page and report reads the new targets at once:
 * db/cache.ts), can be undone (history/undo.ts) and is audited (`import`, and `campaign_save`
 * with what the user saved). Saves wait for each other in the queue: twenty at once end in turn.
 *
 * Unlike an upload, the request waits for its save to end (a grid is a few dozen rows), so the
 * page can say at once whether it was saved; a save still queued when the server stops is failed
 * as interrupted at the next start (jobs.ts resumeQueuedJobs), as a command's import is.
 */
import { randomUUID } from 'node:crypto';
import { rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Kysely } from 'kysely';
import type { CampaignFields, CampaignProblem, GridTarget } from '../../domain/campaign-form';
import { MANAGING_ROLES } from '../../domain/types';
import { managesEvery, OutOfScope, scopeOf } from '../auth/scope';
import { audit, type Actor } from '../auth/users';
import type { Database, Store } from '../db';
import { failQueuedImport, INTERRUPTED, logImport } from '../import/batches';
import { ImportRejected } from '../import/errors';
import { campaignEditKind } from '../import/kinds/campaign-edit';
import { sha256Of } from '../import/run';
import { campaignRecord } from '../kpi/campaigns';
import { runAudited, type Uploader } from './jobs';
import { openImportsFolder } from './files';
import { importQueue, QueueClosed } from './queue';

/** The save was refused: what to tell the user, naming the field or cell (a 400 on the form). */
export class CampaignRefused extends Error {
	constructor(readonly problem: CampaignProblem) {
		super(problem.kind);
	}
}

export interface CampaignSave {
	/** The campaign edited; null to create one (a copy is a new one with the source's grid). */
	campaignId: number | null;
	fields: CampaignFields;
	/** The unit it is set on: chosen for a new campaign; for one edited, the unit of its grid. */
	unitCode: string;
	/** The whole grid: a cell it does not list has no target after the save. */
	targets: GridTarget[];
}

export interface CampaignSaved {
	campaignId: number;
	batchId: number;
	inserted: number;
	updated: number;
	unchanged: number;
}

export async function saveCampaign(
	store: Store,
	uploader: Uploader,
	save: CampaignSave,
	ip: string | null = null
): Promise<CampaignSaved> {
	const { db } = store;
	if (!MANAGING_ROLES.includes(uploader.role)) throw new OutOfScope();
	if (save.campaignId !== null) {
		const record = await campaignRecord(db, save.campaignId);
		if (!record || !(await managesEvery(db, uploader, record.setOn))) throw new OutOfScope();
	}
	if (!(await managesEvery(db, uploader, [save.unitCode]))) {
		throw new CampaignRefused({ field: 'unit', kind: 'unknown' });
	}
	await refuseTakenName(db, save.fields.name, save.campaignId);
	const folder = await openImportsFolder(store.path);
	const file = path.join(folder, `${randomUUID()}.csv`);
	await writeFile(file, targetsFile(save), { mode: 0o600, flag: 'wx' });
	try {
		return await importSave(db, uploader, save, file, ip);
	} finally {
		await rm(file, { force: true });
	}
}

async function refuseTakenName(
	db: Kysely<Database>,
	name: string,
	campaignId: number | null
): Promise<void> {
	const other = await db
		.selectFrom('campaigns')
		.select('id')
		.where('name', '=', name)
		.executeTakeFirst();
	if (other && other.id !== campaignId) throw new CampaignRefused({ field: 'name', kind: 'taken' });
}

async function importSave(
	db: Kysely<Database>,
	uploader: Uploader,
	save: CampaignSave,
	file: string,
	ip: string | null
): Promise<CampaignSaved> {
	const fileName = `campaign-editor-${save.campaignId ?? 'new'}.csv`;
	const { size } = await stat(file);
	const batchId = await logImport(db, {
		kind: 'targets',
		fileName,
		fileSize: size,
		sha256: await sha256Of(file),
		format: 'csv',
		source: 'editor',
		userId: uploader.id,
		username: uploader.username
	});
	const actor: Actor = { username: uploader.username, userId: uploader.id, ip };
	const edit = {
		campaignId: save.campaignId,
		name: save.fields.name,
		startsOn: save.fields.startsOn,
		endsOn: save.fields.endsOn,
		unitCode: save.unitCode
	};
	const saved = { id: null as number | null };
	const record = campaignEditKind(edit, saved);
	let result;
	try {
		result = await importQueue(db).enqueue(batchId, async (running) => {
			const scope = await scopeOf(db, uploader);
			return runAudited(db, actor, batchId, 'targets', file, {
				name: fileName,
				record,
				allowedUnits: scope.all ? undefined : [...scope.versions],
				onStart: running.started,
				onProgress: running.progress
			});
		});
	} catch (error) {
		if (error instanceof QueueClosed) {
			await failQueuedImport(db, batchId, INTERRUPTED);
			throw new CampaignRefused({ field: 'form', kind: 'import', message: INTERRUPTED });
		}
		if (error instanceof ImportRejected) {
			if (/another campaign has this name/.test(error.message)) {
				throw new CampaignRefused({ field: 'name', kind: 'taken' });
			}
			throw new CampaignRefused({ field: 'form', kind: 'import', message: error.message });
		}
		throw error;
	}
	const campaignId = saved.id!;
	const { inserted, updated, unchanged } = result;
	await audit(db, {
		action: 'campaign_save',
		actor,
		detail: {
			campaign: campaignId,
			created: save.campaignId === null,
			name: edit.name,
			starts_on: edit.startsOn,
			ends_on: edit.endsOn,
			unit: edit.unitCode,
			targets: save.targets.length,
			batch: batchId,
			inserted,
			updated,
			unchanged,
			warnings: result.warnings
		}
	});
	return { campaignId, batchId, inserted, updated, unchanged };
}

/** One CSV cell, always quoted: a name may hold commas, quotes and a leading `=`. */
const cell = (value: string) => `"${value.replaceAll('"', '""')}"`;

/**
 * The save as a CONTRACT targets file: the campaign's own line (no KPI, level or target), then
 * one row per target, as a percentage ("70.5%": the importer divides by 100, as the editor does).
 */
export function targetsFile(save: CampaignSave): string {
	const { name, startsOn, endsOn } = save.fields;
	const campaign = [name, startsOn, endsOn, save.unitCode].map(cell).join(',');
	const lines = ['campaign,starts_on,ends_on,unit_code,kpi,level,target', `${campaign},,,`];
	for (const t of save.targets) {
		lines.push(`${campaign},${t.kpi},${t.level},${t.percent}%`);
	}
	return lines.join('\r\n') + '\r\n';
}
