/**
 * `POST /api/v1/imports/<id>/undo`: who may undo an import, and the undo itself (import/history)
 * run in the import queue, so that it never meets an import's transaction on the same rows, and
 * written to the audit log (`import_undo`).
 *
 * Who may: a reform team or an administrator who can see the job (views.ts); an administrator
 * any, anyone else their own uploads (kept within their scope when imported) or an import whose
 * every touched unit lies in their scope. A province-wide import seen from a district is not the
 * district's to undo.
 */
import type { Kysely } from 'kysely';
import { MANAGING_ROLES } from '../../domain/types';
import { inScope, scopeOf } from '../auth/scope';
import { audit } from '../auth/users';
import type { Database } from '../db/schema';
import { undoImport, type UndoCounts } from '../import/history/undo';
import type { Uploader } from './jobs';
import { importQueue } from './queue';
import { visibleJob, type ImportJobView } from './views';

/** The viewer may see the job but not undo it (403), with the reason. */
export class UndoForbidden extends Error {}

/**
 * Undoes the job `id` for `viewer`: the job as it is after, with what was done; null when the
 * viewer cannot see it. UndoForbidden, or import/history's UndoRefused (409), otherwise.
 */
export async function undoJob(
	db: Kysely<Database>,
	viewer: Uploader,
	id: number,
	ip: string | null = null
): Promise<{ job: ImportJobView; counts: UndoCounts } | null> {
	const job = await visibleJob(db, viewer, id);
	if (!job) return null;
	if (!MANAGING_ROLES.includes(viewer.role)) {
		throw new UndoForbidden('only a reform team or an administrator may undo an import');
	}
	const scope = await scopeOf(db, viewer);
	const own = job.userId !== null && job.userId === viewer.id;
	if (!scope.all && !own && !job.touched.every((unit) => inScope(scope, unit))) {
		throw new UndoForbidden(
			'this import also changed units outside your scope; a reform team whose scope holds them all, or an administrator, may undo it'
		);
	}
	const counts = await importQueue(db).enqueue(null, () => undoImport(db, id, viewer.username));
	const { view } = job;
	await audit(db, {
		action: 'import_undo',
		actor: { username: viewer.username, userId: viewer.id, ip },
		detail: { batch: id, kind: view.kind, file: view.filename, ...counts }
	});
	const after = await visibleJob(db, viewer, id);
	return { job: after?.view ?? view, counts };
}
