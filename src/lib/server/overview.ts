/**
 * The KPI report of a unit asked for on behalf of a principal (the API, the CLI): scope is checked
 * here, before any figure is read (auth/scope.ts).
 */
import type { Kysely } from 'kysely';
import { isIsoDate } from '../domain/dates';
import type { Principal } from '../domain/types';
import type { Database } from './db/schema';
import { visibleUnit } from './auth/scope';
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
