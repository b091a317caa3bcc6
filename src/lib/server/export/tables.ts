/**
 * The dashboard's tables as export tables (table.ts): the same values the pages show, taken from
 * the same dashboard modules (compare.ts, procedures.ts, late.ts, map.ts, trends.ts) and never
 * computed again here. Every KPI goes out as its rate, numerator and denominator (DOMAIN.md:
 * always both counts), with its target and status; words in the user's language.
 */
import { formatDate, formatDateTime, type Locale } from '../../domain/format';
import type { TargetStatus } from '../../domain/figures';
import type { DateRange } from '../../domain/periods';
import type { KpiId } from '../../domain/kpi-ids';
import type { UnitLevel } from '../../domain/types';
import { vietnamTimestamp } from '../../domain/dates';
import { m } from '$lib/paraglide/messages';
import { KPI_DEFINITIONS } from '../kpi/definitions';
import type { ChildrenComparison } from '../dashboard/compare';
import type { LateDossier, LateKind } from '../dashboard/late';
import type { CommuneMap, UnitFigure } from '../dashboard/map';
import type { ProcedureRow, ProcedureKpiId } from '../dashboard/procedures';
import { PROCEDURE_KPIS } from '../dashboard/procedures';
import type { UnitTrend } from '../dashboard/trends';
import type { Cell, ExportColumn, ExportTable } from './table';

/** Who asks, for which unit and period, in which language: the title lines of every table. */
export interface ExportFrame {
	unit: { code: string; name: string };
	period: DateRange;
	locale: Locale;
	username: string;
	/** When the export is made (ms since the epoch); the title says it in Vietnam time. */
	now: number;
}

const kpiName = (id: KpiId, locale: Locale) =>
	KPI_DEFINITIONS.find((d) => d.id === id)!.name[locale];

function statusWord(status: TargetStatus | null, locale: Locale): string | null {
	if (status === null) return null;
	const words = { met: m.status_met, close: m.status_close, below: m.status_below };
	return words[status]({}, { locale });
}

function levelWord(level: UnitLevel, locale: Locale): string {
	const words = {
		province: m.level_province,
		department: m.level_department,
		district: m.level_district,
		commune: m.level_commune
	};
	return words[level]({}, { locale });
}

function titleLines(frame: ExportFrame, table: string, extra: string[] = []): string[] {
	const { locale } = frame;
	return [
		m.export_title({ table, unit: frame.unit.name, code: frame.unit.code }, { locale }),
		m.export_title_period(
			{ from: formatDate(frame.period.from, locale), to: formatDate(frame.period.to, locale) },
			{ locale }
		),
		...extra,
		m.export_title_generated(
			{ time: formatDateTime(vietnamTimestamp(frame.now), locale), user: frame.username },
			{ locale }
		)
	];
}

/** Rate, numerator, denominator, target and status of one KPI: five columns. */
function kpiColumns(id: KpiId | null, locale: Locale): ExportColumn[] {
	const o = { locale };
	const name = id === null ? null : kpiName(id, locale);
	const header = (named: typeof m.export_col_kpi_value, plain: () => string) =>
		name === null ? plain() : named({ kpi: name }, o);
	return [
		{ header: header(m.export_col_kpi_value, () => m.export_col_value({}, o)), kind: 'ratio' },
		{
			header: header(m.export_col_kpi_numerator, () => m.export_col_numerator({}, o)),
			kind: 'integer'
		},
		{
			header: header(m.export_col_kpi_denominator, () => m.export_col_denominator({}, o)),
			kind: 'integer'
		},
		{ header: header(m.export_col_kpi_target, () => m.export_col_target({}, o)), kind: 'target' },
		{
			header: header(m.export_col_kpi_status, () => m.export_col_status({}, o)),
			kind: 'text',
			width: 12
		}
	];
}

interface Figure {
	numerator: number;
	denominator: number;
	value: number | null;
	target: number | null;
}

const kpiCells = (f: Figure, status: TargetStatus | null, locale: Locale): Cell[] => [
	f.value,
	f.numerator,
	f.denominator,
	f.target,
	statusWord(status, locale)
];

export function compareTable(
	frame: ExportFrame,
	compared: ChildrenComparison,
	/** The comparison period in words, for the note on changes. */
	than: string
): ExportTable {
	const { locale } = frame;
	const o = { locale };
	const ids = KPI_DEFINITIONS.map((d) => d.id);
	const columns: ExportColumn[] = [
		{ header: m.export_col_unit({}, o), kind: 'text', width: 30 },
		{ header: m.export_col_unit_code({}, o), kind: 'text', width: 10 },
		{ header: m.export_col_level({}, o), kind: 'text', width: 10 },
		{ header: m.export_col_rank({ kpi: kpiName(compared.kpi, locale) }, o), kind: 'integer' },
		...ids.flatMap((id) => [
			...kpiColumns(id, locale),
			{ header: m.export_col_kpi_change({ kpi: kpiName(id, locale) }, o), kind: 'ratio' as const }
		])
	];
	const rows = compared.children.map((child): Cell[] => [
		child.unit.name,
		child.unit.code,
		levelWord(child.unit.level, locale),
		child.rank,
		...ids.flatMap((id) => [
			...kpiCells(child.kpis[id], child.status[id] ?? null, locale),
			child.change[id]
		])
	]);
	const table = m.export_table_compare({}, o);
	return {
		sheet: table,
		title: titleLines(frame, table),
		columns,
		rows,
		notes: [m.export_note_empty({}, o), m.export_note_change({ than }, o)]
	};
}

export function proceduresTable(
	frame: ExportFrame,
	rows: ProcedureRow[],
	filter: string | null
): ExportTable {
	const { locale } = frame;
	const o = { locale };
	const kpis: ProcedureKpiId[] = [...PROCEDURE_KPIS];
	const table = m.export_table_procedures({}, o);
	return {
		sheet: table,
		title: titleLines(frame, table, filter ? [m.export_title_filter({ filter }, o)] : []),
		columns: [
			{ header: m.export_col_procedure_code({}, o), kind: 'text', width: 12 },
			{ header: m.export_col_procedure_name({}, o), kind: 'text', width: 48 },
			{ header: m.export_col_field({}, o), kind: 'text', width: 20 },
			{ header: m.export_col_volume({}, o), kind: 'integer' },
			...kpis.flatMap((id) => kpiColumns(id, locale)),
			{ header: m.export_col_extra_online({}, o), kind: 'integer', width: 16 }
		],
		rows: rows.map((row): Cell[] => [
			row.code,
			row.name,
			row.field,
			row.volume,
			...kpis.flatMap((id) => kpiCells(row.kpis[id], row.kpis[id].status, locale)),
			row.extra_online_needed
		]),
		notes: [m.export_note_empty({}, o)]
	};
}

export function lateTable(
	frame: ExportFrame,
	kind: LateKind,
	rows: LateDossier[],
	{ total, limit, filter }: { total: number; limit: number; filter: string | null }
): ExportTable {
	const { locale } = frame;
	const o = { locale };
	const table =
		kind === 'open' ? m.export_table_late_open({}, o) : m.export_table_late_completed({}, o);
	const notes =
		total > rows.length
			? [m.export_note_limit({ limit: String(limit), total: String(total) }, o)]
			: [];
	return {
		sheet: table,
		title: titleLines(frame, table, filter ? [m.export_title_filter({ filter }, o)] : []),
		columns: [
			{ header: m.export_col_dossier_code({}, o), kind: 'text', width: 26 },
			{ header: m.export_col_days_late({}, o), kind: 'days' },
			{ header: m.export_col_procedure_code({}, o), kind: 'text', width: 12 },
			{ header: m.export_col_procedure_name({}, o), kind: 'text', width: 40 },
			{ header: m.export_col_unit_code({}, o), kind: 'text', width: 10 },
			{ header: m.export_col_unit({}, o), kind: 'text', width: 28 },
			{ header: m.export_col_received({}, o), kind: 'datetime' },
			{ header: m.export_col_due({}, o), kind: 'datetime' },
			{ header: m.export_col_completed({}, o), kind: 'datetime' }
		],
		rows: rows.map((d): Cell[] => [
			d.dossier_code,
			d.days_late,
			d.procedure_code,
			d.procedure_name,
			d.unit_code,
			d.unit_name,
			d.received_at,
			d.due_at,
			d.completed_at
		]),
		notes
	};
}

export function mapTable(frame: ExportFrame, map: CommuneMap): ExportTable {
	const { locale } = frame;
	const o = { locale };
	const figures = map.kind === 'map' ? map.communes : map.children;
	const row = (f: UnitFigure, name: string): Cell[] => [
		name,
		f.code,
		levelWord(f.level, locale),
		...kpiCells(f, f.status, locale)
	];
	const table = m.export_table_map({}, o);
	return {
		sheet: table,
		title: titleLines(frame, table, [m.export_title_kpi({ kpi: kpiName(map.kpi, locale) }, o)]),
		columns: [
			{ header: m.export_col_unit({}, o), kind: 'text', width: 34 },
			{ header: m.export_col_unit_code({}, o), kind: 'text', width: 10 },
			{ header: m.export_col_level({}, o), kind: 'text', width: 10 },
			...kpiColumns(null, locale)
		],
		rows: [
			row(map.total, m.export_total_row({ unit: map.total.name }, o)),
			...figures.map((f) => row(f, f.name))
		],
		notes: [m.export_note_empty({}, o)]
	};
}

export function trendsTable(frame: ExportFrame, trend: UnitTrend): ExportTable {
	const { locale } = frame;
	const o = { locale };
	const earlier = (column: string) => m.export_col_year_earlier({ column }, o);
	const table = m.export_table_trends({}, o);
	return {
		sheet: table,
		title: titleLines(frame, table, [m.export_title_kpi({ kpi: kpiName(trend.kpi, locale) }, o)]),
		columns: [
			{ header: m.export_col_month({}, o), kind: 'month' },
			{ header: m.export_col_not_existed({}, o), kind: 'text', width: 12 },
			...kpiColumns(null, locale),
			{ header: earlier(m.export_col_value({}, o)), kind: 'ratio', width: 14 },
			{ header: earlier(m.export_col_numerator({}, o)), kind: 'integer', width: 14 },
			{ header: earlier(m.export_col_denominator({}, o)), kind: 'integer', width: 14 },
			{ header: m.export_col_change({}, o), kind: 'ratio', width: 16 }
		],
		rows: trend.months.map((month): Cell[] => [
			month.month,
			month.existed ? null : m.export_yes({}, o),
			...kpiCells(month, month.status, locale),
			month.yearEarlier.value,
			month.yearEarlier.numerator,
			month.yearEarlier.denominator,
			month.change
		]),
		notes: [m.export_note_empty({}, o)]
	};
}
