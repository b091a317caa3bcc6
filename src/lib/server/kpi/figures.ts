/**
 * The figures derived from a KPI's counts and its target: status, gap in whole dossiers, change
 * between two periods. The only place that computes them (STYLE.md); pages and reports print them.
 *
 * The rule that keeps a status from contradicting the figures beside it: **a target is compared
 * with the figure as printed**, one decimal of a percent (`formatPercent`: 84,96% prints "85,0%"),
 * and the target too is taken as printed, up to two decimals (`formatTarget`: "70,24%", the grid's
 * precision). Two units both printed "85,0%" against one target always get the same status, a unit
 * printed "70,0%" against 70% has met it, and one printed "70,2%" against "70,24%" has not. The
 * gap and the need per day are the dossiers that bring the printed figure to the target, so "met"
 * and "0 missing" always go together.
 *
 * Arithmetic is on integers (BigInt), never on a product of binary fractions (0.55 × 100 is
 * 55.00000000000001, whose ceiling asks for one dossier too many):
 * - a value is printed in tenths of a percent: numerator / denominator rounded half up (what Intl
 *   prints for the ratio of two counts: tested in figures.test.ts);
 * - a target is read in hundredths of a percent from what `formatTarget` prints (so a target
 *   imported finer, 70,004%, is judged as the "70,0%" shown beside it), and the printed figure,
 *   in tenths, reaches it from T = ⌈hundredths / 10⌉ tenths on: 70,24% needs 70,3% printed;
 * - so a ratio n/d meets a target when ⌊(2000·n + d) / 2d⌋ ≥ T, that is 2000·n ≥ (2T − 1)·d.
 */
import type { KpiFigure, TargetStatus } from '../../domain/figures';
import { formatPercent, formatTarget } from '../../domain/format';

/** "Close" is the reform teams' usual warning band: up to 5 percentage points short (50 tenths). */
const CLOSE_TENTHS = 50n;

export interface Counts {
	numerator: number;
	denominator: number;
}

const printedHundredths = new Map<number, bigint>();

/** The target (a fraction, 0 to 1) in hundredths of a percent as printed: 0.7024 → 7024. */
export function targetHundredths(target: number): bigint {
	let hundredths = printedHundredths.get(target);
	if (hundredths === undefined) {
		// A campaign holds a few distinct targets: each is formatted once, not once per unit.
		if (printedHundredths.size >= 10_000) printedHundredths.clear();
		hundredths = BigInt(Math.round(Number(formatTarget(target, 'en').replace(/[%,]/g, '')) * 100));
		printedHundredths.set(target, hundredths);
	}
	return hundredths;
}

/** The tenths of a percent the printed figure must reach to meet the target (0.7024 → 703). */
export function targetTenths(target: number): bigint {
	return ceilDiv(targetHundredths(target), 10n);
}

/** numerator / denominator in tenths of a percent, rounded half up as printed; null when d = 0. */
export function printedTenths({ numerator, denominator }: Counts): number | null {
	if (denominator === 0) return null;
	const n = BigInt(numerator);
	const d = BigInt(denominator);
	return Number((2000n * n + d) / (2n * d));
}

/** Whether n/d printed reaches `tenths` tenths of a percent: 2000·n ≥ (2·tenths − 1)·d. */
function printsAtLeast(numerator: bigint, denominator: bigint, tenths: bigint): boolean {
	return 2000n * numerator >= (2n * tenths - 1n) * denominator;
}

/** Met, close (within 5 points) or below, on the printed figure; null without a value. */
export function targetStatus(counts: Counts, target: number): TargetStatus | null {
	if (counts.denominator === 0) return null;
	const n = BigInt(counts.numerator);
	const d = BigInt(counts.denominator);
	const needed = targetTenths(target);
	if (printsAtLeast(n, d, needed)) return 'met';
	if (printsAtLeast(n, d, needed - CLOSE_TENTHS)) return 'close';
	return 'below';
}

/** The status of a figure already in tenths of a percent (a forecast: not a ratio of counts). */
export function statusOfTenths(tenths: number, target: number): TargetStatus {
	const needed = targetTenths(target);
	const shown = BigInt(tenths);
	if (shown >= needed) return 'met';
	if (shown >= needed - CLOSE_TENTHS) return 'close';
	return 'below';
}

/**
 * How many of the counted dossiers (the denominator is the period's and stays the same) would
 * also have had to meet the numerator's condition for the printed figure to reach the target:
 * the smallest g ≥ 0 with 2000·(n + g) ≥ (2T − 1)·d. Never more than d − n, since a target is at
 * most 100%. Null without a value (d = 0): no dossiers, nothing to move.
 *
 * The same answer for the overview's "online dossiers missing" of a child and the procedures
 * page's "where to act": both ask how many dossiers of the same volume should have been online.
 */
export function gapToTarget(counts: Counts, target: number): number | null {
	if (counts.denominator === 0) return null;
	const n = BigInt(counts.numerator);
	const d = BigInt(counts.denominator);
	const short = (2n * targetTenths(target) - 1n) * d - 2000n * n;
	return short <= 0n ? 0 : Number(ceilDiv(short, 2000n));
}

/**
 * How many dossiers, among `expected` more to come (a fraction a/b: the intake expected at the
 * recent daily pace), must count for the cumulative printed figure to reach the target, as the
 * exact fraction x of 2000·b·(n + x) ≥ (2T − 1)·(b·d + a): every dossier to come joins the
 * denominator, the ones needed join the numerator too. Kept as a fraction (numerator over
 * 2000·b, ≤ 0 when nothing is needed) so that the caller compares it with the dossiers counting
 * at the current pace before any rounding; `ceilDiv` gives whole dossiers.
 */
export function shortfall(
	soFar: Counts,
	expected: { numerator: bigint; denominator: bigint },
	target: number
): { numerator: bigint; denominator: bigint } {
	const { numerator: a, denominator: b } = expected;
	return {
		numerator:
			(2n * targetTenths(target) - 1n) * (b * BigInt(soFar.denominator) + a) -
			2000n * b * BigInt(soFar.numerator),
		denominator: 2000n * b
	};
}

/**
 * How far the printed figure is below the target, in tenths of a point (0 when it is met), for
 * ranking the KPIs a unit misses; null without a value.
 */
export function shortfallTenths(counts: Counts, target: number): number | null {
	const shown = printedTenths(counts);
	if (shown === null) return null;
	return Math.max(0, Number(targetTenths(target)) - shown);
}

/** The printed figure now minus the printed figure then, as a fraction of exact tenths of a point. */
export function pointsChange(now: Counts, before: Counts | null): number | null {
	if (!before) return null;
	const a = printedTenths(now);
	const b = printedTenths(before);
	return a === null || b === null ? null : (a - b) / 1000;
}

/** Everything a page prints of one KPI, from the engine's counts and target. */
export function kpiFigure(
	current: Counts & { value: number | null; target: number | null },
	before: Counts | null = null
): KpiFigure {
	const { numerator, denominator, value, target } = current;
	return {
		numerator,
		denominator,
		value,
		target,
		status: target === null ? null : targetStatus(current, target),
		gap: target === null ? null : gapToTarget(current, target),
		change: pointsChange(current, before)
	};
}

/** ⌈a / b⌉ for b > 0 (BigInt division truncates toward zero). */
export function ceilDiv(a: bigint, b: bigint): bigint {
	const q = a / b;
	return q * b < a ? q + 1n : q;
}

/**
 * A fraction that is not a ratio of counts (a forecast) in tenths of a percent, read from the
 * figure `formatPercent` prints, so its status agrees with it whatever the binary rounding.
 */
export function valueTenths(value: number): number {
	return Math.round(Number(formatPercent(value, 'en').replace(/[%,]/g, '')) * 10);
}
