/** The KPI ids of DOMAIN.md; definitions (formulas) live with the KPI engine on the server. */
export const DOSSIER_KPI_IDS = [
	'online_submission_rate',
	'full_process_online_rate',
	'online_payment_rate',
	'dossier_digitization_rate',
	'result_digitization_rate',
	'data_reuse_rate',
	'portal_sync_rate',
	'on_time_rate',
	'satisfaction_rate'
] as const;

export const CATALOGUE_KPI_IDS = [
	'online_service_coverage',
	'full_process_coverage',
	'payment_enabled_rate'
] as const;

export type DossierKpiId = (typeof DOSSIER_KPI_IDS)[number];
export type CatalogueKpiId = (typeof CATALOGUE_KPI_IDS)[number];

export const KPI_IDS = [...DOSSIER_KPI_IDS, ...CATALOGUE_KPI_IDS] as const;
export type KpiId = (typeof KPI_IDS)[number];

export function isKpiId(id: string): id is KpiId {
	return (KPI_IDS as readonly string[]).includes(id);
}

/**
 * The KPI every page shows first, and the one the overview's "who pulls us down" list ranks by
 * when the unit misses no target: the first target of every campaign.
 */
export const HEADLINE_KPI = 'online_submission_rate' satisfies DossierKpiId;

/** The KPIs a procedure's service decides: how it is filed, paid and resolved. */
export const PROCEDURE_KPIS = [
	'online_submission_rate',
	'full_process_online_rate',
	'online_payment_rate',
	'on_time_rate'
] as const satisfies readonly DossierKpiId[];
export type ProcedureKpiId = (typeof PROCEDURE_KPIS)[number];
