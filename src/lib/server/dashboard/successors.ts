/**
 * The units an ended unit became, side by side (issue 12, /u/<code>/successors): a district head
 * whose district was dissolved on 1 July 2025 runs the communes it became, and compares them as
 * he compared his communes before: the comparison module's figures (compare.ts) and the map's
 * polygons (map.ts), for the latest month with data of those communes unless the URL says.
 *
 * Only the successors the principal may see are listed (auth/scope.ts); a code he may not see is
 * OutOfScope (404) as everywhere.
 */
import { sql, type Kysely } from 'kysely';
import { vietnamToday } from '../../domain/dates';
import { monthFirstDay, monthIndex, monthLastDay } from '../../domain/months';
import { PERIOD_FIRST_DAY, PERIOD_LAST_DAY, type DateRange } from '../../domain/periods';
import type { Principal } from '../../domain/types';
import type { CompareState, Comparison, ViewState } from '../../domain/url-params';
import { inScope, OutOfScope, scopeOf } from '../auth/scope';
import { dataVersion } from '../db/cache';
import type { Database } from '../db/schema';
import { checkedPeriod } from '../kpi/period';
import { successorsOf } from '../units/lineage';
import type { UnitVersionRef } from '../units/versions';
import { compareUnits, type ChildrenComparison } from './compare';
import { comparedPeriod, latestDay, lineageRef, type LineageRef } from './context';
import { dataRange, dataUntil, hasDataIn } from './freshness';
import { communeFigures, COMMUNE_MAP_FROM, polygonsOf, unitFigure, type CommuneMap } from './map';

export interface SuccessorsView {
	/** The ended version of the code (or, when none ended, its newest visible one). */
	unit: LineageRef;
	/** False when the unit has not ended: it has no successors to compare. */
	ended: boolean;
	/** Every successor the principal may see, valid in the period or not. */
	successors: LineageRef[];
	/** The day they were formed. */
	changedOn: string | null;
	period: DateRange;
	comparison: { kind: Comparison; period: DateRange };
	/** The successors' days with data (the picker's months), and the statements of the period. */
	dataRange: DateRange | null;
	periodHasData: boolean;
	dataUntil: string | null;
	/** The successors valid in the period, compared. */
	compared: ChildrenComparison;
	/** Their map, when they are communes of a province with polygons and the period is after 2025. */
	map: Pick<Extract<CommuneMap, { kind: 'map' }>, 'polygons' | 'communes' | 'target'> | null;
}

const overlapsPeriod = (u: UnitVersionRef, p: DateRange) =>
	(u.valid_from === null || u.valid_from <= p.to) && (u.valid_to === null || u.valid_to >= p.from);

/** The month of `day`, kept within the bounds. */
function monthOf(day: string): DateRange {
	const bounded =
		day < PERIOD_FIRST_DAY ? PERIOD_FIRST_DAY : day > PERIOD_LAST_DAY ? PERIOD_LAST_DAY : day;
	const month = monthIndex(bounded);
	return { from: monthFirstDay(month), to: monthLastDay(month) };
}

export async function successorsView(
	db: Kysely<Database>,
	principal: Principal,
	code: string,
	view: ViewState,
	query: CompareState,
	today: string = vietnamToday()
): Promise<SuccessorsView> {
	const version = await dataVersion(db);
	const scope = await scopeOf(db, principal, version);
	const { rows } = await sql<UnitVersionRef>`SELECT id, code, name, level, valid_from, valid_to
		FROM unit_versions WHERE code = ${code} ORDER BY valid_from DESC NULLS LAST`.execute(db);
	const visible = rows.filter((r) => inScope(scope, r.id));
	if (visible.length === 0) throw new OutOfScope();
	const ended = visible.find((r) => r.valid_to !== null && r.valid_to < today) ?? null;
	const unit = ended ?? visible[0];
	const successors = ended
		? (await successorsOf(db, ended.id)).filter((s) => inScope(scope, s.id))
		: [];
	const ids = successors.map((s) => s.id);
	const range = await dataRange(db, ids, version);
	let period: DateRange;
	if (view.from !== null || view.to !== null) period = checkedPeriod(view.from, view.to);
	else {
		// The latest month with data of the successors, and not before they existed.
		let day = range?.to ?? (await latestDay(db, today, version)) ?? today;
		const formed = successors
			.map((s) => s.valid_from)
			.filter((d) => d !== null)
			.sort()[0];
		if (formed && formed > day) day = formed;
		period = monthOf(day);
	}
	const comparison = { kind: view.vs, period: comparedPeriod(period, view.vs) };
	const current = successors.filter((s) => overlapsPeriod(s, period));
	const [compared, periodHasData] = await Promise.all([
		compareUnits(db, current, { period, comparison, dataVersion: version }, query),
		hasDataIn(
			db,
			current.map((s) => s.id),
			period,
			version
		)
	]);
	const communes = current.length > 0 && current.every((s) => s.level === 'commune');
	const polygons =
		communes && period.from >= COMMUNE_MAP_FROM ? await polygonsOf(db, current[0].id) : null;
	const map =
		polygons === null
			? null
			: {
					polygons,
					...communeFigures(compared.children.map((c) => unitFigure(c.unit, c.kpis[query.kpi])))
				};
	return {
		unit: lineageRef(unit),
		ended: ended !== null,
		successors: successors.map(lineageRef),
		changedOn: successors[0]?.changed_on ?? null,
		period,
		comparison,
		dataRange: range,
		periodHasData,
		dataUntil: dataUntil(range, period, null, today),
		compared,
		map
	};
}
