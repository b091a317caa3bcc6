/**
 * The data page's questions (issue 6): is the data current? The last imports, the dossiers
 * received per month in the unit's subtree (a gap or a drop shows a missing log), and the units
 * of the subtree that received nothing in the latest month of data.
 *
 * "Received nothing" is counted over each unit's own subtree: a province or a district desk that
 * files no dossiers itself is not missing data while its communes report.
 */
import { sql, type Kysely } from 'kysely';
import { addDays, vietnamToday } from '../../domain/dates';
import { monthIndex, monthSpan, monthText } from '../../domain/months';
import {
	PERIOD_FIRST_DAY,
	PERIOD_LAST_DAY,
	parseMonth,
	type DateRange
} from '../../domain/periods';
import {
	MANAGING_ROLES,
	type ImportKind,
	type Principal,
	type UnitLevel
} from '../../domain/types';
import { inScope, scopeOf } from '../auth/scope';
import type { ImportBatchTable } from '../db/schema';
import { byLevelThenName } from '../units/levels';
import { overlaps } from '../units/validity';
import { type UnitVersionRef } from '../units/versions';
import { remember, versionOf, type DataVersion } from '../db/cache';
import type { Database } from '../db/schema';

export const RECENT_IMPORTS = 5;

export interface ImportSummary {
	id: number;
	kind: ImportKind;
	file_name: string;
	status: ImportBatchTable['status'];
	started_at: string;
	finished_at: string | null;
	rows_total: number;
	inserted: number;
	updated: number;
	unchanged: number;
	rejected: number;
	skipped: number;
	/** Who asked for it (`cli` for a command). */
	username: string | null;
	file_size: number;
	sha256: string;
	/** From its start to its end, when it ended. */
	duration_ms: number | null;
	/** Done and kept what it replaced: an undo may be asked for (jobs/undo.ts decides). */
	undoable: boolean;
}

export interface MonthCount {
	/** `YYYY-MM` */
	month: string;
	dossiers: number;
}

export interface SilentUnit {
	code: string;
	name: string;
	level: UnitLevel;
}

/**
 * The latest imports the principal may know of, newest first (any kind, any outcome: a failed
 * import is news too), by file name only: the path on the server is nobody's business (issue 10).
 * An import is the principal's when it touched a unit of their scope (import_batch_units); one
 * that touched none (a rejected file, a catalogue of procedures without owners) only the
 * managing roles see, who run the imports. An admin sees all.
 */
export async function recentImports(
	db: Kysely<Database>,
	principal: Principal,
	limit = RECENT_IMPORTS,
	version?: DataVersion
): Promise<ImportSummary[]> {
	const scope = await scopeOf(db, principal, version);
	const managing = MANAGING_ROLES.includes(principal.role);
	const visible = (units: number[]) =>
		scope.all || (units.length === 0 ? managing : units.some((id) => scope.versions.has(id)));
	const found: ImportSummary[] = [];
	// Newest first, a page at a time, until `limit` are visible or the log ends.
	for (let before = Number.MAX_SAFE_INTEGER; found.length < limit;) {
		const { rows } = await sql<ImportSummary & { units: number[] }>`SELECT id, kind, file_name,
				status, started_at, finished_at, rows_total, inserted, updated, unchanged, rejected,
				skipped, username, file_size, sha256,
				date_diff('millisecond', started_at, finished_at) AS duration_ms,
				status = 'done' AND undoable AS undoable, coalesce((SELECT list(unit_version_id) FROM import_batch_units u
					WHERE u.batch_id = b.id), []) AS units
			FROM import_batches b WHERE id < ${before} ORDER BY id DESC LIMIT ${IMPORTS_PAGE}`.execute(db);
		for (const { units, ...batch } of rows) {
			if (found.length < limit && visible(units)) {
				found.push({ ...batch, file_name: fileNameOf(batch.file_name) });
			}
		}
		if (rows.length < IMPORTS_PAGE) break;
		before = rows.at(-1)!.id;
	}
	return found;
}

const IMPORTS_PAGE = 50;

/** The last part of a path, whichever separator it was typed with. */
const fileNameOf = (file: string) => file.split(/[\\/]/).at(-1) || file;

const monthOf = (day: string) => day.slice(0, 7);

/** Every month the bounds hold (2000-01 to 2100-12): no list of months here is longer. */
const MONTHS_IN_BOUNDS = monthIndex(PERIOD_LAST_DAY) - monthIndex(PERIOD_FIRST_DAY) + 1;

/** The first and last day of a `YYYY-MM` month. */
const monthPeriod = (month: string): DateRange => parseMonth(month)!;

/**
 * Dossiers received per month in the subtree, every month from the first with data in the whole
 * store (or the unit's start) to the month of the last data day (or the unit's end): months
 * without a dossier are there with 0, since they are what this page is looking for. Whatever is
 * stored, the months stay within 2000-01 and the month of tomorrow in Vietnam: one dossier dated
 * 0001-01-01 made this a list of 24,000 months (issue 10).
 */
export async function dossiersPerMonth(
	db: Kysely<Database>,
	unit: UnitVersionRef,
	lastDataDay: string | null,
	today: string = vietnamToday()
): Promise<MonthCount[]> {
	if (lastDataDay === null) return [];
	const { rows } = await sql<{ month: string; dossiers: number }>`SELECT month,
			CAST(dossiers AS INTEGER) AS dossiers
		FROM kpi_monthly_subtree WHERE ancestor_id = ${unit.id} AND dossiers > 0`.execute(db);
	const { rows: first } = await sql<{ month: string | null }>`SELECT min(month) AS month
		FROM kpi_monthly WHERE dossiers > 0
			AND month >= CAST(${PERIOD_FIRST_DAY} AS DATE)`.execute(db);
	const dataFrom = first[0].month;
	if (dataFrom === null) return [];
	const counts = new Map(rows.map((r) => [monthOf(r.month), r.dossiers]));
	const starts = [dataFrom, PERIOD_FIRST_DAY, unit.valid_from].filter((d) => d !== null);
	const ends = [lastDataDay, addDays(today, 1), PERIOD_LAST_DAY, unit.valid_to].filter(
		(d) => d !== null
	);
	const months = monthSpan(
		Math.max(...starts.map(monthIndex)),
		Math.min(...ends.map(monthIndex)),
		MONTHS_IN_BOUNDS
	);
	return months.map((index) => {
		const month = monthText(index);
		return { month, dossiers: counts.get(month) ?? 0 };
	});
}

/**
 * The units of the subtree (the unit itself included) valid during the month, visible to the
 * principal, whose subtree received no dossier in it; by level, then name.
 */
export async function unitsWithoutDossiers(
	db: Kysely<Database>,
	principal: Principal,
	unit: UnitVersionRef,
	month: string,
	version?: DataVersion
): Promise<SilentUnit[]> {
	const period = monthPeriod(month);
	const { rows } = await sql<SilentUnit & { id: number }>`SELECT u.id, u.code, u.name, u.level
		FROM unit_closure c JOIN unit_versions u ON u.id = c.descendant_id
		WHERE c.ancestor_id = ${unit.id} AND ${overlaps('u', period)}
			AND NOT EXISTS (SELECT 1 FROM kpi_monthly_subtree s WHERE s.ancestor_id = u.id
				AND s.month = CAST(${period.from} AS DATE) AND s.dossiers > 0)`.execute(db);
	const scope = await scopeOf(db, principal, version);
	return rows
		.filter((r) => inScope(scope, r.id))
		.sort(byLevelThenName)
		.map(({ code, name, level }) => ({ code, name, level }));
}

export interface DataFreshness {
	imports: ImportSummary[];
	perMonth: MonthCount[];
	/** The month of the last data day (`YYYY-MM`), null for an empty store. */
	latestMonth: string | null;
	/** Whether the unit itself exists in that month (a dissolved district does not). */
	unitInLatestMonth: boolean;
	silentUnits: SilentUnit[];
}

export async function dataFreshness(
	db: Kysely<Database>,
	principal: Principal,
	unit: UnitVersionRef,
	lastDataDay: string | null,
	/** The request's data version (UnitContext); looked up here when not given. */
	dataVersion?: DataVersion
): Promise<DataFreshness> {
	const version = await versionOf(db, dataVersion);
	const latestMonth = lastDataDay === null ? null : monthOf(lastDataDay);
	const latest = latestMonth === null ? null : monthPeriod(latestMonth);
	const unitInLatestMonth =
		latest !== null &&
		(unit.valid_from === null || unit.valid_from <= latest.to) &&
		(unit.valid_to === null || unit.valid_to >= latest.from);
	const [imports, perMonth, silentUnits] = await Promise.all([
		recentImports(db, principal, RECENT_IMPORTS, version),
		dossiersPerMonth(db, unit, lastDataDay),
		latestMonth !== null && unitInLatestMonth
			? unitsWithoutDossiers(db, principal, unit, latestMonth, version)
			: Promise.resolve([])
	]);
	return { imports, perMonth, latestMonth, unitInLatestMonth, silentUnits };
}

/**
 * The days with data of the units' subtrees: the first and last day a dossier was received,
 * within the bounds and at most tomorrow in Vietnam (as `latestDay`, a stray date moves nothing);
 * null when they have none. The period picker offers the months of this range (issue 12).
 */
export async function dataRange(
	db: Kysely<Database>,
	unitVersionIds: number[],
	version?: DataVersion,
	today: string = vietnamToday()
): Promise<DateRange | null> {
	if (unitVersionIds.length === 0) return null;
	const ids = [...unitVersionIds].sort((a, b) => a - b);
	return remember(
		db,
		`data-range|${await versionOf(db, version)}|${ids.join()}|${today}`,
		async () => {
			const { rows } = await sql<{ first: string | null; last: string | null }>`SELECT
				CAST(min(d.day) AS VARCHAR) AS first, CAST(max(d.day) AS VARCHAR) AS last
			FROM kpi_daily d JOIN unit_closure c ON c.descendant_id = d.unit_version_id
			WHERE c.ancestor_id IN (${sql.join(ids)}) AND d.dossiers > 0
				AND d.day >= CAST(${PERIOD_FIRST_DAY} AS DATE)
				AND d.day <= CAST(${addDays(today, 1)} AS DATE)`.execute(db);
			const { first, last } = rows[0];
			return first === null || last === null ? null : { from: first, to: last };
		}
	);
}

/**
 * Whether any dossier of the units' subtrees was received or completed in the period: a period
 * without one shows empty figures only, and the pages say so rather than show twelve "— 0/0".
 */
export async function hasDataIn(
	db: Kysely<Database>,
	unitVersionIds: number[],
	period: DateRange,
	version?: DataVersion
): Promise<boolean> {
	if (unitVersionIds.length === 0) return false;
	const ids = [...unitVersionIds].sort((a, b) => a - b);
	const key = `has-data|${await versionOf(db, version)}|${ids.join()}|${period.from}|${period.to}`;
	return remember(db, key, async () => {
		const { rows } = await sql<{ found: boolean }>`SELECT EXISTS (SELECT 1
				FROM kpi_daily d JOIN unit_closure c ON c.descendant_id = d.unit_version_id
				WHERE c.ancestor_id IN (${sql.join(ids)})
					AND d.day BETWEEN CAST(${period.from} AS DATE) AND CAST(${period.to} AS DATE)
					AND (d.dossiers > 0 OR d.completed > 0)) AS found`.execute(db);
		return rows[0].found;
	});
}

/**
 * The last day with data, when a page must say "data up to" it: the data stop before the end of
 * the period (or of the unit, when it ended within it), or the period holds the last day with
 * data and that day is before the current month (the next month's log has not come in). Null
 * otherwise, and for a unit that simply ended on its last day with data (the page says it ended).
 */
export function dataUntil(
	range: DateRange | null,
	period: DateRange,
	validTo: string | null,
	today: string = vietnamToday()
): string | null {
	if (range === null) return null;
	const last = range.to;
	if (validTo !== null && last >= validTo) return null;
	const end = validTo !== null && validTo < period.to ? validTo : period.to;
	if (last < end) return last;
	const monthStarted = `${today.slice(0, 7)}-01`;
	return last >= period.from && last <= period.to && last < monthStarted ? last : null;
}
