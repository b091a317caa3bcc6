/**
 * The tables of the DuckDB file as Kysely sees them. Dates are `YYYY-MM-DD` strings, timestamps
 * `YYYY-MM-DDTHH:mm:ss` Asia/Ho_Chi_Minh wall-clock strings (see values.ts).
 */
import type { Generated, Selectable } from 'kysely';
import type {
	Channel,
	DossierStatus,
	ImportKind,
	OnlineLevel,
	Rating,
	Role,
	TargetLevel,
	UnitLevel
} from '../../domain/types';

export interface UnitVersionTable {
	id: number;
	code: string;
	name: string;
	level: UnitLevel;
	parent_code: string | null;
	/** The parent version valid on the first day of this version (CONTRACT: units). */
	parent_id: number | null;
	valid_from: string | null;
	valid_to: string | null;
	/** `/1/5/77/`: the ids from the root down to this version, for subtree tests and breadcrumbs. */
	path: string;
	depth: number;
	import_batch_id: number | null;
	/**
	 * The agency's electronic identifier (`000.00.18.H28`, migration 11), upper case; unique among
	 * the versions valid on any one day. Null when the units file gave none.
	 */
	agency_code: string | null;
}

/** Every (ancestor, descendant) pair of unit versions, itself included at depth 0. */
export interface UnitClosureTable {
	ancestor_id: number;
	descendant_id: number;
	depth: number;
}

export interface ProcedureTable {
	code: string;
	name: string;
	level: TargetLevel;
	field: string | null;
	online_level: OnlineLevel;
	has_fee: boolean;
	online_payment: boolean;
	/** The owner's unit code (a department, or the province or district whose catalogue it is). */
	unit_code: string | null;
	active: boolean;
	import_batch_id: number | null;
}

export interface DossierTable {
	dossier_code: string;
	procedure_code: string;
	unit_code: string;
	/** The version of `unit_code` valid on the day the dossier was received. */
	unit_version_id: number;
	channel: Channel;
	received_at: string;
	due_at: string | null;
	completed_at: string | null;
	status: DossierStatus;
	/** As given in the file; null means the procedure's own level applies. */
	online_level: OnlineLevel | null;
	fee_required: boolean;
	paid_online: boolean;
	dossier_digitized: boolean;
	result_digitized: boolean;
	data_reused: boolean;
	portal_synced: boolean;
	rating: Rating | null;
	import_batch_id: number | null;
}

export interface CampaignTable {
	id: number;
	name: string;
	starts_on: string;
	ends_on: string;
	import_batch_id: number | null;
	/** The unit the campaigns editor set it on (migration 10); null: the units of its targets. */
	unit_code: string | null;
}

export interface TargetTable {
	campaign_id: number;
	unit_code: string;
	kpi: string;
	level: TargetLevel;
	target: number;
	import_batch_id: number | null;
}

/**
 * Where an import stands (issue 14): `queued` until the one before it ends, then `validating`
 * (read, staged, checked) and `committing` (merged in one transaction), ending `done` or
 * `failed`; a done import may later be `undone`. `running` is the one status of imports logged
 * before migration 8 (the next open marks it failed).
 */
export type ImportStatus =
	'queued' | 'validating' | 'committing' | 'done' | 'failed' | 'undone' | 'running';

export interface ImportBatchTable {
	id: Generated<number>;
	kind: ImportKind;
	file_name: string;
	file_size: number;
	sha256: string;
	format: string;
	status: ImportStatus;
	rows_total: Generated<number>;
	/** Rows through the current phase so far; `rows_total` once done. */
	rows_done: Generated<number>;
	inserted: Generated<number>;
	updated: Generated<number>;
	unchanged: Generated<number>;
	rejected: Generated<number>;
	skipped: Generated<number>;
	message: string | null;
	queued_at: string | null;
	/** When validation began: null while queued. */
	started_at: string | null;
	commit_started_at: string | null;
	finished_at: string | null;
	/**
	 * `api` (an upload), `cli` (a command, here or through the control socket) or `editor` (a
	 * save of the campaigns editor, jobs/campaign-edit.ts).
	 */
	source: Generated<'api' | 'cli' | 'editor'>;
	user_id: string | null;
	username: string | null;
	/** The uploaded file while the job waits or runs (removed when it ends). */
	stored_file: string | null;
	/** The last done import of the same kind and SHA-256 when this one was queued. */
	duplicate_of: number | null;
	/** False for imports logged before migration 8, which kept nothing to undo them with. */
	undoable: Generated<boolean>;
	undone_at: string | null;
	undone_by: string | null;
}

/** Where a draft's last check stands (migration 9). */
export type DraftCheckStatus = 'none' | 'queued' | 'checking' | 'clean' | 'errors';

/** An uploaded file not yet imported (migration 9): the upload page's draft. */
export interface ImportDraftTable {
	id: Generated<number>;
	user_id: string;
	username: string;
	kind: ImportKind;
	file_name: string;
	file_size: number;
	sha256: string;
	format: string;
	/** The file on disk; null once committed (the import's job owns it) or expired. */
	stored_file: string | null;
	/** The spreadsheet row of the header found, when one was. */
	header_row: number | null;
	/** JSON: the first rows of the file as read (formats/peek.ts), to find the header again for another kind. */
	head_rows: string;
	/** JSON: the source headers as written. */
	headers: string;
	/** The folded source headers, sorted and joined: what a profile is picked by. */
	header_set: string;
	/** JSON: source header → column, or null to leave it out. */
	mapping: string;
	profile_id: number | null;
	check_status: Generated<DraftCheckStatus>;
	/** JSON: the last check's outcome (jobs/drafts/check.ts DraftCheck). */
	check_result: string | null;
	checked_at: string | null;
	/** The import the draft was committed as. */
	batch_id: number | null;
	created_at: string;
	expires_at: string;
}

/** A named column mapping for one kind and one set of source headers (migration 9). */
export interface ImportProfileTable {
	id: Generated<number>;
	name: string;
	kind: ImportKind;
	header_set: string;
	/** JSON: folded source header → column, or null to leave it out. */
	mapping: string;
	updated_by: string;
	updated_at: string;
}

/** A rejected file's first row errors (migration 8), in the order they were reported. */
export interface ImportErrorTable {
	batch_id: number;
	position: number;
	row: number | null;
	column_name: string | null;
	value: string | null;
	message: string;
	/** The record's key where the format names records by it (migration 12). */
	record: string | null;
}

/** A stored row as it was before batch `batch_id` replaced it (migration 8): what undo restores. */
export type ReplacedRow<T> = T & { batch_id: number };

/** A unit version an import touched (migration 005): the data page shows imports by scope. */
export interface ImportBatchUnitTable {
	batch_id: number;
	unit_version_id: number;
}

export interface SchemaMigrationTable {
	version: number;
	name: string;
	applied_at: Generated<string>;
}

export interface UserTable {
	id: string;
	username: string;
	password_hash: string;
	role: Role;
	/** The unit whose subtree is the user's scope. */
	unit_code: string;
	locale: 'vi' | 'en';
	disabled: boolean;
	created_at: string;
	password_changed_at: string;
}

export interface SessionTable {
	id: string;
	user_id: string;
	/** Hex SHA-256 of the token's secret; the secret itself is never stored. */
	secret_hash: string;
	created_at: string;
	last_used_at: string;
}

export interface ApiTokenTable {
	id: string;
	user_id: string;
	name: string;
	secret_hash: string;
	created_at: string;
	last_used_at: string | null;
	revoked_at: string | null;
}

export interface AuditLogTable {
	id: Generated<number>;
	logged_at: string;
	user_id: string | null;
	username: string | null;
	action: string;
	detail: string | null;
	ip: string | null;
}

/** A unit's report frame (migration 7); `updated_at` a Vietnam timestamp as the audit log's. */
export interface ReportHeaderTable {
	unit_code: string;
	governing_body: string;
	issuing_body: string;
	abbreviation: string;
	place: string;
	signer_title: string;
	signer_name: string;
	recipients: string;
	updated_by: string;
	updated_at: string;
}

/**
 * One indicator of the service index (migration 13, kpi/service-index.ts): `ratio` one of the
 * vocabulary of domain/service-index.ts, `rule` linear or threshold; `updated_at` a Vietnam
 * timestamp, null while the seeded default stands.
 */
export interface IndexIndicatorTable {
	id: string;
	name: string;
	indicator_group: string;
	points: number;
	ratio: string;
	rule: string;
	threshold: number | null;
	source: string;
	assumption: string;
	position: number;
	updated_at: string | null;
	updated_by: string | null;
}

export interface LoginThrottleTable {
	key: string;
	failures: number;
	last_failure_at: string;
}

/** One unit formed (wholly or partly) from another on `changed_on` (migration 003). */
export interface UnitLineageTable {
	new_code: string;
	old_code: string;
	changed_on: string;
	partial: boolean;
}

/**
 * A unit's monthly report as published (migration 006, report/publish.ts): its three files as
 * made, and the figures they were made from. An edition is never changed; publishing the same
 * unit and month again adds the next edition.
 */
export interface PublishedReportTable {
	id: Generated<number>;
	unit_code: string;
	unit_version_id: number;
	/** The unit's name when published. */
	unit_name: string;
	/** `YYYY-MM`. */
	month: string;
	/** 1, 2, … per unit version and month; the highest is the current one. */
	edition: number;
	/** The document's number ("15/BC-SNV"), printed in the PDF's header; null when not given. */
	document_number: string | null;
	published_by_id: string | null;
	/** The username, kept as text: an account renamed or gone still names who published. */
	published_by: string;
	published_at: string;
	/** db/cache.ts `dataVersion` when the figures were gathered. */
	data_version: string;
	/** The gathered report (report/monthly.ts `MonthlyReport`) as JSON. */
	figures: string;
	xlsx: Uint8Array;
	xlsx_sha256: string;
	xlsx_name: string;
	pdf: Uint8Array;
	pdf_sha256: string;
	pdf_name: string;
	/** The ZIP of one CSV per table. */
	csv: Uint8Array;
	csv_sha256: string;
	csv_name: string;
}

/**
 * The count columns of the aggregate tables, one per measure: exactly the ids of `MEASURES` in
 * kpi/definitions.ts, which fails to compile when the two lists differ. Named here, as a type
 * only, so that db/ types every table without depending on the engine that fills them.
 */
export type MeasureColumn =
	| 'dossiers'
	| 'eligible'
	| 'eligible_online'
	| 'full_process'
	| 'full_process_online'
	| 'fee_required'
	| 'fee_paid_online'
	| 'dossier_digitized'
	| 'data_reused'
	| 'portal_synced'
	| 'rated'
	| 'rated_satisfied'
	| 'completed'
	| 'completed_result_digitized'
	| 'completed_with_due'
	| 'completed_on_time';

export type MeasureCounts = Record<MeasureColumn, number>;

/** Per unit version and day (received measures on the day received, completed ones on the day completed). */
export type KpiDailyTable = { unit_version_id: number; day: string } & MeasureCounts;

/** Per unit version and month (`month` is its first day): the sums of `kpi_daily`. */
export type KpiMonthlyTable = { unit_version_id: number; month: string } & MeasureCounts;

/** Per unit version and month, the counts of its whole subtree (through `unit_closure`). */
export type KpiMonthlySubtreeTable = { ancestor_id: number; month: string } & MeasureCounts;

/** The dossiers late at some moment (kpi/aggregates.ts, `LATE_CANDIDATE`), which the Late page reads. */
export type LateCandidateTable = Pick<
	DossierTable,
	'dossier_code' | 'procedure_code' | 'unit_version_id' | 'received_at' | 'completed_at' | 'status'
> & { due_at: string };

/**
 * The view the KPI conditions read (kpi/aggregates.ts): a dossier with its effective online level
 * (its own, else its procedure's).
 */
export interface DossierFactsView {
	unit_version_id: number;
	procedure_code: string;
	received_at: string;
	due_at: string | null;
	completed_at: string | null;
	channel: Channel;
	online_level: OnlineLevel | null;
	fee_required: boolean;
	paid_online: boolean;
	dossier_digitized: boolean;
	result_digitized: boolean;
	data_reused: boolean;
	portal_synced: boolean;
	rating: Rating | null;
}

/**
 * Temp tables of an import's transaction (kpi/aggregates.ts): the (unit version, month) pairs whose
 * counts it changes, and the (ancestor, month) pairs of the subtree rollup that follow.
 */
export interface ImportAffectedTable {
	unit_version_id: number;
	month: string;
}

export interface ImportAffectedSubtreesTable {
	ancestor_id: number;
	month: string;
}

/**
 * Every table and view the application queries by name. The import's staging tables
 * (`import_raw`, `import_typed`, …) are not here: their columns are those of the file being read.
 */
export interface Database {
	unit_versions: UnitVersionTable;
	unit_closure: UnitClosureTable;
	procedures: ProcedureTable;
	dossiers: DossierTable;
	campaigns: CampaignTable;
	targets: TargetTable;
	import_batches: ImportBatchTable;
	import_batch_units: ImportBatchUnitTable;
	import_errors: ImportErrorTable;
	import_drafts: ImportDraftTable;
	import_profiles: ImportProfileTable;
	import_replaced_dossiers: ReplacedRow<DossierTable>;
	import_replaced_units: ReplacedRow<
		Pick<
			UnitVersionTable,
			| 'id'
			| 'code'
			| 'name'
			| 'level'
			| 'parent_code'
			| 'valid_from'
			| 'valid_to'
			| 'import_batch_id'
			| 'agency_code'
		>
	>;
	import_replaced_procedures: ReplacedRow<ProcedureTable>;
	import_replaced_campaigns: ReplacedRow<CampaignTable>;
	import_replaced_targets: ReplacedRow<TargetTable>;
	schema_migrations: SchemaMigrationTable;
	users: UserTable;
	sessions: SessionTable;
	api_tokens: ApiTokenTable;
	audit_log: AuditLogTable;
	login_throttle: LoginThrottleTable;
	report_headers: ReportHeaderTable;
	index_indicators: IndexIndicatorTable;
	unit_lineage: UnitLineageTable;
	published_reports: PublishedReportTable;
	kpi_daily: KpiDailyTable;
	kpi_monthly: KpiMonthlyTable;
	kpi_monthly_subtree: KpiMonthlySubtreeTable;
	late_candidates: LateCandidateTable;
	dossier_facts: DossierFactsView;
	import_affected: ImportAffectedTable;
	import_affected_subtrees: ImportAffectedSubtreesTable;
}

export type UnitVersion = Selectable<UnitVersionTable>;
