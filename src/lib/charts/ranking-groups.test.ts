import { describe, expect, it } from 'vitest';
import type { UnitLevel } from '../domain/types';
import { rankedBars, rankingGroups, targetsByValue, type RankedChild } from './ranking-groups';

/** `count` bars of one level, best first: `<prefix>1` is the highest. */
const bars = (level: UnitLevel, prefix: string, count: number) =>
	Array.from({ length: count }, (_, i) => ({ level, code: `${prefix}${i + 1}` }));
const codes = (list: { code: string }[]) => list.map((b) => b.code);

describe('the ranking charts of a comparison', () => {
	it('ranks departments and communes apart, each in its own chart', () => {
		const groups = rankingGroups(
			[...bars('commune', 'x', 3), ...bars('department', 's', 2)].sort(() => 0),
			'ends'
		);
		expect(
			groups.map((g) => [g.level, g.total, g.sections.map((s) => [s.kind, codes(s.bars)])])
		).toEqual([
			['department', 2, [['all', ['s1', 's2']]]],
			['commune', 3, [['all', ['x1', 'x2', 'x3']]]]
		]);
	});

	it('shows the ten lowest, worst first, and the ten highest of 21 units or more', () => {
		const [group] = rankingGroups(bars('commune', 'x', 70), 'ends');
		expect(group.total).toBe(70);
		expect(group.sections.map((s) => [s.kind, codes(s.bars)])).toEqual([
			['lowest', ['x70', 'x69', 'x68', 'x67', 'x66', 'x65', 'x64', 'x63', 'x62', 'x61']],
			['highest', ['x1', 'x2', 'x3', 'x4', 'x5', 'x6', 'x7', 'x8', 'x9', 'x10']]
		]);
	});

	it('shows all of twenty units, and all of seventy when asked', () => {
		expect(rankingGroups(bars('commune', 'x', 20), 'ends')[0].sections.map((s) => s.kind)).toEqual([
			'all'
		]);
		const [all] = rankingGroups(bars('commune', 'x', 70), 'all');
		expect(all.sections).toHaveLength(1);
		expect(codes(all.sections[0].bars)).toEqual(codes(bars('commune', 'x', 70)));
	});
});

/** A child with one value of the online submission rate (`rank` as the comparison gave it). */
function child(code: string, name: string, rank: number | null, numerator: number): RankedChild {
	const denominator = rank === null ? 0 : 10;
	const figure = {
		value: rank === null ? null : numerator / denominator,
		numerator,
		denominator,
		target: 0.8
	};
	return {
		unit: { code, name, level: 'commune' },
		rank,
		kpis: { online_submission_rate: figure } as RankedChild['kpis'],
		status: rank === null ? {} : { online_submission_rate: numerator >= 8 ? 'met' : 'below' }
	};
}

describe('the bars of a ranking', () => {
	const children = [
		child('3', 'Xã Ân Phú', 2, 5),
		child('1', 'Xã Đồng Lộc', 1, 9),
		child('4', 'Xã Trống', null, 0),
		child('2', 'Xã Bình Lộc', 2, 5)
	];

	it('gives one bar per child with a value, in rank order, equal ranks by name in Vietnamese order', () => {
		const bars = rankedBars(children, 'online_submission_rate', (c) => c.unit.name);
		expect(bars.map((b) => [b.code, b.label, b.value, b.status])).toEqual([
			['1', 'Xã Đồng Lộc', 0.9, 'met'],
			['3', 'Xã Ân Phú', 0.5, 'below'],
			['2', 'Xã Bình Lộc', 0.5, 'below']
		]);
		expect(bars[0]).toMatchObject({ numerator: 9, denominator: 10, target: 0.8, level: 'commune' });
	});

	it('labels each bar as asked', () => {
		const bars = rankedBars(children, 'online_submission_rate', (c) => `${c.unit.name} †`);
		expect(bars[0].label).toBe('Xã Đồng Lộc †');
	});
});

describe('the target lines of a ranking', () => {
	it('draws one line per value, naming every level that has it', () => {
		expect(
			targetsByValue([
				{ level: 'district', target: 0.8 },
				{ level: 'commune', target: 0.8 },
				{ level: 'province', target: 0.9 }
			])
		).toEqual([
			{ target: 0.8, levels: ['district', 'commune'] },
			{ target: 0.9, levels: ['province'] }
		]);
	});
});
