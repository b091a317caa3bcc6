import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../import/run';
import { form06 } from '../kpi/form06';
import { tempStore, UNITS_CSV, type TempStore } from '../testing/fixtures';
import { resolveUnit } from '../units/versions';
import { monthlyReport, ReportMonthError, windowReport } from './monthly';

let store: TempStore;

/**
 * District 443 (communes 18100 Thượng Lộc and 18101 Mỹ Lộc), eligible dossiers only:
 *  - April 2025: 18100 files 4 of 10 online, 18101 8 of 10;
 *  - May 2025:   18100 files 6 of 10 online, 18101 9 of 10; two of 18100's May dossiers are
 *    due on 3 May and still open, one of 18101's was due on 2 May and completed on the 4th;
 *    every other dossier is completed on the day it came, without a due date.
 * A May campaign sets online filing 80% at commune level and 70% at district level.
 */
function dossiers(): string {
	const lines = [
		'dossier_code,procedure_code,unit_code,channel,received_at,due_at,completed_at,status'
	];
	const month = (m: string, unit: string, online: number) => {
		for (let i = 0; i < 10; i++) {
			const day = `2025-${m}-0${1 + (i % 9)}`;
			const code = `${unit}-${m}-${i}`;
			const channel = i < online ? 'online' : 'direct';
			let rest = `,${day} 16:00,completed`;
			if (m === '05' && unit === '18100' && i < 2) rest = '2025-05-03 17:00,,processing';
			else if (m === '05' && unit === '18101' && i === 0)
				rest = '2025-05-02 17:00,2025-05-04 09:00,completed';
			lines.push(`${code},1.001193,${unit},${channel},${day} 09:00,${rest}`);
		}
	};
	month('04', '18100', 4);
	month('04', '18101', 8);
	month('05', '18100', 6);
	month('05', '18101', 9);
	return lines.join('\n') + '\n';
}

beforeAll(async () => {
	store = await tempStore('kpi-monthly-');
	await importFile(store.db, 'units', store.file('u.csv', UNITS_CSV));
	await importFile(
		store.db,
		'procedures',
		store.file(
			'p.csv',
			'code,name,level,field,online_level,has_fee,online_payment\n1.001193,Đăng ký khai sinh,commune,Hộ tịch,full,false,false\n'
		)
	);
	await importFile(
		store.db,
		'targets',
		store.file(
			't.csv',
			'campaign,starts_on,ends_on,unit_code,kpi,level,target\n' +
				'Tháng Năm,2025-05-01,2025-05-31,42,online_submission_rate,commune,80%\n' +
				'Tháng Năm,2025-05-01,2025-05-31,42,online_submission_rate,district,70%\n'
		)
	);
	await importFile(store.db, 'dossiers', store.file('d.csv', dossiers()));
});
afterAll(() => store.dispose());

const district = () => resolveUnit(store.db, '443', { from: '2025-05-01', to: '2025-05-31' });

describe('the monthly report of a unit', () => {
	it('gives every KPI with its change against the month before and, empty, a year earlier', async () => {
		const report = await monthlyReport(store.db, await district(), '2025-05');
		expect([report.period, report.previous, report.yearEarlier]).toEqual([
			{ from: '2025-05-01', to: '2025-05-31' },
			{ from: '2025-04-01', to: '2025-04-30' },
			{ from: '2024-05-01', to: '2024-05-31' }
		]);
		const online = report.kpis.find((k) => k.id === 'online_submission_rate')!;
		// 15 of 20 in May against 12 of 20 in April: 75,0% − 60,0% = 15 points; no dossier in May 2024.
		expect(online.figure).toEqual({
			numerator: 15,
			denominator: 20,
			value: 0.75,
			target: 0.7,
			status: 'met',
			gap: 0,
			change: 0.15
		});
		expect(online.changeYear).toBeNull();
		expect(report.kpis).toHaveLength(12);
		// On time: April's 20 were completed on the day without a due date (no due: not counted);
		// May has 1 completion with a due date, late.
		const onTime = report.kpis.find((k) => k.id === 'on_time_rate')!;
		expect(onTime.figure).toMatchObject({ numerator: 0, denominator: 1, change: null });
	});

	it('gives the results by level against the level targets, and the children ranked', async () => {
		const report = await monthlyReport(store.db, await district(), '2025-05');
		const commune = report.levels.find((l) => l.level === 'commune')!;
		expect(commune.kpis.find((k) => k.id === 'online_submission_rate')!.figure).toMatchObject({
			numerator: 15,
			denominator: 20,
			target: 0.8,
			status: 'close'
		});
		expect(
			report.children.map((c) => [
				c.unit.code,
				c.rank,
				c.kpis.online_submission_rate.numerator,
				c.status.online_submission_rate
			])
		).toEqual([
			['18101', 1, 9, 'met'],
			['18100', 2, 6, 'below']
		]);
	});

	it('gives the procedures short of the target, late dossiers by unit, and form 06', async () => {
		const unit = await district();
		const report = await monthlyReport(store.db, unit, '2025-05');
		// The procedure is held to the district's own target: 15 of 20 against 70% is met; at
		// Thượng Lộc, 6 of 10 against the communes' 80% is 2 online dossiers short.
		expect(report.procedures).toEqual([]);
		const commune = await resolveUnit(store.db, '18100', report.period);
		const thuongLoc = await monthlyReport(store.db, commune, '2025-05');
		expect(thuongLoc.procedures.map((p) => [p.code, p.extra_online_needed])).toEqual([
			['1.001193', 2]
		]);
		expect(thuongLoc.children).toEqual([]);
		// The data end on 9 May: open dossiers are counted at the end of that day.
		expect(report.late.asOf).toBe('2025-05-09');
		expect(report.late.open.map((u) => [u.code, u.late])).toEqual([
			['18100', 2],
			['18101', 0]
		]);
		expect(report.late.completed.map((u) => [u.code, u.late])).toEqual([
			['18101', 1],
			['18100', 0]
		]);
		expect(report.form06).toEqual(await form06(store.db, unit.id, report.period));
		expect(report.form06.total).toMatchObject({
			received: 20,
			carried_over: 0,
			resolved: 18,
			resolved_late: 1,
			in_progress_overdue: 2
		});
	});

	it('gives the online filing rate month by month over the 12 months ending with the month, with the target', async () => {
		const report = await monthlyReport(store.db, await district(), '2025-05');
		const { kpi, window, months } = report.trend;
		expect(kpi).toBe('online_submission_rate');
		expect(window).toEqual({ from: '2024-06-01', to: '2025-05-31' });
		expect(months).toHaveLength(12);
		// April: 4 + 8 of 20 filed online; May: 6 + 9 of 20; no dossier in the other months.
		expect(
			months.filter((m) => m.denominator > 0).map((m) => [m.month, m.numerator, m.denominator])
		).toEqual([
			['2025-04-01', 12, 20],
			['2025-05-01', 15, 20]
		]);
		// The district's target of the May campaign, in May only.
		expect(months.map((m) => m.target)).toEqual([...Array(11).fill(null), 0.7]);
		expect(report.childTargets).toEqual([{ level: 'commune', target: 0.8 }]);
	});

	it("gives a campaign's trend over its window's months, from its first day to the data's last", async () => {
		const report = await windowReport(store.db, await district(), {
			kind: 'campaign',
			id: 1,
			name: 'Đợt thử',
			period: { from: '2025-04-05', to: '2025-06-30' }
		});
		// The data end on 9 May. From 5 April: Thượng Lộc's 5 dossiers of the 5th to 9th were filed
		// in person, 4 of Mỹ Lộc's 5 online.
		expect(report.trend.window).toEqual({ from: '2025-04-05', to: '2025-05-09' });
		expect(report.trend.months.map((m) => [m.month, m.numerator, m.denominator])).toEqual([
			['2025-04-01', 4, 10],
			['2025-05-01', 15, 20]
		]);
	});

	it('refuses a text that is not a month', async () => {
		const unit = await district();
		for (const month of ['2025-13', '2025-5', 'May 2025', '']) {
			await expect(monthlyReport(store.db, unit, month)).rejects.toThrow(ReportMonthError);
		}
	});
});
