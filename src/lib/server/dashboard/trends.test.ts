/**
 * The monthly trend on small data built so every figure is known: the two 12-month windows, the
 * months of each, the change year against year, the target of each month and the campaigns, the
 * province's line across 1 July 2025, and units that existed for part of a window.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../import/run';
import { resolveUnit } from '../units/versions';
import { TRENDS } from '../../domain/url-params';
import { tempStore, UNITS_CSV, urlState, type TempStore } from '../testing/fixtures';
import { MAX_TREND_MONTHS, periodTrendWindow, trendWindows, unitTrend } from './trends';

const PROCEDURES = `code,name,level,online_level,has_fee,online_payment
1.001193,Đăng ký khai sinh,commune,full,false,false
`;

const TARGETS = `campaign,starts_on,ends_on,unit_code,kpi,level,target
Chiến dịch cao điểm 2024,2024-05-09,2024-09-30,42,online_submission_rate,province,70%
Chiến dịch cao điểm 2024,2024-05-09,2024-09-30,42,online_submission_rate,commune,72%
Chiến dịch cao điểm 2024,2024-05-09,2024-09-30,42,data_reuse_rate,province,60%
Xã mới 2025,2025-07-01,2025-12-31,42,online_submission_rate,commune,80%
`;

/** `count` dossiers of one unit received at `time`, the first `online` of them filed online. */
function dossiers(prefix: string, unit: string, time: string, count: number, online: number) {
	return Array.from(
		{ length: count },
		(_, i) => `${prefix}-${i},1.001193,${unit},${i < online ? 'online' : 'direct'},${time}`
	);
}

const DOSSIERS = [
	'dossier_code,procedure_code,unit_code,channel,received_at',
	...dossiers('O22', '18100', '2022-10-05 09:00', 2, 1),
	...dossiers('O23', '18101', '2023-10-05 09:00', 4, 3),
	...dossiers('S24', '18100', '2024-09-10 09:00', 2, 2),
	// Xã Thượng Lộc in June 2025, then the code's new commune, Xã Đồng Lộc, in July and October.
	...dossiers('J25', '18100', '2025-06-10 09:00', 1, 0),
	...dossiers('L25', '18100', '2025-07-10 09:00', 3, 2),
	...dossiers('T25', '18100', '2025-10-20 09:00', 1, 1)
].join('\n');

let store: TempStore;
const db = () => store.db;

beforeAll(async () => {
	store = await tempStore();
	await importFile(store.db, 'units', store.file('units.csv', UNITS_CSV));
	await importFile(store.db, 'procedures', store.file('procedures.csv', PROCEDURES));
	await importFile(store.db, 'targets', store.file('targets.csv', TARGETS));
	await importFile(store.db, 'dossiers', store.file('dossiers.csv', `${DOSSIERS}\n`));
});
afterAll(() => store.dispose());

async function trend(code: string, from: string, to: string, kpi = 'online_submission_rate') {
	const period = { from, to };
	const unit = await resolveUnit(db(), code, period);
	return unitTrend(db(), { unit, period }, urlState(TRENDS, { kpi }).kpi);
}

const figures = (months: { month: string; numerator: number; denominator: number }[]) =>
	months.filter((m) => m.denominator > 0).map((m) => [m.month, m.numerator, m.denominator]);

describe('the windows', () => {
	it('takes the 12 months ending with the last month of the period, and the same dates a year earlier', () => {
		expect(trendWindows('2024-09-30')).toEqual({
			window: { from: '2023-10-01', to: '2024-09-30' },
			yearEarlierWindow: { from: '2022-10-01', to: '2023-09-30' }
		});
		expect(trendWindows('2026-01-31').window).toEqual({ from: '2025-02-01', to: '2026-01-31' });
	});

	it('ends on the last day of a period that ends inside a month, a year earlier on 28 February for 29 February', () => {
		expect(trendWindows('2024-02-29')).toEqual({
			window: { from: '2023-03-01', to: '2024-02-29' },
			yearEarlierWindow: { from: '2022-03-01', to: '2023-02-28' }
		});
	});
});

describe('the months of a campaign’s window (the monthly report of a campaign)', () => {
	it('takes the months of the window, the first from its first day, the last to its last', () => {
		expect(periodTrendWindow({ from: '2024-05-09', to: '2024-09-30' })).toEqual({
			from: '2024-05-09',
			to: '2024-09-30'
		});
	});

	it('takes the last 24 months of a longer window', () => {
		expect(MAX_TREND_MONTHS).toBe(24);
		expect(periodTrendWindow({ from: '2023-01-15', to: '2025-06-30' })).toEqual({
			from: '2023-07-01',
			to: '2025-06-30'
		});
	});

	it('counts each month of the window only from its first day, and a year earlier the same dates', async () => {
		const period = { from: '2025-07-11', to: '2025-10-31' };
		const unit = await resolveUnit(db(), '42', period);
		const kpi = urlState(TRENDS, { kpi: 'online_submission_rate' }).kpi;
		const { window, yearEarlierWindow, months } = await unitTrend(
			db(),
			{ unit, period },
			kpi,
			periodTrendWindow(period)
		);
		expect(window).toEqual(period);
		expect(yearEarlierWindow).toEqual({ from: '2024-07-11', to: '2024-10-31' });
		expect(months.map((m) => m.month)).toEqual([
			'2025-07-01',
			'2025-08-01',
			'2025-09-01',
			'2025-10-01'
		]);
		// The three dossiers of 10 July are before the window: July is empty.
		expect(figures(months)).toEqual([['2025-10-01', 1, 1]]);
		expect(figures(months.map((m) => m.yearEarlier))).toEqual([['2024-09-01', 2, 2]]);
	});
});

describe('the province in September 2024, during the 2024 campaign', () => {
	it('has 12 months from October 2023 to September 2024, each with the same month a year earlier', async () => {
		const { months, window, yearEarlierWindow } = await trend('42', '2024-09-01', '2024-09-30');
		expect(window).toEqual({ from: '2023-10-01', to: '2024-09-30' });
		expect(yearEarlierWindow).toEqual({ from: '2022-10-01', to: '2023-09-30' });
		expect(months).toHaveLength(12);
		expect(months[0].month).toBe('2023-10-01');
		expect(months[11].month).toBe('2024-09-01');
		expect(months.map((m) => m.yearEarlier.month)).toEqual(
			months.map((m) => `${Number(m.month.slice(0, 4)) - 1}${m.month.slice(4)}`)
		);
	});

	it('counts each month and the same month a year earlier, with the change', async () => {
		const { months } = await trend('42', '2024-09-01', '2024-09-30');
		expect(figures(months)).toEqual([
			['2023-10-01', 3, 4],
			['2024-09-01', 2, 2]
		]);
		expect(figures(months.map((m) => m.yearEarlier))).toEqual([['2022-10-01', 1, 2]]);
		expect([months[0].value, months[0].yearEarlier.value, months[0].change]).toEqual([
			0.75, 0.5, 0.25
		]);
		// September 2023 had no dossier: an empty value, not 0, and no change.
		expect([months[11].value, months[11].yearEarlier.value, months[11].change]).toEqual([
			1,
			null,
			null
		]);
	});

	it("draws the province target of 70% in the campaign's months, May to September, and none before", async () => {
		const { months, campaigns } = await trend('42', '2024-09-01', '2024-09-30');
		expect(months.map((m) => m.target)).toEqual([...Array(7).fill(null), ...Array(5).fill(0.7)]);
		expect(months[11].status).toBe('met');
		// May 2024 has a target but no dossier: no status.
		expect(months[7].status).toBeNull();
		expect(campaigns).toEqual([
			{ name: 'Chiến dịch cao điểm 2024', starts_on: '2024-05-09', ends_on: '2024-09-30' }
		]);
	});

	it('takes the target of the KPI chosen', async () => {
		const { months, kpi } = await trend('42', '2024-09-01', '2024-09-30', 'data_reuse_rate');
		expect(kpi).toBe('data_reuse_rate');
		expect(months.map((m) => m.target)).toEqual([...Array(7).fill(null), ...Array(5).fill(0.6)]);
		expect(months[11].status).toBe('below');
	});

	it('counts the last month only to the last day of a period ending inside it', async () => {
		const { months, window } = await trend('42', '2024-09-01', '2024-09-09');
		expect(window).toEqual({ from: '2023-10-01', to: '2024-09-09' });
		expect(figures(months)).toEqual([['2023-10-01', 3, 4]]);
	});
});

describe('across the reorganisation of 1 July 2025', () => {
	it("continues the province's line through June and July 2025, the old commune's dossiers then the new one's", async () => {
		const { months, existed, existedYearEarlier } = await trend('42', '2025-10-01', '2025-10-31');
		expect(existed).toEqual({ from: '2024-11-01', to: '2025-10-31' });
		expect(existedYearEarlier).toEqual({ from: '2023-11-01', to: '2024-10-31' });
		expect(months.every((m) => m.existed && m.yearEarlier.existed)).toBe(true);
		expect(figures(months)).toEqual([
			['2025-06-01', 0, 1],
			['2025-07-01', 2, 3],
			['2025-10-01', 1, 1]
		]);
		expect(figures(months.map((m) => m.yearEarlier))).toEqual([['2024-09-01', 2, 2]]);
	});

	it('lists no campaign for the province when the only one in the window sets commune targets', async () => {
		const { months, campaigns } = await trend('42', '2025-10-01', '2025-10-31');
		expect(campaigns).toEqual([]);
		expect(months.every((m) => m.target === null)).toBe(true);
	});

	it('shows the commune formed on 1 July 2025 from July only, with no year-earlier line', async () => {
		const { months, existed, existedYearEarlier, campaigns } = await trend(
			'18100',
			'2025-10-01',
			'2025-10-31'
		);
		expect(existed).toEqual({ from: '2025-07-01', to: '2025-10-31' });
		expect(existedYearEarlier).toBeNull();
		expect(months.map((m) => m.existed)).toEqual([...Array(8).fill(false), ...Array(4).fill(true)]);
		expect(months.some((m) => m.yearEarlier.existed)).toBe(false);
		// June 2025 is Xã Thượng Lộc's: not counted for Xã Đồng Lộc.
		expect(figures(months)).toEqual([
			['2025-07-01', 2, 3],
			['2025-10-01', 1, 1]
		]);
		expect(months.map((m) => m.target)).toEqual([...Array(8).fill(null), ...Array(4).fill(0.8)]);
		expect(months.map((m) => m.status).slice(8)).toEqual(['below', null, null, 'met']);
		expect(campaigns.map((c) => c.name)).toEqual(['Xã mới 2025']);
	});

	it('shows the old commune 18100 up to June 2025 with its own dossiers only', async () => {
		const { months, existed } = await trend('18100', '2025-06-01', '2025-06-30');
		expect(existed).toEqual({ from: '2024-07-01', to: '2025-06-30' });
		expect(figures(months)).toEqual([
			['2024-09-01', 2, 2],
			['2025-06-01', 0, 1]
		]);
		expect(figures(months.map((m) => m.yearEarlier))).toEqual([]);
	});
});
