import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../import/run';
import { tempStore, UNITS_CSV, type TempStore } from '../testing/fixtures';
import { campaignStandings } from './campaign';

let store: TempStore;

/** Ten working days of the campaign, 1–10 May 2025, each with 10 eligible dossiers, 6 filed online. */
function dossiers(): string {
	const lines = ['dossier_code,procedure_code,unit_code,channel,received_at'];
	for (let day = 1; day <= 10; day++) {
		for (let i = 0; i < 10; i++) {
			const date = `2025-05-${String(day).padStart(2, '0')} 09:00`;
			lines.push(`D${day}-${i},1.001193,18100,${i < 6 ? 'online' : 'direct'},${date}`);
		}
	}
	return lines.join('\n') + '\n';
}

beforeAll(async () => {
	store = await tempStore();
	await importFile(store.db, 'units', store.file('u.csv', UNITS_CSV));
	await importFile(
		store.db,
		'procedures',
		store.file(
			'p.csv',
			'code,name,level,online_level,has_fee,online_payment\n1.001193,Đăng ký khai sinh,commune,full,false,false\n'
		)
	);
	await importFile(
		store.db,
		'targets',
		store.file(
			't.csv',
			'campaign,starts_on,ends_on,unit_code,kpi,level,target\n' +
				'Tháng Năm,2025-05-01,2025-05-20,42,online_submission_rate,commune,70%\n' +
				'Tháng Năm,2025-05-01,2025-05-20,42,online_service_coverage,commune,100%\n' +
				'Tháng Năm,2025-05-01,2025-05-20,42,online_submission_rate,district,50%\n'
		)
	);
	await importFile(store.db, 'dossiers', store.file('d.csv', dossiers()));
});
afterAll(() => store.dispose());

describe('campaign standings', () => {
	it('gives a commune its own level target, the value so far, the forecast and the need per day', async () => {
		const [standing] = await campaignStandings(store.db, '18100', '2025-05-10');
		expect(standing.campaign).toBe('Tháng Năm');
		expect(standing.kpis.map((k) => k.kpi)).toEqual([
			'online_submission_rate',
			'online_service_coverage'
		]);
		const online = standing.kpis[0];
		expect([
			online.numerator,
			online.denominator,
			online.value,
			online.target,
			online.status
		]).toEqual([60, 100, 0.6, 0.7, 'below']);
		expect(online.progress).toMatchObject({
			daysTotal: 20,
			daysElapsed: 10,
			daysLeft: 10,
			valueSoFar: 0.6,
			forecast: 0.6,
			willMeet: false,
			// 69.95% (printed 70,0%) × (100 so far + 10 days × 10 a day) − 60 = 79.9 more online
			// dossiers over 10 days: 8 a day, 2 more than the 6 a day now.
			neededPerDay: 8,
			extraPerDayNeeded: 2,
			reachable: true
		});
	});

	it('expects a catalogue KPI to stay as it stands: met now, expected met, no daily series', async () => {
		// Issue 11: the card said "Đạt" while the campaign table had "—" for the same KPI.
		const [standing] = await campaignStandings(store.db, '18100', '2025-05-10');
		expect(standing.kpis[1]).toMatchObject({
			kpi: 'online_service_coverage',
			numerator: 1,
			denominator: 1,
			status: 'met',
			forecast: 1,
			willMeet: true,
			progress: null
		});
		expect(standing).toMatchObject({ ended: false, daysLeft: 10 });
	});

	it('gives the end-of-campaign result on its last day, with no forecast or outlook', async () => {
		// Issue 11: an ended campaign was still "đến nay", "dự báo cuối kỳ", "dự kiến đạt".
		const [standing] = await campaignStandings(store.db, '18100', '2025-05-20');
		expect(standing).toMatchObject({ ended: true, daysLeft: 0 });
		expect(standing.kpis.map((k) => [k.kpi, k.status, k.forecast, k.willMeet])).toEqual([
			['online_submission_rate', 'below', null, null],
			['online_service_coverage', 'met', null, null]
		]);
		expect(standing.kpis[0].progress).toMatchObject({ ended: true, neededPerDay: null });
	});

	it('has no standing on a day no campaign covers', async () => {
		expect(await campaignStandings(store.db, '18100', '2025-05-21')).toEqual([]);
	});
});
