/**
 * The national service index of Decision 766/QĐ-TTg from our own dossiers (issue 16): the
 * definitions (table `index_indicators`, editable), the score of a unit and its children, the
 * ranking of the children, and what it would take to gain points.
 *
 * Every ratio is the engine's: a KPI's numerator and denominator from the KPI report (report.ts),
 * or one of the index's own three ratios (index-ratios.ts); nothing here counts a dossier.
 *
 * Arithmetic (the numbers returned are never rounded: only the text and the pages round them):
 * - an indicator whose denominator is 0 is not measured: value and points are null and its points
 *   are left out of `measured_points` (not counted as zero);
 * - linear: points × ratio; threshold t: full points at ratio ≥ t, else points × ratio / t;
 * - a group's score is the sum of its measured indicators' points, out of their `measured_points`;
 *   the unit's score is the sum over all groups, out of its `measured_points`; a score with
 *   nothing measured is null.
 *
 * An edited definition applies at once everywhere: the definitions are read for each question and
 * no remembered answer depends on them (the caches, db/cache.ts, hold only counts, keyed by the
 * data version). A page that remembers a whole index answer keys it by `IndexDefinitions.version`
 * too.
 */
import type { Kysely } from 'kysely';
import { periodProblem, previousRange, type DateRange } from '../../domain/periods';
import {
	INDEX_GROUP_IDS,
	NOT_MEASURED,
	ratioCounts,
	type IndexGroup,
	type IndexIndicator,
	type IndexRatio,
	type IndexRule
} from '../../domain/service-index';
import type { UnitRef } from '../../domain/types';
import { remember, versionOf, type DataVersion } from '../db/cache';
import type { Database } from '../db/schema';
import { childrenOf, KpiQueryError, resolveUnit } from '../units/versions';
import { gapToTarget, type Counts } from './figures';
import { ownCounts, ownRatios } from './index-ratios';
import { subtreeBreakdown, emptyTotals } from './measures';
import { kpiReport, type KpiValues } from './report';

// ---- Definitions ----

export interface IndexDefinitions {
	indicators: IndexIndicator[];
	not_measured: typeof NOT_MEASURED;
	/** Changes with every edit: the key of a remembered index answer, beside the data version. */
	version: string;
}

export async function indexDefinitions(db: Kysely<Database>): Promise<IndexDefinitions> {
	const rows = await db.selectFrom('index_indicators').selectAll().orderBy('position').execute();
	const indicators = rows.map((r): IndexIndicator => ({
		id: r.id,
		name: r.name,
		group: r.indicator_group as IndexGroup,
		points: r.points,
		ratio: r.ratio as IndexRatio,
		rule: r.rule as IndexRule,
		threshold: r.threshold,
		source: r.source,
		assumption: r.assumption,
		position: r.position,
		updated_at: r.updated_at,
		updated_by: r.updated_by
	}));
	// What scoring reads, not the edit's time: two edits within a second still differ.
	const version = indicators
		.map((i) => [i.id, i.group, i.points, i.ratio, i.rule, i.threshold].join(':'))
		.join();
	return { indicators, not_measured: NOT_MEASURED, version };
}

// ---- Scoring ----

export interface IndicatorScore {
	numerator: number;
	denominator: number;
	/** numerator / denominator; null when the denominator is 0. */
	value: number | null;
	/** Null when not measured (denominator 0), never 0 for it. */
	points: number | null;
	max_points: number;
	rule: IndexRule;
}

export interface GroupScore {
	/** The sum of the measured indicators' points; null when none is measured. */
	score: number | null;
	measured_points: number;
	/** The group's points by the definitions and the indicators not measured here. */
	max_points: number;
}

export interface UnitIndex {
	measured_points: number;
	score: number | null;
	groups: Record<IndexGroup, GroupScore>;
	indicators: Record<string, IndicatorScore>;
}

/** The points of one ratio under one definition (the arithmetic above); null when unmeasured. */
export function indicatorPoints(
	definition: Pick<IndexIndicator, 'points' | 'rule' | 'threshold'>,
	{ numerator, denominator }: Counts
): number | null {
	if (denominator === 0) return null;
	const ratio = numerator / denominator;
	if (definition.rule === 'linear') return definition.points * ratio;
	const threshold = definition.threshold!;
	return ratio >= threshold ? definition.points : (definition.points * ratio) / threshold;
}

/** The score of one unit from the counts of each ratio its definitions name. */
export function scoreUnit(
	indicators: readonly IndexIndicator[],
	counts: (ratio: IndexRatio) => Counts
): UnitIndex {
	const groups = Object.fromEntries(
		INDEX_GROUP_IDS.map((g) => [
			g,
			{
				score: null,
				measured_points: 0,
				max_points: NOT_MEASURED.filter((n) => n.group === g).reduce((s, n) => s + n.points, 0)
			}
		])
	) as Record<IndexGroup, GroupScore>;
	const scored: Record<string, IndicatorScore> = {};
	let measured = 0;
	let score: number | null = null;
	for (const definition of indicators) {
		const { numerator, denominator } = counts(definition.ratio);
		const points = indicatorPoints(definition, { numerator, denominator });
		scored[definition.id] = {
			numerator,
			denominator,
			value: denominator === 0 ? null : numerator / denominator,
			points,
			max_points: definition.points,
			rule: definition.rule
		};
		const group = groups[definition.group];
		group.max_points += definition.points;
		if (points === null) continue;
		group.measured_points += definition.points;
		group.score = (group.score ?? 0) + points;
		measured += definition.points;
		score = (score ?? 0) + points;
	}
	return { measured_points: measured, score, groups, indicators: scored };
}

/** The counts of a ratio: a KPI's from the KPI report, the index's own from index-ratios.ts. */
function ratioReader(kpis: KpiValues, own: ReturnType<typeof ownRatios>) {
	return (ratio: IndexRatio): Counts => {
		const counts = ratio in own ? own[ratio as keyof typeof own] : kpis[ratio as keyof KpiValues];
		return { numerator: counts.numerator, denominator: counts.denominator };
	};
}

// ---- Ranking ----

export interface Ranked {
	unit: UnitRef;
	score: number | null;
	measured_points: number;
}

export interface RankPlace {
	/** score / measured_points: what the rank orders by; null when nothing is measured. */
	share: number | null;
	/** 1 for the best of its level; ties share a rank (1, 2, 2, 4); null when unranked. */
	rank: number | null;
	/** Among how many units of its level it is ranked. */
	of: number;
}

/**
 * Units ranked among those of their own level (departments among departments, districts among
 * districts, communes among communes; never mixed), by score as a share of the points measured for
 * each: a commune with no fee procedures is not ranked below one with them for points nobody could
 * measure. Shares equal to nine decimals tie (the float noise of summing different terms, far
 * below the two decimals printed). A unit with nothing measured is not ranked.
 */
export function rankWithinLevels(units: readonly Ranked[]): Map<string, RankPlace> {
	const places = new Map<string, RankPlace>();
	const key = (u: Ranked) =>
		u.score === null || u.measured_points === 0
			? null
			: Math.round((u.score / u.measured_points) * 1e9);
	for (const level of new Set(units.map((u) => u.unit.level))) {
		const same = units.filter((u) => u.unit.level === level);
		const keys = same.map(key).filter((k): k is number => k !== null);
		for (const u of same) {
			const k = key(u);
			places.set(u.unit.code, {
				share: k === null ? null : u.score! / u.measured_points,
				rank: k === null ? null : 1 + keys.filter((other) => other > k).length,
				of: keys.length
			});
		}
	}
	return places;
}

// ---- What would it take ----

export interface Improvement {
	id: string;
	/** What `more` counts. */
	counts: 'dossiers' | 'procedures';
	/** Points lost now: max_points − points. */
	points_lost: number;
	/**
	 * How many more of the counted (the denominator unchanged) would have had to meet the
	 * numerator's condition for full points (the threshold, or 100% under linear).
	 */
	more: number;
	/** The points that would gain. */
	points_gained: number;
	/** The points one more gains on the way there. */
	points_each: number;
}

/**
 * For a measured indicator below full points, the dossiers (or procedures) that would bring it
 * there. The gap is the targets' gap (figures.ts `gapToTarget`: to the threshold as printed),
 * stepped on to the exact ratio the score compares (a ratio printed "80,0%" may be 79,96%): at
 * most a few steps per thousand of the denominator.
 */
export function improvement(definition: IndexIndicator, score: IndicatorScore): Improvement | null {
	const { numerator: n, denominator: d, points } = score;
	if (points === null || points >= definition.points) return null;
	const full = definition.rule === 'linear' ? 1 : definition.threshold!;
	let more = gapToTarget({ numerator: n, denominator: d }, full) ?? 0;
	while (n + more < d && (n + more) / d < full) more++;
	const after = indicatorPoints(definition, { numerator: n + more, denominator: d })!;
	return {
		id: definition.id,
		counts: ratioCounts(definition.ratio),
		points_lost: definition.points - points,
		more,
		points_gained: after - points,
		points_each: definition.points / (d * full)
	};
}

/** The unit's indicators below full points, the most points lost first. */
export function improvements(definitions: IndexDefinitions, index: UnitIndex): Improvement[] {
	return definitions.indicators
		.map((d) => improvement(d, index.indicators[d.id]))
		.filter((i): i is Improvement => i !== null)
		.sort((a, b) => b.points_lost - a.points_lost || a.id.localeCompare(b.id));
}

// ---- The report ----

export interface IndexChild extends UnitIndex, RankPlace {
	unit: UnitRef;
	/** The rank in the previous period of the same length (previousRange), if ranked then. */
	previous_rank: number | null;
	/** previous_rank − rank: positive when it climbed; null without both. */
	rank_change: number | null;
}

export interface ServiceIndexReport extends UnitIndex {
	unit: UnitRef;
	from: string;
	to: string;
	children: IndexChild[];
	/** The previous period the rank change compares with. */
	previous: DateRange;
	/** The unit's own score then; null when the unit did not exist then or it is out of bounds. */
	previous_score: { score: number | null; measured_points: number } | null;
	/** "What would it take" for the unit's indicators that lose points, the most points first. */
	improvements: Improvement[];
	/** The indicators not measured here, with their points (domain/service-index.ts). */
	not_measured: { id: string; group: IndexGroup; points: number }[];
}

interface Scored {
	unit: UnitRef;
	index: UnitIndex;
}

/** The unit's index and each direct child's for the period, from the engine's counts. */
async function scorePeriod(
	db: Kysely<Database>,
	definitions: IndexDefinitions,
	unitCode: string,
	period: DateRange,
	version: DataVersion
): Promise<{ own: Scored; children: Scored[] }> {
	const unit = await resolveUnit(db, unitCode, period);
	// The KPI report's children are `childrenOf`'s, in its order: the versions behind its rows.
	const [report, versions] = await Promise.all([
		kpiReport(db, unitCode, period, version),
		childrenOf(db, unit, period)
	]);
	const childIds = versions.map((c) => c.id);
	const ids = [unit.id, ...childIds];
	const [breakdown, counts] = await Promise.all([
		subtreeBreakdown(db, unit.id, childIds, period, version),
		remember(db, `index-ratios|${version}|${ids.join()}|${period.from}|${period.to}`, () =>
			ownCounts(db, ids, period)
		)
	]);
	const score = (id: number, kpis: KpiValues, totals = emptyTotals()) =>
		scoreUnit(definitions.indicators, ratioReader(kpis, ownRatios(counts.get(id)!, totals)));
	return {
		own: { unit: report.unit, index: score(unit.id, report.kpis, breakdown.total) },
		children: report.children.map((child, i) => ({
			unit: child.unit,
			index: score(versions[i].id, child.kpis, breakdown.byChild.get(versions[i].id))
		}))
	};
}

/**
 * The index of a unit and its children, ranked, for a checked period. No scope: a page, the API and
 * the CLI ask through ../service-index.ts `unitServiceIndex`, which checks it.
 */
export async function serviceIndex(
	db: Kysely<Database>,
	unitCode: string,
	period: DateRange,
	dataVersion?: DataVersion
): Promise<ServiceIndexReport> {
	const version = await versionOf(db, dataVersion);
	const definitions = await indexDefinitions(db);
	const now = await scorePeriod(db, definitions, unitCode, period, version);
	const previous = previousRange(period);
	let before: Scored[] = [];
	let previousScore: ServiceIndexReport['previous_score'] = null;
	if (!periodProblem(previous.from, previous.to)) {
		try {
			const then = await scorePeriod(db, definitions, unitCode, previous, version);
			before = then.children;
			previousScore = {
				score: then.own.index.score,
				measured_points: then.own.index.measured_points
			};
		} catch (error) {
			// The unit did not exist then (formed on 1 July 2025): no previous ranks.
			if (!(error instanceof KpiQueryError)) throw error;
		}
	}
	const flat = (list: Scored[]) =>
		list.map((s) => ({
			unit: s.unit,
			score: s.index.score,
			measured_points: s.index.measured_points
		}));
	const places = rankWithinLevels(flat(now.children));
	const previousPlaces = rankWithinLevels(flat(before));
	return {
		unit: now.own.unit,
		from: period.from,
		to: period.to,
		...now.own.index,
		children: now.children.map(({ unit, index }) => {
			const place = places.get(unit.code)!;
			const then = previousPlaces.get(unit.code);
			// A child compared with itself: the same code at the same level then.
			const previousRank =
				then && before.some((b) => b.unit.code === unit.code && b.unit.level === unit.level)
					? then.rank
					: null;
			return {
				unit,
				...index,
				...place,
				previous_rank: previousRank,
				rank_change: previousRank === null || place.rank === null ? null : previousRank - place.rank
			};
		}),
		previous,
		previous_score: previousScore,
		improvements: improvements(definitions, now.own.index),
		not_measured: NOT_MEASURED.map(({ id, group, points }) => ({ id, group, points }))
	};
}
