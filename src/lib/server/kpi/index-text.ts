/** The service index as text for a terminal, in Vietnamese (`index` without `--json`). */
import { formatDate, formatIndexPoints, formatNumber, formatPercent } from '../../domain/format';
import { INDEX_GROUPS } from '../../domain/service-index';
import type { IndexDefinitions, ServiceIndexReport } from './service-index';

const points = (value: number | null) => (value === null ? '—' : formatIndexPoints(value));

const LEVEL_NAMES = {
	province: 'tỉnh',
	department: 'sở',
	district: 'huyện',
	commune: 'xã'
} as const;

export function formatIndexReport(
	report: ServiceIndexReport,
	definitions: IndexDefinitions
): string {
	const notMeasured = report.not_measured.reduce((sum, n) => sum + n.points, 0);
	const lines = [
		`Chỉ số phục vụ người dân, doanh nghiệp (QĐ 766/QĐ-TTg): ${report.unit.name} (${report.unit.code}), ` +
			`${formatDate(report.from)} – ${formatDate(report.to)}`,
		`Điểm ${points(report.score)} / ${points(report.measured_points)} điểm đo được` +
			(report.score === null ? '' : ` (${formatPercent(report.score / report.measured_points)})`) +
			`; ${points(notMeasured)} điểm không đo được từ dữ liệu hồ sơ`,
		''
	];
	const groupWidth = Math.max(...INDEX_GROUPS.map((g) => g.name.vi.length));
	for (const group of INDEX_GROUPS) {
		const g = report.groups[group.id];
		lines.push(
			`${group.name.vi.padEnd(groupWidth)}  ${points(g.score).padStart(6)} / ${points(g.measured_points)}` +
				`  (tối đa ${points(g.max_points)})`
		);
	}
	lines.push('');
	const nameWidth = Math.max(...definitions.indicators.map((d) => d.name.length));
	for (const d of definitions.indicators) {
		const i = report.indicators[d.id];
		if (!i) continue;
		lines.push(
			`${d.id.padEnd(4)} ${d.name.padEnd(nameWidth)}  ${formatPercent(i.value).padStart(6)}  ` +
				`${formatNumber(i.numerator)}/${formatNumber(i.denominator)}  ` +
				`${points(i.points)} / ${points(i.max_points)} điểm`
		);
	}
	const gains = report.improvements.slice(0, 3);
	if (gains.length > 0) {
		lines.push('', 'Điểm có thể lấy lại (các chỉ số mất nhiều điểm nhất):');
		for (const g of gains) {
			const what = g.counts === 'dossiers' ? 'hồ sơ' : 'TTHC';
			lines.push(
				`  ${g.id}: thêm ${formatNumber(g.more)} ${what} đạt yêu cầu → +${points(g.points_gained)} điểm`
			);
		}
	}
	if (report.children.length > 0) {
		lines.push(
			'',
			'Xếp hạng đơn vị trực thuộc (theo tỷ lệ điểm trên điểm đo được, trong cùng cấp):'
		);
		const levels = [...new Set(report.children.map((c) => c.unit.level))];
		const ranked = levels.flatMap((level) =>
			report.children
				.filter((c) => c.unit.level === level)
				.sort((a, b) => (a.rank ?? Infinity) - (b.rank ?? Infinity))
		);
		for (const c of ranked) {
			const change =
				c.rank_change === null
					? ''
					: c.rank_change > 0
						? `  ▲${c.rank_change}`
						: c.rank_change < 0
							? `  ▼${-c.rank_change}`
							: '  =';
			lines.push(
				`  ${LEVEL_NAMES[c.unit.level]} ${c.rank === null ? '–' : `${c.rank}/${c.of}`}  ` +
					`${c.unit.name} (${c.unit.code})  ` +
					`${points(c.score)} / ${points(c.measured_points)}  ${formatPercent(c.share)}${change}`
			);
		}
	}
	return lines.join('\n');
}
