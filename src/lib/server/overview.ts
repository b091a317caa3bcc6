/**
 * The questions behind a unit's page, asked on behalf of a principal: which period to show when
 * the URL names none, and the KPI report of a visible unit. Scope is checked here, before any
 * figure is read (auth/scope.ts).
 */
import { sql, type Kysely } from 'kysely';
import { addDays, isIsoDate } from '../domain/dates';
import type { Principal } from '../domain/types';
import type { Database } from './db/schema';
import { OutOfScope, scopeOf, visibleUnit } from './auth/scope';
import { dataVersion, remember } from './kpi/cache';
import type { Period } from './kpi/period';
import { kpiReport, type KpiReport } from './kpi/report';
import { KpiQueryError } from './kpi/units';

/** A period from `from` and `to` given as text; a KpiQueryError says what is wrong with them. */
export function parsePeriod(from: string | null, to: string | null): Period {
	if (!from || !to) throw new KpiQueryError('give both from and to (YYYY-MM-DD)');
	for (const [name, value] of [
		['from', from],
		['to', to]
	]) {
		if (!isIsoDate(value)) throw new KpiQueryError(`${name} is not a date YYYY-MM-DD: ${value}`);
	}
	if (from > to) throw new KpiQueryError(`from ${from} is after to ${to}`);
	return { from, to };
}

const lastDayOfMonth = (day: string) => addDays(`${addMonth(day.slice(0, 7))}-01`, -1);
const addMonth = (month: string) => {
	const [y, m] = month.split('-').map(Number);
	return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
};

/**
 * The month to show when the URL gives no period: the month of the latest dossier, or the last
 * month of the unit's newest visible version when that version ended earlier (a district
 * dissolved on 1 July 2025 opens on June 2025).
 */
export async function defaultPeriod(
	store: Kysely<Database>,
	principal: Principal,
	code: string
): Promise<Period> {
	const db = store as Kysely<unknown>;
	const scope = await scopeOf(db, principal);
	const { rows } = await sql<{ id: number; valid_from: string | null; valid_to: string | null }>`
		SELECT id, valid_from, valid_to FROM unit_versions WHERE code = ${code}
		ORDER BY valid_from DESC NULLS LAST`.execute(db);
	const version = rows.find((r) => scope.all || scope.versions.has(r.id));
	if (!version) throw new OutOfScope();
	const latest = await remember(db, `latest-day|${await dataVersion(db)}`, async () => {
		const { rows } = await sql<{ day: string | null }>`SELECT CAST(max(received_at) AS DATE) AS day
			FROM dossiers`.execute(db);
		return rows[0].day;
	});
	let day = latest ?? new Date().toISOString().slice(0, 10);
	if (version.valid_to && version.valid_to < day) day = version.valid_to;
	if (version.valid_from && version.valid_from > day) day = version.valid_from;
	const from = `${day.slice(0, 7)}-01`;
	return { from, to: lastDayOfMonth(from) };
}

export async function unitReport(
	store: Kysely<Database>,
	principal: Principal,
	code: string,
	period: Period
): Promise<KpiReport> {
	const db = store as Kysely<unknown>;
	const unit = await visibleUnit(db, principal, code, period);
	return kpiReport(db, unit.code, period);
}
