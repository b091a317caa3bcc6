/**
 * What every dashboard page of a unit starts from (issue 6): the unit version the URL names, if
 * the principal may see it (auth/scope.ts, asked here by every page load), the period from the
 * URL, the campaign chosen, the breadcrumbs up the tree (only ancestors in scope), and the last
 * day with data. All of it comes from the URL, so a copied URL reproduces the view.
 *
 * URL: `/u/<code>?from=&to=` (CONTRACT), `&campaign=<id>` when the period is a campaign's window,
 * `&vs=year` to compare with a year earlier instead of the previous period, read by the `VIEW`
 * vocabulary (domain/url-params.ts). With none of them, the default period.
 */
import { sql, type Kysely } from 'kysely';
import { addDays, addYears, vietnamToday } from '../../domain/dates';
import { monthFirstDay, monthIndex, monthLastDay } from '../../domain/months';
import {
	PERIOD_FIRST_DAY,
	PERIOD_LAST_DAY,
	previousRange,
	type DateRange
} from '../../domain/periods';
import type { Principal, UnitRef } from '../../domain/types';
import type { Comparison, ViewState } from '../../domain/url-params';
import type { Database } from '../db/schema';
import { dataVersion, remember, versionOf, type DataVersion } from '../db/cache';
import { checkedPeriod, PeriodError } from '../kpi/period';
import type { UnitVersionRef } from '../units/versions';
import { newestVersion, predecessorsOf, successorsOf } from '../units/lineage';
import { dataRange, dataUntil, hasDataIn } from './freshness';
import { inScope, OutOfScope, scopeOf, visibleUnit } from '../auth/scope';

export interface CampaignRef {
	id: number;
	name: string;
	starts_on: string;
	ends_on: string;
}

export type { Comparison };

export interface UnitContext {
	unit: UnitVersionRef;
	period: DateRange;
	/** The period compared with (`vs`): the one before of the same shape, or a year earlier. */
	comparison: { kind: Comparison; period: DateRange };
	campaign: CampaignRef | null;
	/** Campaigns the picker offers: those covering the principal's units and the unit's validity. */
	campaigns: CampaignRef[];
	/** From the root down to the parent, each the version valid when the unit began. */
	breadcrumbs: UnitRef[];
	/** The last day a dossier was received (any unit); null for an empty database. */
	lastDataDay: string | null;
	/** The first and last day with data in the unit's subtree (the picker's months); null without. */
	dataRange: DateRange | null;
	/** Whether the subtree has any dossier received or completed in the period. */
	periodHasData: boolean;
	/** The last day with data when the page must say so ("data up to", freshness.ts `dataUntil`). */
	dataUntil: string | null;
	/** Across a reorganisation (units/lineage.ts): what the unit became, what it was formed from. */
	lineage: UnitLineage;
	/** The data version (db/cache.ts), looked up once for the whole request: every cached answer of the page is keyed by it. */
	dataVersion: DataVersion;
}

/** A unit on the other side of a change, as pages link to it. */
export interface LineageRef extends UnitRef {
	valid_from: string | null;
	valid_to: string | null;
}

export interface UnitLineage {
	/** The units the unit (or its subtree) became, that the principal may see; empty if none. */
	successors: LineageRef[];
	/** The units it was formed from, that the principal may see. */
	predecessors: LineageRef[];
	/** The day the change took effect (the first day of the successors, or of the unit). */
	changedOn: string | null;
}

export async function unitContext(
	db: Kysely<Database>,
	principal: Principal,
	code: string,
	view: ViewState
): Promise<UnitContext> {
	const version = await dataVersion(db);
	const campaigns = await campaignsFor(db, principal, version);
	const { from, to, campaign: campaignId, vs: kind } = view;
	const campaign = campaignId ? (campaigns.find((c) => String(c.id) === campaignId) ?? null) : null;
	if (campaignId && !campaign) throw new PeriodError({ kind: 'unknown_campaign' });
	let period: DateRange;
	// Every period goes through the one bound (domain/periods.ts), a campaign's window too.
	if (from !== null || to !== null) period = checkedPeriod(from, to);
	else if (campaign) period = checkedPeriod(campaign.starts_on, campaign.ends_on);
	else {
		period = await defaultPeriod(db, principal, code, version);
	}
	const unit = await visibleUnit(db, principal, code, period, version);
	const compared = comparedPeriod(period, kind);
	const [breadcrumbs, lastDataDay, range, periodHasData, lineage] = await Promise.all([
		ancestors(db, principal, unit, version),
		latestDay(db, undefined, version),
		dataRange(db, [unit.id], version),
		hasDataIn(db, [unit.id], period, version),
		unitLineage(db, principal, unit, version)
	]);
	return {
		unit,
		period,
		comparison: { kind, period: compared },
		campaign,
		campaigns: campaigns.filter(
			(c) =>
				(unit.valid_from === null || unit.valid_from <= c.ends_on) &&
				(unit.valid_to === null || unit.valid_to >= c.starts_on)
		),
		breadcrumbs,
		lastDataDay,
		dataRange: range,
		periodHasData,
		dataUntil: dataUntil(range, period, unit.valid_to),
		lineage,
		dataVersion: version
	};
}

/** The period compared with: the one before of the same shape, or the same one a year earlier. */
export const comparedPeriod = (period: DateRange, kind: Comparison): DateRange =>
	kind === 'year'
		? { from: addYears(period.from, -1), to: addYears(period.to, -1) }
		: previousRange(period);

export const lineageRef = (u: UnitVersionRef): LineageRef => ({
	code: u.code,
	name: u.name,
	level: u.level,
	valid_from: u.valid_from,
	valid_to: u.valid_to
});

/** The unit's successors and predecessors in the principal's scope (auth/scope.ts). */
async function unitLineage(
	db: Kysely<Database>,
	principal: Principal,
	unit: UnitVersionRef,
	version: DataVersion
): Promise<UnitLineage> {
	const [scope, after, before] = await Promise.all([
		scopeOf(db, principal, version),
		remember(db, `successors|${version}|${unit.id}`, () => successorsOf(db, unit.id)),
		remember(db, `predecessors|${version}|${unit.id}`, () => predecessorsOf(db, unit.id))
	]);
	const successors = after.filter((u) => inScope(scope, u.id));
	const predecessors = before.filter((u) => inScope(scope, u.id));
	return {
		successors: successors.map(lineageRef),
		predecessors: predecessors.map(lineageRef),
		changedOn: successors[0]?.changed_on ?? predecessors[0]?.changed_on ?? null
	};
}

/**
 * Where `/` sends the principal (issue 12): the overview of his unit, on the latest month with
 * data for it (`defaultPeriod`); when his unit has ended, what it became that he may see today:
 * the comparison of those units (`/u/<code>/successors`, a dissolved district's communes), or
 * the one unit's overview (an old commune merged into a new one).
 */
export async function landingPath(
	db: Kysely<Database>,
	principal: Principal,
	today: string = vietnamToday()
): Promise<string> {
	const code = principal.unitCode;
	const path = `/u/${encodeURIComponent(code)}`;
	const version = await dataVersion(db);
	const scope = await scopeOf(db, principal, version);
	const own = await newestVersion(db, code, (id) => inScope(scope, id));
	if (own === null || own.valid_to === null || own.valid_to >= today) return path;
	const current = (await successorsOf(db, own.id)).filter(
		(u) => inScope(scope, u.id) && (u.valid_to === null || u.valid_to >= today)
	);
	if (current.length === 1) return `/u/${encodeURIComponent(current[0].code)}`;
	return current.length > 1 ? `${path}/successors` : path;
}

async function allCampaigns(db: Kysely<Database>, version: DataVersion): Promise<CampaignRef[]> {
	return remember(db, `campaigns|${version}`, async () => {
		const { rows } = await sql<CampaignRef>`SELECT id, name, starts_on, ends_on FROM campaigns
			ORDER BY starts_on DESC, name`.execute(db);
		return rows;
	});
}

/**
 * The campaigns covering the principal's units: set on a unit he may see, or on an ancestor of
 * one (the province's campaign applies to a district head's district; a neighbouring district's
 * does not, and its name is not his to read). A campaign outside the list is refused as unknown.
 */
export async function campaignsFor(
	db: Kysely<Database>,
	principal: Principal,
	version: DataVersion
): Promise<CampaignRef[]> {
	const campaigns = await allCampaigns(db, version);
	const scope = await scopeOf(db, principal, version);
	if (scope.all) return campaigns;
	const covering = await remember(db, `campaign-units|${version}`, async () => {
		// Per campaign, every unit version at or below a unit it sets a target on, or the unit the
		// campaigns editor set it on (migration 10: a campaign may have no target yet).
		const { rows } = await sql<{ campaign_id: number; unit_id: number }>`SELECT DISTINCT
					t.campaign_id, c.descendant_id AS unit_id
				FROM (SELECT campaign_id, unit_code FROM targets
					UNION SELECT id, unit_code FROM campaigns WHERE unit_code IS NOT NULL) t
				JOIN unit_versions u ON u.code = t.unit_code
				JOIN unit_closure c ON c.ancestor_id = u.id`.execute(db);
		return rows;
	});
	const visible = new Set(
		covering.filter((r) => scope.versions.has(r.unit_id)).map((r) => r.campaign_id)
	);
	return campaigns.filter((c) => visible.has(c.id));
}

/** The ancestors the principal may see (a district head's breadcrumbs start at his district). */
async function ancestors(
	db: Kysely<Database>,
	principal: Principal,
	unit: UnitVersionRef,
	version: DataVersion
): Promise<UnitRef[]> {
	const { rows } = await sql<UnitRef & { id: number }>`SELECT u.id, u.code, u.name, u.level
		FROM unit_closure c JOIN unit_versions u ON u.id = c.ancestor_id
		WHERE c.descendant_id = ${unit.id} AND c.depth > 0
		ORDER BY c.depth DESC`.execute(db);
	const scope = await scopeOf(db, principal, version);
	return rows
		.filter((row) => inScope(scope, row.id))
		.map((row) => ({ code: row.code, name: row.name, level: row.level }));
}

/**
 * The last day a dossier was received (any unit), among the days it can have been: from
 * PERIOD_FIRST_DAY to tomorrow in Vietnam (an import runs up to a day ahead of a clock that is
 * slightly wrong). One dossier stored as received on 9999-12-31 or 0001-01-01 — the importers
 * refuse them, but a page must never die on stored data — would otherwise set every default
 * period and the data page's months (issue 10).
 */
export async function latestDay(
	db: Kysely<Database>,
	today: string = vietnamToday(),
	version?: DataVersion
): Promise<string | null> {
	return remember(db, `latest-day|${await versionOf(db, version)}|${today}`, async () => {
		const { rows } = await sql<{ day: string | null }>`SELECT CAST(max(received_at) AS DATE) AS day
			FROM dossiers WHERE received_at >= CAST(${PERIOD_FIRST_DAY} AS TIMESTAMP)
				AND received_at < CAST(${addDays(today, 2)} AS TIMESTAMP)`.execute(db);
		return rows[0].day;
	});
}

/**
 * The month to show when the URL gives no period: the month of the latest dossier of the unit's
 * newest visible version's subtree (issue 12: a unit whose data stop early opens on its last
 * month with data, not on an empty one), else of any unit; within that version's validity (a
 * district dissolved on 1 July 2025 opens on June 2025).
 */
export async function defaultPeriod(
	db: Kysely<Database>,
	principal: Principal,
	code: string,
	dataVersion?: DataVersion
): Promise<DateRange> {
	const scope = await scopeOf(db, principal, dataVersion);
	const { rows } = await sql<{ id: number; valid_from: string | null; valid_to: string | null }>`
		SELECT id, valid_from, valid_to FROM unit_versions WHERE code = ${code}
		ORDER BY valid_from DESC NULLS LAST`.execute(db);
	const version = rows.find((r) => scope.all || scope.versions.has(r.id));
	if (!version) throw new OutOfScope();
	const own = await dataRange(db, [version.id], dataVersion);
	const latest = own?.to ?? (await latestDay(db, undefined, dataVersion));
	// Today in Vietnam, not in UTC: from 00:00 to 07:00 on the 1st, UTC is still last month.
	let day = latest ?? vietnamToday();
	if (version.valid_to && version.valid_to < day) day = version.valid_to;
	if (version.valid_from && version.valid_from > day) day = version.valid_from;
	// A unit's validity may reach beyond the bounds (a unit valid from 1990): the period may not.
	if (day < PERIOD_FIRST_DAY) day = PERIOD_FIRST_DAY;
	if (day > PERIOD_LAST_DAY) day = PERIOD_LAST_DAY;
	const month = monthIndex(day);
	return { from: monthFirstDay(month), to: monthLastDay(month) };
}
