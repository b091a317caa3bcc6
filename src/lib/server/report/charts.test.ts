/**
 * The monthly report's charts drawn as SVG on the server, for a province whose figures are known
 * (testing/report-province.ts): the trend's points are the engine's, counted again here from the
 * test data; the SVG holds the months, the target, the unit names with their diacritics, escaped.
 */
import type { BarSeriesOption, LineSeriesOption } from 'echarts/charts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TempStore } from '../testing/fixtures';
import { HISTORY, reportProvince } from '../testing/report-province';
import { monthlyReport, type MonthlyReport } from './monthly';
import { resolveUnit } from '../units/versions';
import {
	chartSvg,
	PRINT_CHART_WIDTH,
	rankingChartOptions,
	rankingCharts,
	trendChart,
	trendChartOption
} from './charts';

let store: TempStore;
let report: MonthlyReport;

beforeAll(async () => {
	({ store, report } = await reportProvince(
		'kpi-report-charts-',
		['Xã Đồng Lộc', '<script>alert("x")</script>'],
		{ target: true, history: true }
	));
}, 60_000);
afterAll(() => store?.dispose());

/** The texts of an SVG's <text> elements, entities decoded. */
const texts = (svg: string) =>
	[...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map(([, t]) =>
		t
			.replaceAll('&lt;', '<')
			.replaceAll('&gt;', '>')
			.replaceAll('&quot;', '"')
			.replaceAll('&#39;', "'")
			.replaceAll('&amp;', '&')
	);

/** `report` with the children's names replaced, in their order. */
const renamed = (names: string[]): MonthlyReport => ({
	...report,
	children: report.children.map((c, i) => ({
		...c,
		unit: { ...c.unit, name: names[i] ?? c.unit.name }
	}))
});

describe('the trend chart of the report', () => {
	it("draws the engine's monthly rates, which are the test data's counts: none before May 2026", () => {
		const { option } = trendChartOption(report)!;
		const [current] = option.series as LineSeriesOption[];
		// Each month 20 dossiers of the two communes, HISTORY's online, then October's 7 + 4.
		const counted = [...Object.values(HISTORY), [7, 4]].map(([a, b]) => (a + b) / 20);
		expect(current.data).toEqual([...Array(6).fill(null), ...counted]);
		expect(counted).toEqual([0.25, 0.3, 0.4, 0.45, 0.5, 0.55]);
		expect(current.data).toEqual(report.trend.months.map((m) => m.value));
	});

	it('holds the months, the percent axis and the target with its value, in Tinos, without a script', () => {
		const chart = trendChart(report)!;
		const words = texts(chart.svg);
		expect(words).toContain('10/2026');
		expect(words).toContain('05/2026');
		expect(words).toContain('11/2025 – 10/2026');
		expect(words).toContain('Chỉ tiêu: 60,0%');
		expect(words.some((w) => /^\d+,0%$/.test(w))).toBe(true);
		expect(chart.svg).toMatch(/^<svg [^>]*viewBox="0 0 600 360"/);
		expect(chart.svg).toContain('font-family:Tinos');
		expect(chart.svg).not.toMatch(/<script/i);
	});

	it('is left out when no month of the twelve has a dossier', () => {
		const empty = {
			...report,
			trend: {
				...report.trend,
				months: report.trend.months.map((m) => ({ ...m, value: null }))
			}
		};
		expect(trendChart(empty)).toBeNull();
	});
});

describe('the ranking chart of the report', () => {
	it('writes each child with its value and status in words, the target line with its value', () => {
		const [chart, ...others] = rankingCharts(report);
		expect(others).toEqual([]);
		expect(chart.heading).toBeNull();
		const words = texts(chart.svg);
		expect(words).toContain('Xã Đồng Lộc');
		expect(words).toContain('70,0% Chưa đạt');
		expect(words).toContain('40,0% Chưa đạt');
		expect(words).toContain('Chỉ tiêu cấp xã: 80,0%');
	});

	it('writes a name with a tag, quotes or a formula as text, escaped', () => {
		const { svg } = rankingCharts(renamed(['=1+2', '<script>alert("x")</script>']))[0];
		expect(svg).not.toMatch(/<script/i);
		expect(svg).toContain('&lt;script&gt;');
		expect(texts(svg)).toContain('=1+2');
		// What is left of the SVG once its text is taken out is ECharts' own markup only.
		expect(svg.replace(/<text[^>]*>[^<]*<\/text>/g, '')).not.toMatch(/alert|=1\+2/);
	});

	it('cuts a long name short, as the page does', () => {
		const long = 'Phường Thạch Quý thuộc thành phố Hà Tĩnh, tỉnh Hà Tĩnh (đơn vị hành chính mới)';
		const words = texts(rankingCharts(renamed([long]))[0].svg);
		const cut = words.find((w) => w.startsWith('Phường Thạch'))!;
		expect(cut.endsWith('...')).toBe(true);
		expect(cut.length).toBeLessThan(long.length);
		// Measured in Tinos, not one em a Vietnamese letter: more than the first two words are kept.
		expect(cut.length).toBeGreaterThan(25);
	});

	it('draws the ten lowest and the ten highest of more than twenty children, each a part', () => {
		const children = Array.from({ length: 25 }, (_, i) => ({
			...report.children[0],
			unit: { ...report.children[0].unit, code: `c${i + 1}`, name: `Xã số ${i + 1}` },
			rank: i + 1
		}));
		const parts = rankingChartOptions({ ...report, children });
		expect(parts.map((p) => p.heading)).toEqual(['10 đơn vị thấp nhất', '10 đơn vị cao nhất']);
		const names = (parts[0].option.series as BarSeriesOption[])[0].data as { name: string }[];
		expect(names.map((n) => n.name).slice(0, 2)).toEqual(['Xã số 25', 'Xã số 24']);
	});

	it("draws each level of unit apart, each with its own level's target line only", () => {
		const department = report.children.find((c) => c.unit.level === 'department')!;
		const filed = {
			...department,
			rank: 1,
			kpis: {
				...department.kpis,
				online_submission_rate: { numerator: 9, denominator: 10, value: 0.9, target: 0.6 }
			}
		};
		const parts = rankingChartOptions({
			...report,
			children: [filed, ...report.children.filter((c) => c !== department)]
		});
		expect(parts.map((p) => p.heading)).toEqual([
			'Sở, ban, ngành (1 đơn vị)',
			'Xã, phường, thị trấn (2 đơn vị)'
		]);
		const lines = (part: (typeof parts)[number]) =>
			((part.option.series as BarSeriesOption[])[0].markLine!.data as { name: string }[]).map(
				(l) => l.name
			);
		expect(report.childTargets).toHaveLength(2);
		expect(parts.map(lines)).toEqual([['Chỉ tiêu cấp tỉnh: 60,0%'], ['Chỉ tiêu cấp xã: 80,0%']]);
	});

	it('is not drawn for a unit without children', async () => {
		const commune = await resolveUnit(store.db, '18100', report.period);
		expect(rankingCharts(await monthlyReport(store.db, commune, '2026-10'))).toEqual([]);
	});
});

describe('an option drawn on the server', () => {
	it('is an SVG of the size asked, without animation or tooltip', () => {
		const svg = chartSvg(
			{
				tooltip: { trigger: 'axis' },
				xAxis: { type: 'category', data: ['a'] },
				yAxis: { type: 'value' },
				series: [{ type: 'line', data: [1] }]
			},
			PRINT_CHART_WIDTH,
			200
		);
		expect(svg).toMatch(/^<svg width="600" height="200"/);
		expect(svg).not.toContain('animation');
	});
});
