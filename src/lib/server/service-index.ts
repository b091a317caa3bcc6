/**
 * The service index (Decision 766) asked for and edited on behalf of a principal: the scope is
 * checked here, before any figure is read (auth/scope.ts), as overview.ts does for the KPI report;
 * the arithmetic is the engine's (kpi/service-index.ts).
 */
import type { Kysely } from 'kysely';
import { vietnamTimestamp } from '../domain/dates';
import type { DateRange } from '../domain/periods';
import {
	indicatorProblem,
	type IndexIndicator,
	type IndicatorEdit,
	type IndicatorProblem
} from '../domain/service-index';
import { MANAGING_ROLES, type Principal } from '../domain/types';
import { OutOfScope, visibleUnit } from './auth/scope';
import { audit, type Actor } from './auth/users';
import type { DataVersion } from './db/cache';
import type { Database } from './db/schema';
import { serialWrite } from './db/writes';
import { checkedPeriod } from './kpi/period';
import { indexDefinitions, serviceIndex, type ServiceIndexReport } from './kpi/service-index';

/**
 * The index asked for on behalf of a principal (the CLI, a page, the API): the period checked
 * (PeriodError) and the unit's scope (OutOfScope) before any figure is read.
 */
export async function unitServiceIndex(
	db: Kysely<Database>,
	principal: Principal,
	code: string,
	period: DateRange,
	dataVersion?: DataVersion
): Promise<ServiceIndexReport> {
	const checked = checkedPeriod(period.from, period.to);
	const unit = await visibleUnit(db, principal, code, checked, dataVersion);
	return serviceIndex(db, unit.code, checked, dataVersion);
}

/** An edit refused: the field and why, for a page to word (domain/service-index.ts). */
export class IndicatorRefused extends Error {
	constructor(readonly problem: IndicatorProblem | { field: 'id'; kind: 'unknown' }) {
		super(`the indicator's ${problem.field} is refused: ${problem.kind}`);
	}
}

/**
 * Who may edit: the definitions are the same for every unit of the database, so an admin, or the
 * reform team of a province (a unit with no parent); anyone else is answered as for a unit
 * outside the scope (OutOfScope, 404).
 */
export async function editsIndex(db: Kysely<Database>, principal: Principal): Promise<boolean> {
	if (principal.role === 'admin') return true;
	if (!MANAGING_ROLES.includes(principal.role)) return false;
	const province = await db
		.selectFrom('unit_versions')
		.select('id')
		.where('code', '=', principal.unitCode)
		.where('parent_id', 'is', null)
		.executeTakeFirst();
	return province !== undefined;
}

async function assertEditsIndex(db: Kysely<Database>, principal: Principal): Promise<void> {
	if (!(await editsIndex(db, principal))) throw new OutOfScope();
}

const cleanText = (text: unknown) =>
	typeof text === 'string' ? text.normalize('NFC').replace(/\r\n?/g, '\n').trim() : text;

/**
 * Changes one indicator's definition (validated, domain/service-index.ts `indicatorProblem`), in
 * the write queue, with the change and the definition before it in the audit log. Returns the
 * stored definition.
 */
export async function saveIndicator(
	db: Kysely<Database>,
	principal: Principal,
	actor: Actor,
	id: string,
	edit: IndicatorEdit,
	now = Date.now()
): Promise<IndexIndicator> {
	await assertEditsIndex(db, principal);
	const cleaned = {
		...edit,
		name: cleanText(edit.name),
		source: cleanText(edit.source),
		assumption: cleanText(edit.assumption)
	} as IndicatorEdit;
	const problem = indicatorProblem(cleaned);
	if (problem) throw new IndicatorRefused(problem);
	const fields = {
		name: cleaned.name,
		indicator_group: cleaned.group,
		points: cleaned.points,
		ratio: cleaned.ratio,
		rule: cleaned.rule,
		threshold: cleaned.rule === 'linear' ? null : cleaned.threshold,
		source: cleaned.source,
		assumption: cleaned.assumption,
		updated_at: vietnamTimestamp(now),
		updated_by: actor.username
	};
	return serialWrite(db, async () => {
		const before = await db
			.selectFrom('index_indicators')
			.selectAll()
			.where('id', '=', typeof id === 'string' ? id.slice(0, 20) : '')
			.executeTakeFirst();
		if (!before) throw new IndicatorRefused({ field: 'id', kind: 'unknown' });
		await db.updateTable('index_indicators').set(fields).where('id', '=', before.id).execute();
		await audit(
			db,
			{ action: 'index_indicator', actor, detail: { id, before, after: fields } },
			now
		);
		const saved = (await indexDefinitions(db)).indicators.find((i) => i.id === before.id)!;
		return saved;
	});
}
