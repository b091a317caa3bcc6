/**
 * `index --json` of CONTRACT.md on the demo, through the real command line (no server: the CLI
 * opens the database itself): the object's shape, its KPI-sourced indicators equal to `kpi --json`
 * for the same unit and period, the children ranked within their levels, and the text output.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDemo } from './helpers/demo-db';
import { runCli } from './helpers/cli';

const PERIOD = ['--from', '2024-10-01', '--to', '2024-12-31'];

interface Indicator {
	numerator: number;
	denominator: number;
	value: number | null;
	points: number | null;
	max_points: number;
	rule: string;
}

interface IndexJson {
	unit: { code: string; name: string; level: string };
	from: string;
	to: string;
	measured_points: number;
	score: number | null;
	groups: Record<string, { score: number | null; measured_points: number; max_points: number }>;
	indicators: Record<string, Indicator>;
	children: {
		unit: { code: string; level: string };
		score: number | null;
		measured_points: number;
		share: number | null;
		rank: number | null;
		of: number;
		previous_rank: number | null;
		rank_change: number | null;
		indicators: Record<string, Indicator>;
	}[];
	previous: { from: string; to: string };
	previous_score: { score: number | null; measured_points: number } | null;
	improvements: {
		id: string;
		counts: 'dossiers' | 'procedures';
		points_lost: number;
		more: number;
		points_gained: number;
		points_each: number;
	}[];
	not_measured: { id: string; points: number }[];
}

let dir: string;
let dbPath: string;
let index: IndexJson;

beforeAll(async () => {
	dir = mkdtempSync(path.join(os.tmpdir(), 'kpi-index-cli-'));
	dbPath = await createTestDemo(dir);
	const { code, stdout } = await runCli(dbPath, 'index', '--unit', '42', ...PERIOD, '--json');
	expect(code).toBe(0);
	index = JSON.parse(stdout) as IndexJson;
});

afterAll(() => {
	if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('index --json on the demo', () => {
	it("has CONTRACT's shape: unit, period, measured points, score, groups, indicators, children", () => {
		expect(Object.keys(index)).toEqual(
			expect.arrayContaining([
				'unit',
				'from',
				'to',
				'measured_points',
				'score',
				'groups',
				'indicators',
				'children'
			])
		);
		expect(index.unit).toEqual({ code: '42', name: 'Tỉnh Hà Tĩnh', level: 'province' });
		expect([index.from, index.to]).toEqual(['2024-10-01', '2024-12-31']);
		expect(Object.keys(index.indicators)).toEqual([
			'1.4',
			'2.1',
			'3.1',
			'3.2',
			'3.3',
			'3.5',
			'3.5b',
			'3.6',
			'4.1',
			'4.2',
			'4.3',
			'5.4'
		]);
		for (const [id, indicator] of Object.entries(index.indicators)) {
			expect(Object.keys(indicator).sort(), id).toEqual(
				['denominator', 'max_points', 'numerator', 'points', 'rule', 'value'].sort()
			);
			expect(indicator.denominator, id).toBeGreaterThan(0);
			expect(indicator.points!, id).toBeLessThanOrEqual(indicator.max_points);
		}
		// The province measures every indicator: 66 points, the rest listed as not measured.
		expect(index.measured_points).toBe(66);
		expect(index.not_measured.reduce((s, n) => s + n.points, 0)).toBe(34);
		expect(index.score).toBeGreaterThan(0);
		expect(index.score).toBeLessThanOrEqual(66);
		const groupSum = Object.values(index.groups).reduce((s, g) => s + (g.score ?? 0), 0);
		expect(groupSum).toBeCloseTo(index.score!, 9);
		expect(Object.values(index.groups).reduce((s, g) => s + g.max_points, 0)).toBe(100);
	});

	it('reads the KPI-sourced indicators from the same counts as kpi --json', async () => {
		const { stdout } = await runCli(dbPath, 'kpi', '--unit', '42', ...PERIOD, '--json');
		const kpis = (JSON.parse(stdout) as { kpis: Record<string, Indicator> }).kpis;
		const sources: Record<string, string> = {
			'1.4': 'portal_sync_rate',
			'3.1': 'online_service_coverage',
			'3.3': 'online_submission_rate',
			'3.5': 'payment_enabled_rate',
			'3.6': 'online_payment_rate',
			'4.1': 'result_digitization_rate',
			'4.2': 'dossier_digitization_rate',
			'4.3': 'data_reuse_rate',
			'5.4': 'satisfaction_rate'
		};
		for (const [id, kpi] of Object.entries(sources)) {
			expect([index.indicators[id].numerator, index.indicators[id].denominator], id).toEqual([
				kpis[kpi].numerator,
				kpis[kpi].denominator
			]);
		}
	});

	it('ranks departments among departments and districts among districts', () => {
		const levels = new Set(index.children.map((c) => c.unit.level));
		expect(levels).toEqual(new Set(['department', 'district']));
		for (const level of levels) {
			const same = index.children.filter((c) => c.unit.level === level);
			const ranks = same.map((c) => c.rank).filter((r) => r !== null);
			expect(Math.min(...ranks), level).toBe(1);
			for (const c of same) {
				expect(c.of).toBe(ranks.length);
				// Nobody with a higher share is ranked behind.
				for (const other of same) {
					if (c.share !== null && other.share !== null && other.share > c.share + 1e-9) {
						expect(other.rank!).toBeLessThan(c.rank!);
					}
				}
			}
		}
		expect(index.previous).toEqual({ from: '2024-07-01', to: '2024-09-30' });
		expect(index.children.some((c) => c.rank_change !== null)).toBe(true);
	});

	it('says what would gain the points lost: for each indicator below full points, how many more reach it', () => {
		const below = Object.entries(index.indicators).filter(
			([, i]) => i.points !== null && i.points < i.max_points
		);
		expect(below.length).toBeGreaterThan(0);
		expect(index.improvements.map((g) => g.id).sort()).toEqual(below.map(([id]) => id).sort());
		// The default thresholds (migration 13): full points from there, linear below.
		const thresholds: Record<string, number> = {
			'3.1': 0.8,
			'3.3': 0.5,
			'3.5': 0.8,
			'4.2': 0.8,
			'4.3': 0.8,
			'5.4': 0.9
		};
		for (const g of index.improvements) {
			const i = index.indicators[g.id];
			const full = i.rule === 'linear' ? 1 : thresholds[g.id];
			if (i.rule !== 'linear') expect(thresholds[g.id], g.id).toBeDefined();
			expect(g.points_lost, g.id).toBeCloseTo(i.max_points - i.points!, 9);
			// `more` more reach full points, and one fewer does not.
			expect((i.numerator + g.more) / i.denominator, g.id).toBeGreaterThanOrEqual(full);
			expect((i.numerator + g.more - 1) / i.denominator, g.id).toBeLessThan(full);
			expect(g.points_gained, g.id).toBeCloseTo(g.points_lost, 9);
			expect(g.points_each, g.id).toBeCloseTo(i.max_points / (i.denominator * full), 12);
		}
		const lost = index.improvements.map((g) => g.points_lost);
		expect(lost).toEqual([...lost].sort((a, b) => b - a));
	});

	it("gives the unit's own score of the previous period, as the index of that period says", async () => {
		const { stdout } = await runCli(
			dbPath,
			'index',
			'--unit',
			'42',
			'--from',
			index.previous.from,
			'--to',
			index.previous.to,
			'--json'
		);
		const before = JSON.parse(stdout) as IndexJson;
		expect(index.previous_score).toEqual({
			score: before.score,
			measured_points: before.measured_points
		});
	});

	it('prints the index in Vietnamese without --json, and refuses an unknown unit', async () => {
		const text = await runCli(dbPath, 'index', '--unit', '42', ...PERIOD);
		expect(text.code).toBe(0);
		expect(text.stdout).toContain('Tỉnh Hà Tĩnh (42), 01/10/2024 – 31/12/2024');
		expect(text.stdout).toMatch(/Điểm \d+,\d+ \/ 66 điểm đo được/);
		expect(text.stdout).toContain('Xếp hạng đơn vị trực thuộc');
		const unknown = await runCli(dbPath, 'index', '--unit', '99999', ...PERIOD);
		expect(unknown.code).toBe(1);
	});
});
