import { describe, expect, it } from 'vitest';
import type { UnitLevel } from '$lib/domain/types';
import { rankingGroups } from './view';

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
