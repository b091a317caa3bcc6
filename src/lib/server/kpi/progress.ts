/**
 * Where a unit stands against a campaign target, and where it is heading by the end date.
 *
 * Pure arithmetic: the caller passes the daily counts and "today", so the same inputs always give
 * the same figures (a monthly report re-run later must not change).
 */
import { dayNumber, daysBetween } from '../../domain/dates';
import { PERIOD_FIRST_DAY, PERIOD_LAST_DAY } from '../../domain/periods';
import { ceilDiv, shortfall, statusOfTenths, targetStatus, valueTenths } from './figures';

/** Four whole weeks: long enough to even out weekends and one-off spikes, short enough to be current. */
const VOLUME_WINDOW_DAYS = 28;

/** The share is fitted per week because daily shares swing with weekends and public holidays. */
const BUCKET_DAYS = 7;

/** Every day from 2000-01-01 to 2100-12-31: a campaign longer than the bounds is a bad record. */
const MAX_CAMPAIGN_DAYS = daysBetween(PERIOD_FIRST_DAY, PERIOD_LAST_DAY) + 1;

export interface DailyCounts {
	/** YYYY-MM-DD */
	day: string;
	numerator: number;
	denominator: number;
}

export interface CampaignProgress {
	/** Inclusive days from campaign start to end. */
	daysTotal: number;
	/** Inclusive days from start to asOf, clamped to [0, daysTotal]. */
	daysElapsed: number;
	/** daysTotal − daysElapsed */
	daysLeft: number;
	/** Cumulative numerator / denominator from start to asOf (to the end once it has passed). */
	valueSoFar: number | null;
	/** Projected cumulative value over the whole campaign at its end. */
	forecast: number | null;
	/** True once no day of the campaign is left: the figures are its result, not a forecast. */
	ended: boolean;
	/** The forecast (the result, once ended) printed reaches the target (figures.ts). */
	willMeet: boolean | null;
	/**
	 * Whole dossiers per remaining day, beyond the current daily pace (the average over the same
	 * recent days as the volume), needed so that the cumulative value at the end reaches the
	 * target, rounded up; 0 when the current pace already suffices; null when no days left or no
	 * data.
	 */
	extraPerDayNeeded: number | null;
	/** Whole dossiers per remaining day needed in total (not "extra") to reach the target. */
	neededPerDay: number | null;
	/**
	 * Whether the target can still be reached with the dossiers expected by the end (the recent
	 * daily intake times the days left): false when even every one of them counting would not
	 * do, so no need per day is worth printing; null when no days left or no data.
	 */
	reachable: boolean | null;
}

/**
 * Progress of one KPI of one unit against a campaign target.
 *
 * The forecast, as it can be told to a reform team:
 * 1. Count what has happened from the campaign start to asOf. A day without dossiers (a weekend,
 *    a holiday) is a day with zero dossiers, not a missing day.
 * 2. How many dossiers are still to come: the average per calendar day over the last 28 days (all
 *    days if the campaign is younger), times the days left. Weekends are in that average because
 *    they are in the days left too.
 * 3. Which share of them will count: cut the days so far into weeks ending on asOf (the oldest
 *    may be shorter), take each week's share, and draw the straight line that fits those shares
 *    best, a busy week weighing more than a quiet one (least squares weighted by the week's
 *    denominator). Read the line at the middle of the days left: with a steady volume, that is
 *    the average share over them. A share is never below 0% or above 100%.
 * 4. forecast = (counted so far + expected to count) / (dossiers so far + dossiers to come).
 *
 * neededPerDay: numerator per remaining day that brings the end value to the target, given the
 * dossiers to come; reachable: whether that many can come at all (a 100% target short of even
 * one dossier, or a commune short by more than its remaining intake, cannot be reached: the page
 * must say so rather than print a small push). extraPerDayNeeded: how far that is above the
 * current pace. The current pace
 * leaves out the trend on purpose (it is what the unit sees in its own logs), so a rising unit
 * may be forecast to meet the target while still needing extra per day: the rise itself is that
 * extra.
 *
 * Only days of the campaign count: data before the start or after the end is ignored.
 * Days are day numbers (domain/dates.ts), which refuse a date that is not one (2024-02-30 must
 * fail, not shift the campaign).
 */
export function campaignProgress(args: {
	series: DailyCounts[];
	starts: string;
	ends: string;
	asOf: string;
	target: number;
}): CampaignProgress {
	const start = dayNumber(args.starts);
	const end = dayNumber(args.ends);
	const asOf = dayNumber(args.asOf);
	if (end < start) {
		throw new RangeError(`campaign ends (${args.ends}) before it starts (${args.starts})`);
	}
	// The arrays below have a slot per day: a campaign longer than the periods the dashboard
	// answers is a bad record, not a reason to allocate millions of days.
	if (end - start + 1 > MAX_CAMPAIGN_DAYS) {
		throw new RangeError(
			`campaign ${args.starts} to ${args.ends} is longer than ${MAX_CAMPAIGN_DAYS} days`
		);
	}
	const daysTotal = end - start + 1;
	const daysElapsed = Math.min(Math.max(asOf - start + 1, 0), daysTotal);
	const daysLeft = daysTotal - daysElapsed;
	const noData: CampaignProgress = {
		daysTotal,
		daysElapsed,
		daysLeft,
		valueSoFar: null,
		forecast: null,
		ended: daysLeft === 0,
		willMeet: null,
		extraPerDayNeeded: null,
		neededPerDay: null,
		reachable: null
	};

	const numerators = new Array<number>(daysElapsed).fill(0);
	const denominators = new Array<number>(daysElapsed).fill(0);
	for (const counts of args.series) {
		const index = dayNumber(counts.day) - start;
		if (index < 0 || index >= daysElapsed) continue;
		// Summed rather than overwritten: a caller may pass one row per sub-unit and day.
		numerators[index] += counts.numerator;
		denominators[index] += counts.denominator;
	}
	const numSoFar = sum(numerators);
	const denSoFar = sum(denominators);
	if (denSoFar === 0) return noData;
	const valueSoFar = numSoFar / denSoFar;

	if (daysLeft === 0) {
		return {
			...noData,
			valueSoFar,
			forecast: valueSoFar,
			willMeet: targetStatus({ numerator: numSoFar, denominator: denSoFar }, args.target) === 'met'
		};
	}

	const windowDays = Math.min(VOLUME_WINDOW_DAYS, daysElapsed);
	const denWindow = sum(denominators.slice(-windowDays));
	const numWindow = sum(numerators.slice(-windowDays));
	const projectedDen = (denWindow / windowDays) * daysLeft;
	const projectedShare = trendShare(numerators, denominators, (daysLeft + 1) / 2);
	const projectedNum = projectedShare * projectedDen;
	const forecast = (numSoFar + projectedNum) / (denSoFar + projectedDen);

	// The dossiers to come, denWindow × daysLeft / windowDays, kept as that fraction: the need is
	// counted on integers (figures.ts), never as a float product.
	const days = BigInt(daysLeft);
	const window = BigInt(windowDays);
	const expected = { numerator: BigInt(denWindow) * days, denominator: window };
	const short = shortfall({ numerator: numSoFar, denominator: denSoFar }, expected, args.target);
	const needed = short.numerator <= 0n ? 0n : ceilDiv(short.numerator, short.denominator);
	// At the current pace numWindow × daysLeft / windowDays of them count anyway (same 2000·b scale).
	const extra = short.numerator - 2000n * BigInt(numWindow) * days;
	const perDay = (x: bigint) => (x <= 0n ? 0 : Number(ceilDiv(x, short.denominator * days)));

	return {
		...noData,
		valueSoFar,
		forecast,
		willMeet: statusOfTenths(valueTenths(forecast), args.target) === 'met',
		neededPerDay: perDay(short.numerator),
		extraPerDayNeeded: perDay(extra),
		// In whole dossiers: no more can count than the dossiers expected to come.
		reachable: needed * window <= expected.numerator
	};
}

/**
 * The weekly share's weighted least-squares line, read at `at` days after the last day of the
 * series (the last day is 0, the day before −1). Each week sits at the middle of its days.
 */
function trendShare(numerators: number[], denominators: number[], at: number): number {
	const last = numerators.length - 1;
	const weeks: { t: number; num: number; weight: number; share: number }[] = [];
	for (let to = last; to >= 0; to -= BUCKET_DAYS) {
		const from = Math.max(0, to - BUCKET_DAYS + 1);
		const num = sum(numerators.slice(from, to + 1));
		const den = sum(denominators.slice(from, to + 1));
		// A week without dossiers says nothing about the share; its weight would be 0 anyway.
		if (den > 0) weeks.push({ t: (from + to) / 2 - last, num, weight: den, share: num / den });
	}
	const totalWeight = sum(weeks.map((w) => w.weight));
	const meanT = sum(weeks.map((w) => w.weight * w.t)) / totalWeight;
	// Pooled rather than Σ weight·share / Σ weight: equal weekly shares then give a slope of exactly 0.
	const meanShare = sum(weeks.map((w) => w.num)) / totalWeight;
	const spread = sum(weeks.map((w) => w.weight * (w.t - meanT) ** 2));
	// One week of data (or all data in one week) gives no direction: the line is flat.
	const slope =
		spread === 0
			? 0
			: sum(weeks.map((w) => w.weight * (w.t - meanT) * (w.share - meanShare))) / spread;
	return Math.min(1, Math.max(0, meanShare + slope * (at - meanT)));
}

function sum(values: number[]): number {
	let total = 0;
	for (const v of values) total += v;
	return total;
}
