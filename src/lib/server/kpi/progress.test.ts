import { describe, expect, it } from 'vitest';
import { campaignProgress, type DailyCounts } from './progress';

/** The YYYY-MM-DD `offset` days after `iso`. */
function addDays(iso: string, offset: number): string {
	return new Date(Date.parse(`${iso}T00:00:00Z`) + offset * 86_400_000).toISOString().slice(0, 10);
}

/** `count` consecutive days from `first`; `counts` gives [numerator, denominator] or null for no row. */
function series(
	first: string,
	count: number,
	counts: (index: number) => [number, number] | null
): DailyCounts[] {
	const rows: DailyCounts[] = [];
	for (let i = 0; i < count; i++) {
		const c = counts(i);
		if (c) rows.push({ day: addDays(first, i), numerator: c[0], denominator: c[1] });
	}
	return rows;
}

describe('campaignProgress', () => {
	// 100 days: 2024-05-09 is day 1, 2024-06-27 day 50, 2024-08-16 day 100.
	const hundredDays = { starts: '2024-05-09', ends: '2024-08-16', target: 0.7 };

	it('forecasts a flat 60% series at exactly 60% and asks for 8 online a day, 2 more than now', () => {
		const progress = campaignProgress({
			...hundredDays,
			asOf: '2024-06-27',
			series: series('2024-05-09', 50, () => [6, 10])
		});
		expect(progress).toEqual({
			daysTotal: 100,
			daysElapsed: 50,
			daysLeft: 50,
			valueSoFar: 0.6,
			forecast: 0.6,
			ended: false,
			willMeet: false,
			// (69.95% · (500 so far + 50 days · 10) − 300) / 50 days = 7.99: 8 whole dossiers a day.
			neededPerDay: 8,
			extraPerDayNeeded: 2,
			reachable: true
		});
	});

	it('needs nothing more from a flat series already above the target', () => {
		const progress = campaignProgress({
			...hundredDays,
			asOf: '2024-06-27',
			series: series('2024-05-09', 50, () => [8, 10])
		});
		expect(progress.forecast).toBe(0.8);
		expect(progress.willMeet).toBe(true);
		expect(progress.neededPerDay).toBe(6);
		expect(progress.extraPerDayNeeded).toBe(0);
	});

	it('meets a target the forecast reaches exactly, though the floats land a hair below', () => {
		// 4 of 20 dossiers in the first 5 days of 91: 20% so far, flat, so 20% at the end, computed
		// as 0.19999999999999998. Needed (0.2 · 364 − 4) / 86 = 0.8 a day, the pace so far.
		const progress = campaignProgress({
			starts: '2024-01-01',
			ends: '2024-03-31',
			asOf: '2024-01-05',
			target: 0.2,
			series: series('2024-01-01', 5, (i) => (i < 3 ? [0, 4] : [2, 4]))
		});
		expect(progress.forecast).toBeCloseTo(0.2, 15);
		expect(progress.willMeet).toBe(true);
		// 19.95% (what prints as 20.0%) of 364 − 4 = 68.6 to count in 86 days: 1 a day, rounded up;
		// the pace so far (0.8 a day) brings 68.8, so nothing extra.
		expect(progress.neededPerDay).toBe(1);
		expect(progress.extraPerDayNeeded).toBe(0);
	});

	it('carries a rising weekly share (50%, then 60%) to 75% over the last two weeks and 65% at the end', () => {
		// 28-day campaign, asOf day 14. The line through the weeks rises 10 points a week, so weeks 3
		// and 4 would be 70% and 80%: 75% of the 140 dossiers to come. (77 + 105) / 280 = 0.65.
		const progress = campaignProgress({
			starts: '2024-06-03',
			ends: '2024-06-30',
			asOf: '2024-06-16',
			target: 0.7,
			series: series('2024-06-03', 14, (i) => (i < 7 ? [5, 10] : [6, 10]))
		});
		expect(progress.daysLeft).toBe(14);
		expect(progress.valueSoFar).toBe(0.55);
		expect(progress.forecast).toBeCloseTo(0.65, 12);
		expect(progress.forecast).toBeGreaterThan(progress.valueSoFar ?? 1);
		expect(progress.willMeet).toBe(false);
		// (69.95% · 280 − 77) / 14 = 8.49 a day, against 77 / 14 = 5.5 a day so far: 9 and 3 whole
		// dossiers a day, rounded up.
		expect(progress.neededPerDay).toBe(9);
		expect(progress.extraPerDayNeeded).toBe(3);
		expect(progress.reachable).toBe(true);
	});

	it('weighs a busy week more than a quiet one in the trend', () => {
		// 35 days, asOf day 21. Weeks at −17, −10 and −3 days from asOf: 5/10 (50%), 36/60 (60%),
		// 6/10 (60%). Weighted by dossiers the mean is day −10 and 47/80 = 58.75%; the slope is
		// (10·(−7)·(−0.0875) + 10·7·0.0125) / (10·49 + 10·49) = 7/980 = 1/140 a day, so the middle
		// of the 14 days left (day 7.5) reads 58.75% + 17.5/140 = 71.25% (unweighted: 69.17%).
		// To come: 80 dossiers in 21 days → 160/3 in 14, of which 38 count: (47 + 38) / (400/3).
		const progress = campaignProgress({
			starts: '2024-06-03',
			ends: '2024-07-07',
			asOf: '2024-06-23',
			target: 0.7,
			series: [
				{ day: '2024-06-03', numerator: 5, denominator: 10 },
				{ day: '2024-06-12', numerator: 36, denominator: 60 },
				{ day: '2024-06-19', numerator: 6, denominator: 10 }
			]
		});
		expect(progress.forecast).toBeCloseTo(0.6375, 12);
		expect(progress.willMeet).toBe(false);
		// (69.95% · 400/3 − 47) / 14 = 3.30 a day, against 47/21 = 2.24 a day so far: 4 and 2
		// whole dossiers a day, rounded up.
		expect(progress.neededPerDay).toBe(4);
		expect(progress.extraPerDayNeeded).toBe(2);
	});

	it('never projects a share above 100%', () => {
		// Weeks at 50% and 90%: the line reads 150% in the middle of the last two weeks, taken as
		// 100%, so all 140 dossiers to come count: (35 + 63 + 140) / 280 = 0.85.
		const progress = campaignProgress({
			starts: '2024-06-03',
			ends: '2024-06-30',
			asOf: '2024-06-16',
			target: 0.9,
			series: series('2024-06-03', 14, (i) => (i < 7 ? [5, 10] : [9, 10]))
		});
		expect(progress.forecast).toBeCloseTo(0.85, 12);
		expect(progress.willMeet).toBe(false);
	});

	it('never projects a share below 0%', () => {
		// Weeks at 40% and 0%: the line reads −60%, taken as 0%: (28 + 0) / 280 = 0.1.
		const progress = campaignProgress({
			starts: '2024-06-03',
			ends: '2024-06-30',
			asOf: '2024-06-16',
			target: 0.7,
			series: series('2024-06-03', 14, (i) => (i < 7 ? [4, 10] : [0, 10]))
		});
		expect(progress.forecast).toBeCloseTo(0.1, 12);
	});

	it('gives a weekdays-only series the same trend as a seven-day one with the same weekly shares', () => {
		// Mon 3 June to Sun 30 June, asOf Sun 16 June; 10 dossiers each weekday, none at weekends;
		// week shares 50% and 60% as in the seven-day series above, so the forecast is 65% again.
		const progress = campaignProgress({
			starts: '2024-06-03',
			ends: '2024-06-30',
			asOf: '2024-06-16',
			target: 0.7,
			series: series('2024-06-03', 14, (i) => (i % 7 >= 5 ? null : i < 7 ? [5, 10] : [6, 10]))
		});
		expect(progress.valueSoFar).toBe(0.55);
		expect(progress.forecast).toBeCloseTo(0.65, 12);
		// The weekends count as days of the volume: 100 dossiers in 14 days, so 100 to come, not 140.
		// (0.7 · 200 − 55) / 14 = 85/14 a day, against 55/14 so far.
		// 85/14 = 6.07 and 30/14 = 2.14 a day at the exact target, a hair less at 69.95%: rounded up.
		expect(progress.neededPerDay).toBe(7);
		expect(progress.extraPerDayNeeded).toBe(3);
	});

	it('keeps a flat weekdays-only share flat when today is mid-week and the first week is partial', () => {
		// Starts Thu 6 June, asOf Wed 19 June: the weeks are 13–19 June and 6–12 June, each with
		// one weekend; the 60% share gives a slope of exactly 0.
		const progress = campaignProgress({
			starts: '2024-06-06',
			ends: '2024-07-31',
			asOf: '2024-06-19',
			target: 0.7,
			series: series('2024-06-06', 14, (i) => ([2, 3].includes(i % 7) ? null : [6, 10]))
		});
		expect(progress.forecast).toBe(0.6);
	});

	it('projects the dossiers to come from the last 28 days, not the whole campaign', () => {
		// 70 days, asOf day 42: 20 dossiers a day for two weeks, then 10 a day, always 60%.
		// To come: 28 days · 10 = 280; needed (0.7 · 840 − 336) / 28 = 9, 3 above the 6 a day now.
		const progress = campaignProgress({
			starts: '2024-01-01',
			ends: '2024-03-10',
			asOf: '2024-02-11',
			target: 0.7,
			series: series('2024-01-01', 42, (i) => (i < 14 ? [12, 20] : [6, 10]))
		});
		expect(progress.daysTotal).toBe(70);
		expect(progress.daysLeft).toBe(28);
		expect(progress.forecast).toBe(0.6);
		expect(progress.neededPerDay).toBe(9);
		expect(progress.extraPerDayNeeded).toBe(3);
	});

	it('says a 100% target can no longer be reached once one dossier of the campaign missed it', () => {
		// Issue 11: 1,200 dossiers a day, 95% digitized for 50 days; 100% by the end needs every one
		// of the 60,000 so far and to come, and 3,000 already missed. No need per day is reachable.
		const progress = campaignProgress({
			...hundredDays,
			target: 1,
			asOf: '2024-06-27',
			series: series('2024-05-09', 50, () => [1140, 1200])
		});
		expect(progress.reachable).toBe(false);
		expect(progress.willMeet).toBe(false);
	});

	it('says a target is out of reach when the shortfall exceeds the whole intake to come', () => {
		// A commune at 10% after 50 days of 10 dossiers a day (50 of 500): 70% of 1,000 by the end
		// needs 699.5 − 50 = 650 of the 500 to come (69.95% prints as 70.0%).
		const short = campaignProgress({
			...hundredDays,
			asOf: '2024-06-27',
			series: series('2024-05-09', 50, () => [1, 10])
		});
		expect(short.reachable).toBe(false);
		// At 40% (200 of 500), 500 of the 500 to come would do: reachable, at 10 a day, 6 more than now.
		const tight = campaignProgress({
			...hundredDays,
			asOf: '2024-06-27',
			series: series('2024-05-09', 50, () => [4, 10])
		});
		expect(tight).toMatchObject({ reachable: true, neededPerDay: 10, extraPerDayNeeded: 6 });
	});

	it('adds up rows given twice for a day and ignores their order', () => {
		const progress = campaignProgress({
			starts: '2024-06-03',
			ends: '2024-06-12',
			asOf: '2024-06-04',
			target: 0.7,
			series: [
				{ day: '2024-06-04', numerator: 3, denominator: 4 },
				{ day: '2024-06-03', numerator: 1, denominator: 2 },
				{ day: '2024-06-04', numerator: 4, denominator: 4 }
			]
		});
		expect(progress.valueSoFar).toBe(0.8);
	});

	it('once the campaign is over, reports its final value as the forecast and ignores later days', () => {
		const progress = campaignProgress({
			starts: '2024-05-09',
			ends: '2024-05-18',
			asOf: '2024-06-01',
			target: 0.7,
			series: [
				...series('2024-05-09', 10, () => [7, 10]),
				{ day: '2024-05-08', numerator: 0, denominator: 100 },
				{ day: '2024-05-19', numerator: 0, denominator: 100 }
			]
		});
		expect(progress).toEqual({
			daysTotal: 10,
			daysElapsed: 10,
			daysLeft: 0,
			valueSoFar: 0.7,
			forecast: 0.7,
			ended: true,
			willMeet: true,
			extraPerDayNeeded: null,
			neededPerDay: null,
			reachable: null
		});
	});

	it('on the last day of the campaign there is nothing left to forecast', () => {
		const progress = campaignProgress({
			starts: '2024-05-09',
			ends: '2024-05-18',
			asOf: '2024-05-18',
			target: 0.7,
			series: series('2024-05-09', 10, () => [6, 10])
		});
		expect(progress.daysLeft).toBe(0);
		expect(progress.forecast).toBe(0.6);
		expect(progress.willMeet).toBe(false);
		expect(progress.neededPerDay).toBeNull();
	});

	it('before the campaign starts, has only the day counts', () => {
		const progress = campaignProgress({
			starts: '2024-05-09',
			ends: '2024-09-30',
			asOf: '2024-05-08',
			target: 0.7,
			series: series('2024-05-01', 8, () => [6, 10])
		});
		expect(progress).toEqual({
			daysTotal: 145,
			daysElapsed: 0,
			daysLeft: 145,
			valueSoFar: null,
			forecast: null,
			ended: false,
			willMeet: null,
			extraPerDayNeeded: null,
			neededPerDay: null,
			reachable: null
		});
	});

	it('counts the first day as one day elapsed', () => {
		const progress = campaignProgress({
			starts: '2024-05-09',
			ends: '2024-09-30',
			asOf: '2024-05-09',
			target: 0.7,
			series: [{ day: '2024-05-09', numerator: 6, denominator: 10 }]
		});
		expect(progress.daysElapsed).toBe(1);
		expect(progress.daysLeft).toBe(144);
		// One day of data gives no trend: the 60% of that day goes on.
		expect(progress.forecast).toBe(0.6);
	});

	it('has no value, forecast or need without any dossiers', () => {
		const none = {
			valueSoFar: null,
			forecast: null,
			ended: false,
			willMeet: null,
			extraPerDayNeeded: null,
			neededPerDay: null,
			reachable: null
		};
		const args = { ...hundredDays, asOf: '2024-06-27' };
		expect(campaignProgress({ ...args, series: [] })).toEqual({
			daysTotal: 100,
			daysElapsed: 50,
			daysLeft: 50,
			...none
		});
		expect(
			campaignProgress({ ...args, series: series('2024-05-09', 50, () => [0, 0]) })
		).toMatchObject(none);
	});

	it('counts days across a leap day and month ends in UTC', () => {
		const progress = campaignProgress({
			starts: '2024-02-28',
			ends: '2024-03-01',
			asOf: '2024-02-29',
			target: 0.7,
			series: []
		});
		expect(progress.daysTotal).toBe(3);
		expect(progress.daysElapsed).toBe(2);
	});

	it('refuses dates that are not calendar days and a campaign that ends before it starts', () => {
		const args = { series: [], target: 0.7, starts: '2024-05-09', ends: '2024-09-30' };
		expect(() => campaignProgress({ ...args, asOf: '2023-02-29' })).toThrow(RangeError);
		expect(() => campaignProgress({ ...args, asOf: '9/5/2024' })).toThrow(RangeError);
		expect(() => campaignProgress({ ...args, ends: '2024-05-08', asOf: '2024-05-09' })).toThrow(
			'campaign ends (2024-05-08) before it starts (2024-05-09)'
		);
	});

	it('refuses a campaign longer than 2000–2100 rather than allocate a slot per day of it', () => {
		const args = { series: [], target: 0.7, asOf: '2024-05-09' };
		expect(() => campaignProgress({ ...args, starts: '0001-01-01', ends: '9999-12-31' })).toThrow(
			'campaign 0001-01-01 to 9999-12-31 is longer than 36890 days'
		);
		expect(campaignProgress({ ...args, starts: '2000-01-01', ends: '2100-12-31' }).daysTotal).toBe(
			36890
		);
	});
});
