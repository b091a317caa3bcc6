/**
 * The KPI report of a unit asked for on behalf of a principal (the API, the CLI): scope is checked
 * here, before any figure is read (auth/scope.ts).
 */
import type { DateRange } from '../domain/periods';
import type { Kysely } from 'kysely';
import type { Principal } from '../domain/types';
import type { Database } from './db/schema';
import { visibleUnit } from './auth/scope';
import { checkedPeriod } from './kpi/period';
import { kpiReport, type KpiReport } from './kpi/report';

/** The report; a period outside the bounds (domain/periods.ts) is a PeriodError, asked by anyone. */
export async function unitReport(
	db: Kysely<Database>,
	principal: Principal,
	code: string,
	period: DateRange
): Promise<KpiReport> {
	const checked = checkedPeriod(period.from, period.to);
	const unit = await visibleUnit(db, principal, code, checked);
	return kpiReport(db, unit.code, checked);
}
