/**
 * The dossiers behind a dossier KPI's shortfall (issue 16: the scorecard's points lost, "and the
 * dossiers behind them"): the dossiers of a unit's subtree that its denominator counts for the
 * period and its numerator does not — not synced to the portal, not digitized, no electronic
 * result, not paid online, not filed online… — a page of 50 at a time. The conditions are the
 * KPI's own measures (kpi/definitions.ts) over `dossier_facts`, dated as the KPI dates them, so the
 * list's length is the KPI's denominator minus its numerator, to the dossier.
 *
 * The list leads with the dossiers of units that exist at the period's end (they can still act),
 * the most recent first.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import { addDays } from '../../domain/dates';
import type { DossierKpiId } from '../../domain/kpi-ids';
import type { DateRange } from '../../domain/periods';
import type { ShortfallState } from '../../domain/url-params';
import { remember, type DataVersion } from '../db/cache';
import type { Database } from '../db/schema';
import {
	DOSSIER_DEFINITIONS,
	measureCondition as measure,
	type DossierKpiDefinition,
	type PeriodBasis
} from '../kpi/definitions';
import type { UnitVersionRef } from '../units/versions';

export const SHORTFALL_PER_PAGE = 50;

export interface ShortfallDossier {
	dossier_code: string;
	procedure_code: string;
	procedure_name: string | null;
	unit_code: string;
	unit_name: string;
	/** The last day of the unit's version, when it ended before the period's end (else null). */
	unit_ended: string | null;
	channel: string;
	received_at: string;
	completed_at: string | null;
}

export interface ShortfallView {
	kpi: DossierKpiId;
	/** Whether the KPI dates a dossier by its receipt or its completion. */
	basis: PeriodBasis;
	/** The dossiers the KPI's denominator counts, and those of them listed (not in the numerator). */
	denominator: number;
	count: number;
	rows: ShortfallDossier[];
	page: number;
	pages: number;
	perPage: number;
}

/** The denominator's dossiers of the subtree of `unitId` in the period, with whether each is short. */
function counted(definition: DossierKpiDefinition, unitId: number, period: DateRange) {
	const dated = sql.ref(definition.basis === 'received' ? 'f.received_at' : 'f.completed_at');
	return sql`SELECT f.*, NOT coalesce(${measure(definition.numerator)}, false) AS short
		FROM dossier_facts f
		WHERE f.unit_version_id IN (SELECT descendant_id FROM unit_closure WHERE ancestor_id = ${unitId})
			AND ${dated} >= CAST(${period.from} AS TIMESTAMP)
			AND ${dated} < CAST(${addDays(period.to, 1)} AS TIMESTAMP)
			AND ${measure(definition.denominator)}`;
}

/** The page's view; with the request's data version it is remembered (db/cache.ts). */
export async function shortfallView(
	db: Kysely<Database>,
	unit: UnitVersionRef,
	period: DateRange,
	state: ShortfallState,
	version?: DataVersion
): Promise<ShortfallView> {
	if (version === undefined) return computeShortfall(db, unit, period, state);
	const key = `shortfall|${version}|${unit.id}|${period.from}|${period.to}|${state.kpi}|${state.page}`;
	return remember(db, key, () => computeShortfall(db, unit, period, state));
}

async function computeShortfall(
	db: Kysely<Database>,
	unit: UnitVersionRef,
	period: DateRange,
	state: ShortfallState
): Promise<ShortfallView> {
	const definition = DOSSIER_DEFINITIONS.find((d) => d.id === state.kpi)!;
	const dossiers = counted(definition, unit.id, period);
	const { rows: totals } = await sql<{ denominator: number; count: number }>`SELECT
			CAST(count(*) AS INTEGER) AS denominator,
			CAST(count(*) FILTER (WHERE short) AS INTEGER) AS count
		FROM (${dossiers})`.execute(db);
	const { denominator, count } = totals[0];
	const pages = Math.max(1, Math.ceil(count / SHORTFALL_PER_PAGE));
	const page = Math.min(state.page, pages);
	const rows = await listed(
		db,
		dossiers,
		definition.basis,
		period,
		(page - 1) * SHORTFALL_PER_PAGE
	);
	return {
		kpi: state.kpi,
		basis: definition.basis,
		denominator,
		count,
		rows,
		page,
		pages,
		perPage: SHORTFALL_PER_PAGE
	};
}

async function listed(
	db: Kysely<Database>,
	dossiers: RawBuilder<unknown>,
	basis: PeriodBasis,
	period: DateRange,
	offset: number
): Promise<ShortfallDossier[]> {
	const dated = sql.ref(basis === 'received' ? 'd.received_at' : 'd.completed_at');
	const ended = sql`u.valid_to IS NOT NULL AND u.valid_to < CAST(${period.to} AS DATE)`;
	const { rows } = await sql<ShortfallDossier>`SELECT d.dossier_code, d.procedure_code,
			p.name AS procedure_name, u.code AS unit_code, u.name AS unit_name,
			CASE WHEN ${ended} THEN u.valid_to END AS unit_ended, d.channel,
			d.received_at, d.completed_at
		FROM (${dossiers}) d
		JOIN unit_versions u ON u.id = d.unit_version_id
		LEFT JOIN procedures p ON p.code = d.procedure_code
		WHERE d.short
		ORDER BY ${ended}, ${dated} DESC, d.dossier_code
		LIMIT ${SHORTFALL_PER_PAGE} OFFSET ${offset}`.execute(db);
	return rows;
}
