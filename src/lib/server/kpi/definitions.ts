/**
 * The KPIs of DOMAIN.md as data. A dossier KPI is a ratio of two *measures*; a measure is a count
 * of dossiers matching a condition, dated by the day they were received or completed. The
 * aggregates (aggregates.ts) and the raw-scan check (the property test) are both built from these
 * conditions, so a definition changes in one place. Conditions are SQL over `dossier_facts`
 * (aggregates.ts): a dossier with its effective online level (its own, or its procedure's).
 */
import { sql, type RawBuilder } from 'kysely';
import type { DossierKpiId, KpiId } from '../../domain/kpi-ids';
import type { MeasureColumn } from '../db/schema';

export type PeriodBasis = 'received' | 'completed';

export interface Measure {
	id: string;
	basis: PeriodBasis;
	/** SQL condition over one row of `dossier_facts`. */
	when: string;
}

export const MEASURES = [
	{ id: 'dossiers', basis: 'received', when: 'true' },
	{ id: 'eligible', basis: 'received', when: "online_level IN ('full', 'partial')" },
	{
		id: 'eligible_online',
		basis: 'received',
		when: "online_level IN ('full', 'partial') AND channel = 'online'"
	},
	{ id: 'full_process', basis: 'received', when: "online_level = 'full'" },
	{
		id: 'full_process_online',
		basis: 'received',
		when: "online_level = 'full' AND channel = 'online'"
	},
	{ id: 'fee_required', basis: 'received', when: 'fee_required' },
	{ id: 'fee_paid_online', basis: 'received', when: 'fee_required AND paid_online' },
	{ id: 'dossier_digitized', basis: 'received', when: 'dossier_digitized' },
	{ id: 'data_reused', basis: 'received', when: 'data_reused' },
	{ id: 'portal_synced', basis: 'received', when: 'portal_synced' },
	{ id: 'rated', basis: 'received', when: 'rating IS NOT NULL' },
	{ id: 'rated_satisfied', basis: 'received', when: "rating = 'satisfied'" },
	{ id: 'completed', basis: 'completed', when: 'completed_at IS NOT NULL' },
	{
		id: 'completed_result_digitized',
		basis: 'completed',
		when: 'completed_at IS NOT NULL AND result_digitized'
	},
	{
		id: 'completed_with_due',
		basis: 'completed',
		when: 'completed_at IS NOT NULL AND due_at IS NOT NULL'
	},
	{
		id: 'completed_on_time',
		basis: 'completed',
		when: 'completed_at IS NOT NULL AND due_at IS NOT NULL AND completed_at <= due_at'
	}
] as const satisfies readonly (Measure & { id: MeasureColumn })[];

export type MeasureId = (typeof MEASURES)[number]['id'];

/**
 * A measure's or a catalogue KPI's condition as SQL. The engine's one `sql.raw`: the text is one of
 * the constant definitions of this file, never input, and a condition is SQL by design (the
 * aggregates and the property test's raw scan read the same text).
 */
export const condition = (when: string): RawBuilder<boolean> => sql.raw<boolean>(`(${when})`);

/** A measure's condition by its id (the lists of dossiers behind a measure: late, short of a KPI). */
export const measureCondition = (id: MeasureId): RawBuilder<boolean> =>
	condition(MEASURES.find((m) => m.id === id)!.when);

/** The aggregate tables have a column for each measure and for nothing else (db/schema.ts). */
const _everyColumnMeasured: Exclude<MeasureColumn, MeasureId> extends never ? true : never = true;

export interface Text {
	vi: string;
	en: string;
}

export interface DossierKpiDefinition {
	id: DossierKpiId;
	kind: 'dossier';
	name: Text;
	/** One line a reform team can read. */
	formula: Text;
	numerator: MeasureId;
	denominator: MeasureId;
	basis: PeriodBasis;
}

export interface CatalogueKpiDefinition {
	id: Exclude<KpiId, DossierKpiId>;
	kind: 'catalogue';
	name: Text;
	formula: Text;
	/** SQL conditions over one active procedure of the unit's catalogue. */
	numerator: string;
	denominator: string;
}

export type KpiDefinition = DossierKpiDefinition | CatalogueKpiDefinition;

const dossierKpi = (
	id: DossierKpiId,
	name: Text,
	formula: Text,
	numerator: MeasureId,
	denominator: MeasureId
): DossierKpiDefinition => ({
	id,
	kind: 'dossier',
	name,
	formula,
	numerator,
	denominator,
	basis: MEASURES.find((m) => m.id === numerator)!.basis
});

export const KPI_DEFINITIONS: KpiDefinition[] = [
	dossierKpi(
		'online_submission_rate',
		{ vi: 'Tỷ lệ hồ sơ nộp trực tuyến', en: 'Dossiers filed online' },
		{
			vi: 'Hồ sơ nộp trực tuyến của TTHC đủ điều kiện (toàn trình, một phần) / hồ sơ của TTHC đủ điều kiện, theo ngày tiếp nhận',
			en: 'Dossiers filed online for eligible procedures (full or partial) / dossiers for eligible procedures, by day received'
		},
		'eligible_online',
		'eligible'
	),
	dossierKpi(
		'full_process_online_rate',
		{ vi: 'Tỷ lệ hồ sơ trực tuyến toàn trình', en: 'Full-process online dossiers' },
		{
			vi: 'Hồ sơ nộp trực tuyến của TTHC toàn trình / hồ sơ của TTHC toàn trình, theo ngày tiếp nhận',
			en: 'Dossiers filed online for full-process procedures / dossiers for full-process procedures, by day received'
		},
		'full_process_online',
		'full_process'
	),
	dossierKpi(
		'online_payment_rate',
		{ vi: 'Tỷ lệ thanh toán trực tuyến', en: 'Fees paid online' },
		{
			vi: 'Hồ sơ có phí, lệ phí đã thanh toán trực tuyến / hồ sơ có phí, lệ phí, theo ngày tiếp nhận',
			en: 'Fee-bearing dossiers paid online / fee-bearing dossiers, by day received'
		},
		'fee_paid_online',
		'fee_required'
	),
	dossierKpi(
		'dossier_digitization_rate',
		{ vi: 'Tỷ lệ số hóa hồ sơ', en: 'Dossiers digitized' },
		{
			vi: 'Hồ sơ được số hóa thành phần khi tiếp nhận / tổng số hồ sơ, theo ngày tiếp nhận',
			en: 'Dossiers digitized at intake / all dossiers, by day received'
		},
		'dossier_digitized',
		'dossiers'
	),
	dossierKpi(
		'result_digitization_rate',
		{ vi: 'Tỷ lệ số hóa kết quả', en: 'Results digitized' },
		{
			vi: 'Hồ sơ đã có kết quả được số hóa (kết quả điện tử) / hồ sơ đã có kết quả, theo ngày có kết quả',
			en: 'Completed dossiers with a digitized result / completed dossiers, by day completed'
		},
		'completed_result_digitized',
		'completed'
	),
	dossierKpi(
		'data_reuse_rate',
		{ vi: 'Tỷ lệ khai thác, sử dụng lại dữ liệu số hóa', en: 'Digitized data reused' },
		{
			vi: 'Hồ sơ khai thác, sử dụng lại dữ liệu đã số hóa / tổng số hồ sơ, theo ngày tiếp nhận',
			en: 'Dossiers reusing digitized data / all dossiers, by day received'
		},
		'data_reused',
		'dossiers'
	),
	dossierKpi(
		'portal_sync_rate',
		{ vi: 'Tỷ lệ đồng bộ Cổng Dịch vụ công quốc gia', en: 'Synced to the national portal' },
		{
			vi: 'Hồ sơ đồng bộ trạng thái lên Cổng DVCQG / tổng số hồ sơ, theo ngày tiếp nhận',
			en: 'Dossiers synced to the National Public Service Portal / all dossiers, by day received'
		},
		'portal_synced',
		'dossiers'
	),
	dossierKpi(
		'on_time_rate',
		{ vi: 'Tỷ lệ hồ sơ giải quyết đúng hạn', en: 'Resolved on time' },
		{
			vi: 'Hồ sơ có kết quả không muộn hơn hạn xử lý / hồ sơ đã có kết quả và có hạn xử lý, theo ngày có kết quả',
			en: 'Dossiers completed by their due date / completed dossiers with a due date, by day completed'
		},
		'completed_on_time',
		'completed_with_due'
	),
	dossierKpi(
		'satisfaction_rate',
		{ vi: 'Tỷ lệ hài lòng', en: 'Satisfied users' },
		{
			vi: 'Hồ sơ được đánh giá hài lòng / hồ sơ có đánh giá, theo ngày tiếp nhận',
			en: 'Dossiers rated satisfied / dossiers with a rating, by day received'
		},
		'rated_satisfied',
		'rated'
	),
	{
		id: 'online_service_coverage',
		kind: 'catalogue',
		name: { vi: 'Tỷ lệ TTHC cung cấp trực tuyến', en: 'Procedures offered online' },
		formula: {
			vi: 'TTHC trực tuyến toàn trình hoặc một phần / TTHC đang thực hiện',
			en: 'Procedures online in full or in part / active procedures'
		},
		numerator: "online_level IN ('full', 'partial')",
		denominator: 'true'
	},
	{
		id: 'full_process_coverage',
		kind: 'catalogue',
		name: { vi: 'Tỷ lệ TTHC trực tuyến toàn trình', en: 'Procedures fully online' },
		formula: {
			vi: 'TTHC trực tuyến toàn trình / TTHC đang thực hiện',
			en: 'Full-process online procedures / active procedures'
		},
		numerator: "online_level = 'full'",
		denominator: 'true'
	},
	{
		id: 'payment_enabled_rate',
		kind: 'catalogue',
		name: { vi: 'Tỷ lệ TTHC có thanh toán trực tuyến', en: 'Fee procedures payable online' },
		formula: {
			vi: 'TTHC có phí, lệ phí cho phép thanh toán trực tuyến / TTHC có phí, lệ phí',
			en: 'Fee procedures that accept online payment / fee procedures'
		},
		numerator: 'has_fee AND online_payment',
		denominator: 'has_fee'
	}
];

export const DOSSIER_DEFINITIONS = KPI_DEFINITIONS.filter(
	(d): d is DossierKpiDefinition => d.kind === 'dossier'
);

export const CATALOGUE_DEFINITIONS = KPI_DEFINITIONS.filter(
	(d): d is CatalogueKpiDefinition => d.kind === 'catalogue'
);
