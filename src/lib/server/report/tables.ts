/**
 * The monthly report's sections as export tables (export/table.ts), one sheet each in the XLSX
 * and one file each in the CSV archive: the values of report/monthly.ts laid out, never computed
 * again. The report is an official document sent up the administration, so its words are the
 * administration's Vietnamese whatever the interface language (issue 13: "in the form officials
 * expect"); the statuses use the dashboard's words.
 */
import { formatDate, formatIndexPoints } from '../../domain/format';
import type { KpiFigure, TargetStatus } from '../../domain/figures';
import { HEADLINE_KPI } from '../../domain/kpi-ids';
import { INDEX_GROUPS, rankedByLevel } from '../../domain/service-index';
import { FORM06_COLUMNS } from '../kpi/form06';
import type { IndexChild, UnitIndex } from '../kpi/service-index';
import { writeCsv } from '../export/csv';
import { asciiSlug, downloadName } from '../export/names';
import type { Cell, ExportColumn, ExportTable } from '../export/table';
import { writeXlsx } from '../export/xlsx';
import { writeZip } from '../export/zip';
import type { MonthlyReport } from './monthly';
import { kpiNameVi, LEVEL_WORDS, STATUS_WORDS, UNIT_GROUP_WORDS, windowWords } from './words';

const kpiName = kpiNameVi;
const status = (s: TargetStatus | null): Cell => (s === null ? null : STATUS_WORDS[s]);

const FIGURE_COLUMNS: ExportColumn[] = [
	{ header: 'Tỷ lệ', kind: 'ratio' },
	{ header: 'Tử số', kind: 'integer' },
	{ header: 'Mẫu số', kind: 'integer' },
	{ header: 'Chỉ tiêu', kind: 'target' },
	{ header: 'Đánh giá', kind: 'text', width: 11 }
];

const figureCells = (f: KpiFigure): Cell[] => [
	f.value,
	f.numerator,
	f.denominator,
	f.target,
	status(f.status)
];

/** The two title lines every section starts with: the unit and month (or campaign), the period. */
function title(report: MonthlyReport, section: string): string[] {
	return [
		`${section} · ${report.unit.name} (${report.unit.code}) · ${windowWords(report.window).subject}`,
		`Kỳ báo cáo: ${formatDate(report.period.from)} – ${formatDate(report.period.to)}`
	];
}

const EMPTY_NOTE =
	'Ô tỷ lệ để trống là không có hồ sơ để tính (mẫu số bằng 0), không phải 0%. ' +
	'Thay đổi tính bằng điểm phần trăm (0,150 là 15 điểm).';

/** The report's file name: `bao-cao-42-2026-10.xlsx` (CONTRACT: carries the unit and month). */
export const reportFileName = (report: MonthlyReport, extension: 'xlsx' | 'pdf' | 'zip') =>
	downloadName('bao-cao', report.unit.code, report.period, extension);

export const reportXlsx = (report: MonthlyReport): Promise<Buffer> =>
	writeXlsx(reportTables(report));

/** One CSV per section (UTF-8 with BOM), numbered in the report's order, in one ZIP. */
export function reportCsvArchive(report: MonthlyReport): Buffer {
	return writeZip(
		reportTables(report).map((table, i) => ({
			name: `${String(i + 1).padStart(2, '0')}-${asciiSlug(table.sheet).toLowerCase()}.csv`,
			data: writeCsv(table)
		}))
	);
}

export function reportTables(report: MonthlyReport): ExportTable[] {
	return [
		kpiTable(report),
		levelTable(report),
		childTable(report),
		procedureTable(report),
		lateTable(report),
		form06Table(report),
		indexTable(report)
	];
}

function kpiTable(report: MonthlyReport): ExportTable {
	return {
		sheet: 'Chỉ số',
		title: title(report, 'Kết quả các chỉ số'),
		columns: [
			{ header: 'Chỉ số', kind: 'text', width: 40 },
			...FIGURE_COLUMNS,
			{
				header: `Thay đổi so với ${windowWords(report.window).previous}`,
				kind: 'ratio',
				width: 14
			},
			{ header: 'Thay đổi so với cùng kỳ năm trước', kind: 'ratio', width: 14 }
		],
		rows: report.kpis.map((k) => [
			k.name.vi,
			...figureCells(k.figure),
			k.figure.change,
			k.changeYear
		]),
		notes: [EMPTY_NOTE]
	};
}

function levelTable(report: MonthlyReport): ExportTable {
	return {
		sheet: 'Theo cấp',
		title: title(report, 'Kết quả theo cấp, so với chỉ tiêu của cấp'),
		columns: [
			{ header: 'Cấp', kind: 'text', width: 26 },
			{ header: 'Chỉ số', kind: 'text', width: 40 },
			...FIGURE_COLUMNS
		],
		rows: report.levels.flatMap(({ level, kpis }) =>
			kpis.map((k) => [LEVEL_WORDS[level], kpiName(k.id), ...figureCells(k.figure)])
		),
		notes: [EMPTY_NOTE]
	};
}

function childTable(report: MonthlyReport): ExportTable {
	return {
		sheet: 'Đơn vị trực thuộc',
		title: title(report, `Xếp hạng đơn vị trực thuộc theo ${kpiName(HEADLINE_KPI).toLowerCase()}`),
		columns: [
			{ header: 'Hạng', kind: 'integer', width: 7 },
			{ header: 'Đơn vị', kind: 'text', width: 32 },
			{ header: 'Mã đơn vị', kind: 'text', width: 10 },
			...FIGURE_COLUMNS,
			{ header: `Thay đổi so với ${windowWords(report.window).previous}`, kind: 'ratio', width: 14 }
		],
		rows: report.children.map((c) => {
			const f = c.kpis[HEADLINE_KPI];
			return [
				c.rank,
				c.unit.name,
				c.unit.code,
				f.value,
				f.numerator,
				f.denominator,
				f.target,
				status(c.status[HEADLINE_KPI] ?? null),
				c.change[HEADLINE_KPI]
			];
		}),
		notes: [EMPTY_NOTE]
	};
}

function procedureTable(report: MonthlyReport): ExportTable {
	return {
		sheet: 'Thủ tục cần cải thiện',
		title: title(report, '10 thủ tục thiếu nhiều hồ sơ trực tuyến nhất so với chỉ tiêu'),
		columns: [
			{ header: 'STT', kind: 'integer', width: 6 },
			{ header: 'Mã TTHC', kind: 'text', width: 16 },
			{ header: 'Tên thủ tục', kind: 'text', width: 50 },
			{ header: 'Lĩnh vực', kind: 'text', width: 20 },
			{ header: 'Số hồ sơ', kind: 'integer' },
			{ header: 'Tỷ lệ nộp trực tuyến', kind: 'ratio', width: 12 },
			{ header: 'Số hồ sơ trực tuyến còn thiếu', kind: 'integer', width: 14 }
		],
		rows: report.procedures.map((p, i) => [
			i + 1,
			p.code,
			p.name,
			p.field,
			p.volume,
			p.kpis.online_submission_rate.value,
			p.extra_online_needed
		])
	};
}

function lateTable(report: MonthlyReport): ExportTable {
	return {
		sheet: 'Hồ sơ trễ hạn',
		title: [
			...title(report, 'Hồ sơ trễ hạn theo đơn vị'),
			`Hồ sơ quá hạn chưa có kết quả tính đến hết ngày ${formatDate(report.late.asOf)}`
		],
		columns: [
			{ header: 'Đơn vị', kind: 'text', width: 32 },
			{ header: 'Mã đơn vị', kind: 'text', width: 10 },
			{ header: 'Quá hạn chưa có kết quả', kind: 'integer', width: 14 },
			{
				header: `Giải quyết trễ hạn ${windowWords(report.window).within}`,
				kind: 'integer',
				width: 14
			}
		],
		rows: report.late.units.map(({ unit: u, open, completed }) => [
			u.ended ? `${u.name} (đã kết thúc ${formatDate(u.ended)})` : u.name,
			u.code,
			open,
			completed
		])
	};
}

/** Form 06's thirteen columns: STT, field, then the eleven counts in the circular's order. */
const FORM06_HEADERS: Record<(typeof FORM06_COLUMNS)[number], string> = {
	received: 'Số hồ sơ nhận giải quyết: tổng số',
	received_online: 'Trong đó: trực tuyến',
	received_direct: 'Trong đó: trực tiếp, dịch vụ bưu chính',
	carried_over: 'Trong đó: từ kỳ trước chuyển qua',
	resolved: 'Số hồ sơ đã giải quyết: tổng số',
	resolved_early: 'Trả trước hạn',
	resolved_on_time: 'Trả đúng hạn',
	resolved_late: 'Trả quá hạn',
	in_progress: 'Số hồ sơ đang giải quyết: tổng số',
	in_progress_within: 'Trong hạn',
	in_progress_overdue: 'Quá hạn'
};

function form06Table(report: MonthlyReport): ExportTable {
	const { rows, total } = report.form06;
	return {
		sheet: 'Mẫu 06',
		title: [
			...title(report, 'Tình hình, kết quả giải quyết TTHC (Mẫu 06, Thông tư 01/2020/TT-VPCP)')
		],
		columns: [
			{ header: 'STT', kind: 'integer', width: 6 },
			{ header: 'Lĩnh vực', kind: 'text', width: 30 },
			...FORM06_COLUMNS.map((c): ExportColumn => ({
				header: FORM06_HEADERS[c],
				kind: 'integer',
				width: 12
			}))
		],
		rows: [
			...rows.map((r, i): Cell[] => [
				i + 1,
				r.field ?? 'Chưa phân lĩnh vực',
				...FORM06_COLUMNS.map((c) => r[c])
			]),
			[null, 'Tổng cộng', ...FORM06_COLUMNS.map((c) => total[c])]
		],
		notes: [
			'Hồ sơ trả lại hoặc công dân rút không có ngày trả lại nên không tính vào cột nào.',
			'Trước hạn, đúng hạn, quá hạn theo ngày có kết quả so với ngày hẹn trả; hồ sơ không có hạn tính là đúng hạn.'
		]
	};
}

/**
 * The service index (Decision 766): the unit's own scores first, then its children ranked within
 * their levels, best first, with the rank of the period before and the change.
 */
function indexTable(report: MonthlyReport): ExportTable {
	const index = report.serviceIndex;
	const notMeasured = index.not_measured.reduce((sum, n) => sum + n.points, 0);
	const row = (
		group: string,
		u: { unit: { name: string; code: string } } & UnitIndex,
		place: Pick<IndexChild, 'rank' | 'share' | 'previous_rank' | 'rank_change'> | null
	): Cell[] => [
		group,
		place?.rank ?? null,
		u.unit.name,
		u.unit.code,
		...INDEX_GROUPS.map((g) => u.groups[g.id].score),
		u.score,
		u.measured_points,
		place ? place.share : u.score === null ? null : u.score / u.measured_points,
		place?.previous_rank ?? null,
		place?.rank_change ?? null
	];
	const children = rankedByLevel(index.children).flatMap(({ level, children: ranked }) =>
		ranked.map((c) => row(UNIT_GROUP_WORDS[level], c, c))
	);
	return {
		sheet: 'Chỉ số 766',
		title: title(report, 'Chỉ số phục vụ người dân, doanh nghiệp (Quyết định 766/QĐ-TTg)'),
		columns: [
			{ header: 'Cấp', kind: 'text', width: 20 },
			{ header: 'Hạng', kind: 'integer', width: 7 },
			{ header: 'Đơn vị', kind: 'text', width: 32 },
			{ header: 'Mã đơn vị', kind: 'text', width: 10 },
			...INDEX_GROUPS.map((g): ExportColumn => ({ header: g.name.vi, kind: 'points', width: 12 })),
			{ header: 'Tổng điểm', kind: 'points' },
			{ header: 'Điểm đo được', kind: 'points' },
			{ header: 'Tỷ lệ điểm', kind: 'ratio' },
			{ header: `Hạng ${windowWords(report.window).previous}`, kind: 'integer', width: 10 },
			{ header: 'Thay đổi hạng (+ tăng bậc)', kind: 'integer', width: 12 }
		],
		rows: [row('Đơn vị báo cáo', index, null), ...children],
		notes: [
			`Điểm tính từ dữ liệu hồ sơ, trên thang 100 điểm; ${formatIndexPoints(notMeasured)} điểm của các chỉ số cần dữ liệu hệ thống không có không tính. Ô điểm để trống là không có hồ sơ để tính, không phải 0 điểm.`,
			'Xếp hạng theo tỷ lệ điểm (tổng điểm / điểm đo được), trong từng cấp; đơn vị bằng điểm cùng hạng.'
		]
	};
}
