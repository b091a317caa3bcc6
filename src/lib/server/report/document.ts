/**
 * The monthly report as the official document it is sent as (issue 13): the Decree 30 frame
 * (print/document.ts) around the report's sections, each a numbered heading and a table of the
 * figures report/monthly.ts gathered, in Vietnamese number format ("79,3%", "1.499"), and its two
 * charts (report/charts.ts) as inline SVG, so that the PDF carries them as vector drawings with
 * their text. Printed to PDF by print/browser.ts. Every text from the data (unit, procedure and
 * field names) is escaped, by ECharts in the charts.
 */
import {
	formatDate,
	formatIndexPoints,
	formatNumber,
	formatPercent,
	formatPoints,
	formatTarget
} from '../../domain/format';
import type { KpiFigure, TargetStatus } from '../../domain/figures';
import { escapeHtml } from '../../domain/html';
import { HEADLINE_KPI } from '../../domain/kpi-ids';
import { dateLine, headerLines, type ReportHeader } from '../../domain/official-document';
import { FORM06_COLUMNS } from '../kpi/form06';
import { monthLabel } from '../../charts/trend';
import { officialDocument } from '../print/document';
import { rankingCharts, trendChart, type ReportChart } from './charts';
import type { MonthlyReport } from './monthly';
import { INDEX_GROUPS, rankedByLevel } from '../../domain/service-index';
import { kpiNameVi, LEVEL_WORDS, STATUS_WORDS, UNIT_GROUP_WORDS, windowWords } from './words';

const e = escapeHtml;
const num = (n: number | null) => (n === null ? '' : formatNumber(n));
const pct = (v: number | null) => (v === null ? '' : formatPercent(v));
const target = (t: number | null) => (t === null ? '' : formatTarget(t));
const points = (delta: number | null) => (delta === null ? '' : formatPoints(delta));
const status = (s: TargetStatus | null) => (s === null ? '' : STATUS_WORDS[s]);
const kpiName = kpiNameVi;

/** A table: its header cells, then rows of cells already escaped (numbers right-aligned). */
function table(headers: string[], rows: { cells: string[]; numeric?: boolean[] }[]): string {
	const head = headers.map((h) => `<th>${e(h)}</th>`).join('');
	return `<table><thead><tr>${head}</tr></thead><tbody>\n${rowsHtml(rows)}\n</tbody></table>`;
}

/** Rows of cells already escaped, numbers right-aligned. */
function rowsHtml(rows: { cells: string[]; numeric?: boolean[] }[]): string {
	return rows
		.map(
			({ cells, numeric = [] }) =>
				`<tr>${cells.map((c, i) => `<td${numeric[i] ? ' class="number-cell"' : ''}>${c}</td>`).join('')}</tr>`
		)
		.join('\n');
}

const figureCells = (f: KpiFigure) => [
	pct(f.value),
	`${num(f.numerator)}/${num(f.denominator)}`,
	target(f.target),
	status(f.status)
];

/**
 * A chart with its caption below ("Biểu đồ 1. …"), across the text width; each part of it (a
 * level's units) kept on one page, the caption with the last.
 */
function figure(number: number, caption: string, charts: ReportChart[]): string {
	const parts = charts.map(
		(c) =>
			`<div class="chart-part">${c.heading ? `<p class="chart-heading">${e(c.heading)}</p>` : ''}\n${c.svg}\n</div>`
	);
	return `<figure class="chart">\n${parts.join('\n')}\n<figcaption><span class="chart-number">Biểu đồ ${number}.</span> ${e(caption)}</figcaption>\n</figure>`;
}

/** The report's charts in the order they are printed, numbered from 1; '' for one it has not. */
function figures(report: MonthlyReport): { trend: string; ranking: string } {
	const trend = trendChart(report);
	const ranking = rankingCharts(report);
	const { months } = report.trend;
	const kpi = kpiName(HEADLINE_KPI);
	const span = `${monthLabel(months[0].month)} – ${monthLabel(months[months.length - 1].month)}`;
	return {
		trend: trend ? figure(1, `${kpi} theo tháng, ${span}`, [trend]) : '',
		ranking:
			ranking.length > 0
				? figure(
						trend ? 2 : 1,
						`Xếp hạng đơn vị trực thuộc theo ${kpi.toLowerCase()} ${windowWords(report.window).subject}`,
						ranking
					)
				: ''
	};
}

function section(numeral: string, heading: string, content: string): string {
	return `<h2>${numeral}. ${e(heading)}</h2>\n${content}`;
}

function kpiSection(report: MonthlyReport): string {
	const rows = report.kpis.map((k) => ({
		cells: [e(k.name.vi), ...figureCells(k.figure), points(k.figure.change), points(k.changeYear)],
		numeric: [false, true, true, true, false, true, true]
	}));
	return table(
		[
			'Chỉ số',
			'Tỷ lệ',
			'Tử số/Mẫu số',
			'Chỉ tiêu',
			'Đánh giá',
			`So với ${windowWords(report.window).previous}`,
			'So với cùng kỳ năm trước'
		],
		rows
	);
}

function levelSection(report: MonthlyReport): string {
	if (report.levels.length === 0)
		return `<p>Không có số liệu theo cấp ${windowWords(report.window).within}.</p>`;
	// A level without a dossier or a target for a KPI says nothing about it: left out.
	const rows = report.levels.flatMap(({ level, kpis }) =>
		kpis
			.filter((k) => k.figure.denominator > 0 || k.figure.target !== null)
			.map((k) => ({
				cells: [e(LEVEL_WORDS[level]), e(kpiName(k.id)), ...figureCells(k.figure)],
				numeric: [false, false, true, true, true, false]
			}))
	);
	return table(['Cấp', 'Chỉ số', 'Tỷ lệ', 'Tử số/Mẫu số', 'Chỉ tiêu', 'Đánh giá'], rows);
}

function childSection(report: MonthlyReport): string {
	if (report.children.length === 0) return '<p>Đơn vị không có đơn vị trực thuộc.</p>';
	const rows = report.children.map((c) => {
		const f = c.kpis[HEADLINE_KPI];
		return {
			cells: [
				c.rank === null ? '' : String(c.rank),
				e(c.unit.name),
				pct(f.value),
				`${num(f.numerator)}/${num(f.denominator)}`,
				target(f.target),
				status(c.status[HEADLINE_KPI] ?? null),
				points(c.change[HEADLINE_KPI])
			],
			numeric: [true, false, true, true, true, false, true]
		};
	});
	return table(
		[
			'Hạng',
			'Đơn vị',
			'Tỷ lệ',
			'Tử số/Mẫu số',
			'Chỉ tiêu',
			'Đánh giá',
			`So với ${windowWords(report.window).previous}`
		],
		rows
	);
}

function procedureSection(report: MonthlyReport): string {
	if (report.procedures.length === 0) {
		return '<p>Không có thủ tục nào thiếu hồ sơ trực tuyến so với chỉ tiêu.</p>';
	}
	const rows = report.procedures.map((p, i) => ({
		cells: [
			String(i + 1),
			`${e(p.name ?? p.code)} <span class="code">(${e(p.code)})</span>`,
			num(p.volume),
			pct(p.kpis.online_submission_rate.value),
			num(p.extra_online_needed)
		],
		numeric: [true, false, true, true, true]
	}));
	return table(['STT', 'Thủ tục', 'Số hồ sơ', 'Tỷ lệ trực tuyến', 'Còn thiếu'], rows);
}

function lateSection(report: MonthlyReport): string {
	const units = report.late.units;
	const intro = `<p>Hồ sơ quá hạn chưa có kết quả tính đến hết ngày ${e(formatDate(report.late.asOf))}; hồ sơ giải quyết trễ hạn ${windowWords(report.window).within}.</p>`;
	if (units.length === 0) return `${intro}<p>Không có đơn vị trực thuộc.</p>`;
	return (
		intro +
		table(
			['Đơn vị', 'Quá hạn chưa có kết quả', 'Giải quyết trễ hạn'],
			units.map(({ unit: u, open, completed }) => ({
				cells: [
					e(u.ended ? `${u.name} (đã kết thúc ${formatDate(u.ended)})` : u.name),
					num(open),
					num(completed)
				],
				numeric: [false, true, true]
			}))
		)
	);
}

function form06Section(report: MonthlyReport): string {
	const { rows, total } = report.form06;
	const line = (stt: string, field: string, counts: Record<string, number>, bold = false) => ({
		cells: [
			stt,
			bold ? `<strong>${e(field)}</strong>` : e(field),
			...FORM06_COLUMNS.map((c) => num(counts[c]))
		],
		numeric: [true, false, ...FORM06_COLUMNS.map(() => true)]
	});
	const head = `<thead>
<tr><th rowspan="3">STT</th><th rowspan="3">Lĩnh vực</th><th colspan="4">Số hồ sơ nhận giải quyết</th><th colspan="7">Kết quả giải quyết</th></tr>
<tr><th rowspan="2">Tổng số</th><th colspan="2">Số mới tiếp nhận</th><th rowspan="2">Kỳ trước chuyển qua</th><th colspan="4">Đã giải quyết</th><th colspan="3">Đang giải quyết</th></tr>
<tr><th>Trực tuyến</th><th>Trực tiếp, bưu chính</th><th>Tổng số</th><th>Trước hạn</th><th>Đúng hạn</th><th>Quá hạn</th><th>Tổng số</th><th>Trong hạn</th><th>Quá hạn</th></tr>
<tr>${Array.from({ length: 13 }, (_, i) => `<th>(${i + 1})</th>`).join('')}</tr>
</thead>`;
	const body = rowsHtml([
		...rows.map((r, i) =>
			line(String(i + 1), r.field ?? 'Chưa phân lĩnh vực', r as unknown as Record<string, number>)
		),
		line('', 'Tổng cộng', total as unknown as Record<string, number>, true)
	]);
	return `<table class="form06">${head}<tbody>\n${body}\n</tbody></table>
<p class="note">Hồ sơ trả lại hoặc công dân rút không có ngày trả lại nên không tính vào cột nào. Trước hạn, đúng hạn, quá hạn theo ngày có kết quả so với ngày hẹn trả; hồ sơ không có hạn tính là đúng hạn.</p>`;
}

/** The group's score, or '' when nothing of it is measured for the unit. */
const groupPoints = (score: number | null) => (score === null ? '' : formatIndexPoints(score));

const outOf = (score: number | null, measured: number) =>
	score === null ? '' : `${formatIndexPoints(score)}/${formatIndexPoints(measured)}`;

/** The rank's change in words: an official document prints no arrows. */
function rankChange(change: number | null): string {
	if (change === null) return '';
	if (change === 0) return 'Giữ nguyên';
	return change > 0 ? `Tăng ${num(change)} bậc` : `Giảm ${num(-change)} bậc`;
}

function indexSection(report: MonthlyReport): string {
	const index = report.serviceIndex;
	const notMeasured = index.not_measured.reduce((sum, n) => sum + n.points, 0);
	const before = index.previous_score;
	const change =
		before && before.score !== null && index.score !== null
			? `; ${windowWords(report.window).previous}: ${outOf(before.score, before.measured_points)}`
			: '';
	const intro = `<p>Điểm Chỉ số phục vụ người dân, doanh nghiệp của ${e(report.unit.name)} tính từ dữ liệu hồ sơ: ${
		index.score === null
			? 'chưa có chỉ số nào đo được'
			: `<strong>${outOf(index.score, index.measured_points)}</strong> điểm đo được`
	} (trên thang 100 điểm${change}). ${formatIndexPoints(notMeasured)} điểm của các chỉ số cần dữ liệu hệ thống không có (công khai, khiếu nại, dữ liệu dân cư…) không tính; chỉ số không có hồ sơ để tính không tính vào điểm đo được.</p>`;
	const groups = table(
		['Nhóm chỉ số', 'Điểm', 'Điểm đo được', 'Điểm tối đa'],
		INDEX_GROUPS.map((g) => {
			const s = index.groups[g.id];
			return {
				cells: [
					e(g.name.vi),
					groupPoints(s.score),
					formatIndexPoints(s.measured_points),
					formatIndexPoints(s.max_points)
				],
				numeric: [false, true, true, true]
			};
		})
	);
	if (index.children.length === 0) return intro + groups;
	const rankings = rankedByLevel(index.children).map(({ level, children: ranked }) => {
		const rows = ranked.map((c) => ({
			cells: [
				c.rank === null ? '' : String(c.rank),
				e(c.unit.name),
				...INDEX_GROUPS.map((g) => groupPoints(c.groups[g.id].score)),
				outOf(c.score, c.measured_points),
				pct(c.share),
				rankChange(c.rank_change)
			],
			numeric: [true, false, ...INDEX_GROUPS.map(() => true), true, true, false]
		}));
		return `<p class="chart-heading">${e(UNIT_GROUP_WORDS[level])}</p>\n<div class="index-ranking">${table(
			[
				'Hạng',
				'Đơn vị',
				...INDEX_GROUPS.map((g) => g.name.vi),
				'Tổng điểm',
				'Tỷ lệ điểm',
				`So với ${windowWords(report.window).previous}`
			],
			rows
		)}</div>`;
	});
	return (
		intro +
		groups +
		`<p>Xếp hạng đơn vị trực thuộc theo tỷ lệ điểm đạt được trên điểm đo được của từng đơn vị, trong từng cấp; đơn vị bằng điểm cùng hạng.</p>\n` +
		rankings.join('\n')
	);
}

export interface ReportDocumentOptions {
	/** The day the report is dated, `YYYY-MM-DD` (Vietnam's today when it is made). */
	day: string;
	/** The unit's frame: issuing body, place, signer, recipients (report/header.ts). */
	header: ReportHeader;
	/** "15/BC-SNV", or blanks to fill at signing ("      /BC-SNV"). */
	number?: string;
}

/** The whole HTML page to print. */
export function reportDocument(report: MonthlyReport, options: ReportDocumentOptions): string {
	const { header } = options;
	const style = `<style>
h2 { font-size: 13pt; margin: 12pt 0 4pt; break-after: avoid; }
table.form06 { font-size: 9.5pt; }
table.form06 th, table.form06 td { padding: 1pt 2pt; }
table.form06 td:nth-child(2) { width: 30mm; }
table.form06 strong { white-space: nowrap; }
.index-ranking table { font-size: 9.5pt; table-layout: fixed; }
.index-ranking th, .index-ranking td { padding: 1pt 2pt; }
.index-ranking th:nth-child(1) { width: 9mm; }
.index-ranking th:nth-child(2) { width: 30mm; }
.note { font-size: 11pt; font-style: italic; text-indent: 0; }
.code { font-size: 10pt; }
figure.chart { margin: 8pt 0 10pt; break-inside: avoid; }
.chart-part { break-inside: avoid; }
.chart-part svg { display: block; width: 100%; height: auto; }
.body p.chart-heading { font-size: 12pt; font-weight: bold; text-indent: 0; margin: 4pt 0 0; }
figcaption { text-align: center; font-size: 12pt; font-style: italic; margin-top: 2pt; break-before: avoid; }
.chart-number { font-weight: bold; font-style: normal; }
</style>`;
	const charts = figures(report);
	const body = [
		style,
		section('I', 'Kết quả các chỉ số', kpiSection(report) + charts.trend),
		section('II', 'Kết quả theo cấp, so với chỉ tiêu của cấp', levelSection(report)),
		section(
			'III',
			`Xếp hạng đơn vị trực thuộc theo ${kpiName(HEADLINE_KPI).toLowerCase()}`,
			charts.ranking + childSection(report)
		),
		section(
			'IV',
			'Các thủ tục thiếu nhiều hồ sơ trực tuyến nhất so với chỉ tiêu',
			procedureSection(report)
		),
		section('V', 'Hồ sơ trễ hạn theo đơn vị', lateSection(report)),
		section(
			'VI',
			'Tình hình, kết quả giải quyết TTHC (Mẫu 06, Thông tư 01/2020/TT-VPCP)',
			form06Section(report)
		),
		section(
			'VII',
			'Chỉ số phục vụ người dân, doanh nghiệp (Quyết định 766/QĐ-TTg)',
			indexSection(report)
		)
	].join('\n');
	const suffix = header.abbreviation ? `/BC-${header.abbreviation}` : '/BC';
	return officialDocument({
		governingBody: header.governingBody,
		issuingBody: header.issuingBody,
		number: options.number?.trim() || `      ${suffix}`,
		dateLine: dateLine(header.place, options.day),
		title: 'Báo cáo',
		subject: `Kết quả cung cấp, sử dụng dịch vụ công trực tuyến ${windowWords(report.window).subject}`,
		bodyHtml: body,
		signature: {
			recipients: headerLines(header.recipients),
			authority: headerLines(header.signerTitle),
			name: header.signerName
		}
	});
}
