/** The KPI report as text for a terminal, in Vietnamese (`kpi` without `--json`). */
import { formatDate, formatNumber, formatPercent, formatTarget } from '../../domain/format';
import { KPI_IDS } from '../../domain/kpi-ids';
import { KPI_DEFINITIONS } from './definitions';
import type { KpiReport } from './report';

export function formatKpiReport(report: KpiReport): string {
	const names = new Map(KPI_DEFINITIONS.map((d) => [d.id, d.name.vi]));
	const width = Math.max(...[...names.values()].map((n) => n.length));
	const lines = [
		`${report.unit.name} (${report.unit.code}), ${formatDate(report.from)} – ${formatDate(report.to)}`,
		''
	];
	for (const id of KPI_IDS) {
		const k = report.kpis[id];
		const target = k.target === null ? '' : `  chỉ tiêu ${formatTarget(k.target)}`;
		lines.push(
			`${names.get(id)!.padEnd(width)}  ${formatPercent(k.value).padStart(6)}  ` +
				`${formatNumber(k.numerator)}/${formatNumber(k.denominator)}${target}`
		);
	}
	if (report.children.length > 0) {
		lines.push('', `${report.children.length} đơn vị trực thuộc; --json cho số liệu từng đơn vị.`);
	}
	return lines.join('\n');
}
