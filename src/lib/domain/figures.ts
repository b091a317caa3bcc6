/**
 * What a page or a report prints of one KPI: the counts and value the engine computed, the target,
 * and the figures derived from them (status, gap, change). Shared with the browser, which only
 * lays them out; the server computes them once, in `src/lib/server/kpi/figures.ts`.
 */

export type TargetStatus = 'met' | 'close' | 'below';

export interface KpiFigure {
	numerator: number;
	denominator: number;
	/** numerator / denominator; null when the denominator is 0 (DOMAIN.md: empty, not 0). */
	value: number | null;
	target: number | null;
	/** Against the target, on the figure as printed (one decimal of a percent); null without one. */
	status: TargetStatus | null;
	/**
	 * How many more of the same dossiers (procedures, for a catalogue KPI) would have had to count
	 * for the printed figure to reach the target, with the same denominator; 0 when it is met, null
	 * without a target or without a value.
	 */
	gap: number | null;
	/**
	 * The printed figure minus the printed figure of the comparison period, as a fraction (0.021 is
	 * 2.1 percentage points, an exact number of tenths of a point); null when either is empty.
	 */
	change: number | null;
}
