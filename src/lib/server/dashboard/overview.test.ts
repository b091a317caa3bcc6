import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../import/run';
import { tempStore, UNITS_CSV, viewState, type TempStore } from '../testing/fixtures';
import { unitContext } from './context';
import type { KpiId } from '../../domain/kpi-ids';
import { missedMost, unitOverview } from './overview';

let store: TempStore;
const HEAD = { username: 'test', role: 'admin' as const, unitCode: '42' };

/**
 * District 443 (communes 18100 and 18101) in April and May 2025, eligible dossiers only:
 *  - April: 18100 files 4 of 10 online, 18101 files 8 of 10;
 *  - May:   18100 files 6 of 10 online, 18101 files 9 of 10.
 * A campaign for May sets online filing 80% at commune level and 70% at district level, and
 * digitization 50% at both: no dossier is digitized, so 443 meets online filing and misses
 * digitization by 50 points.
 */
function dossiers(): string {
	const lines = ['dossier_code,procedure_code,unit_code,channel,received_at'];
	const month = (m: string, unit: string, online: number) => {
		for (let i = 0; i < 10; i++) {
			lines.push(
				`${unit}-${m}-${i},1.001193,${unit},${i < online ? 'online' : 'direct'},2025-${m}-0${1 + (i % 9)} 09:00`
			);
		}
	};
	month('04', '18100', 4);
	month('04', '18101', 8);
	month('05', '18100', 6);
	month('05', '18101', 9);
	return lines.join('\n') + '\n';
}

beforeAll(async () => {
	store = await tempStore('kpi-overview-');
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
				'Tháng Năm,2025-05-01,2025-05-31,42,online_submission_rate,commune,80%\n' +
				'Tháng Năm,2025-05-01,2025-05-31,42,online_submission_rate,district,70%\n' +
				'Tháng Năm,2025-05-01,2025-05-31,42,dossier_digitization_rate,commune,50%\n' +
				'Tháng Năm,2025-05-01,2025-05-31,42,dossier_digitization_rate,district,50%\n'
		)
	);
	await importFile(store.db, 'dossiers', store.file('d.csv', dossiers()));
});
afterAll(() => store.dispose());

async function overviewOf(code: string, query: string, kpi: KpiId | null = null) {
	const context = await unitContext(store.db, HEAD, code, viewState(query));
	return unitOverview(store.db, context, { kpi });
}

describe('the overview of a unit', () => {
	it('gives each KPI its value, counts, target, status and the previous month', async () => {
		const overview = await overviewOf('443', 'from=2025-05-01&to=2025-05-31');
		const online = overview.cards.find((c) => c.id === 'online_submission_rate')!;
		expect(online.current).toEqual({
			numerator: 15,
			denominator: 20,
			value: 0.75,
			target: 0.7,
			status: 'met',
			gap: 0,
			change: 0.15
		});
		expect(online.current.status).toBe('met');
		expect(online.compared).toMatchObject({ numerator: 12, denominator: 20, value: 0.6 });
	});

	it('draws twelve months ending with the period, empty before the data', async () => {
		const overview = await overviewOf('443', 'from=2025-05-01&to=2025-05-31');
		expect(overview.sparklineMonths[0]).toBe('2024-06-01');
		expect(overview.sparklineMonths.at(-1)).toBe('2025-05-01');
		const online = overview.cards.find((c) => c.id === 'online_submission_rate')!;
		expect(online.sparkline).toEqual([...Array(10).fill(null), 0.6, 0.75]);
	});

	it('lists the children below target in the chosen KPI, furthest first, with the dossiers missing', async () => {
		const overview = await overviewOf(
			'443',
			'from=2025-05-01&to=2025-05-31',
			'online_submission_rate'
		);
		// 18100: 6 of 10 against 80% → 2 short; 18101: 9 of 10 meets it.
		expect(overview.pullingDown).toEqual({
			kpi: 'online_submission_rate',
			chosen: true,
			units: [{ code: '18100', name: 'Xã Thượng Lộc', value: 0.6, target: 0.8, gap: 2 }],
			childrenWithTarget: 2
		});
		expect(overview.levelStatus.commune.online_submission_rate).toBe('close');
		expect(overview.report.by_level.commune.online_submission_rate).toMatchObject({
			numerator: 15,
			denominator: 20,
			target: 0.8
		});
	});

	it('ranks by the KPI the unit misses, not by online filing, when none is chosen', async () => {
		const overview = await overviewOf('443', 'from=2025-05-01&to=2025-05-31');
		// Online filing is met (15 of 20 against 70%); digitization is 0 of 20 against 50%:
		// each commune is 5 digitized dossiers short of 50%.
		expect(overview.pullingDown).toEqual({
			kpi: 'dossier_digitization_rate',
			chosen: false,
			units: [
				{ code: '18101', name: 'Xã Mỹ Lộc', value: 0, target: 0.5, gap: 5 },
				{ code: '18100', name: 'Xã Thượng Lộc', value: 0, target: 0.5, gap: 5 }
			],
			childrenWithTarget: 2
		});
	});

	it('opens on the headline KPI when the unit misses no target', async () => {
		// April: no campaign, no target.
		const overview = await overviewOf('443', 'from=2025-04-01&to=2025-04-30');
		expect(overview.pullingDown).toMatchObject({
			kpi: 'online_submission_rate',
			chosen: false,
			units: [],
			childrenWithTarget: 0
		});
	});

	it('picks the KPI missed by most: below before close, then the most points short', () => {
		const card = (id: KpiId, numerator: number, target: number | null) => {
			const status =
				target === null
					? null
					: numerator / 100 >= target
						? 'met'
						: numerator / 100 >= target - 0.05
							? 'close'
							: 'below';
			return {
				id,
				current: {
					numerator,
					denominator: 100,
					value: numerator / 100,
					target,
					status,
					gap: null,
					change: null
				} as const
			};
		};
		expect(
			missedMost([
				card('online_submission_rate', 68, 0.7),
				card('online_payment_rate', 10, 0.5),
				card('dossier_digitization_rate', 30, 0.9),
				card('data_reuse_rate', 0, null)
			])
		).toBe('dossier_digitization_rate');
		expect(
			missedMost([card('online_submission_rate', 68, 0.7), card('on_time_rate', 90, 0.5)])
		).toBe('online_submission_rate');
		expect(
			missedMost([card('online_payment_rate', 60, 0.7), card('data_reuse_rate', 50, 0.6)])
		).toBe('online_payment_rate');
		expect(missedMost([card('online_payment_rate', 80, 0.7)])).toBe('online_submission_rate');
	});

	it('shows the campaign standing as of the last day with data', async () => {
		const overview = await overviewOf('443', 'from=2025-05-01&to=2025-05-31');
		expect(overview.asOf).toBe('2025-05-09');
		expect(overview.campaigns.map((c) => c.campaign)).toEqual(['Tháng Năm']);
		expect(overview.campaigns[0].kpis[0]).toMatchObject({
			kpi: 'online_submission_rate',
			target: 0.7
		});
	});

	it('has no comparison for a unit that did not exist in the previous period', async () => {
		const overview = await overviewOf('18100', 'from=2025-07-01&to=2025-07-31');
		expect(overview.report.unit.name).toBe('Xã Đồng Lộc');
		expect(overview.cards[0].compared).toBeNull();
		expect(overview.cards[0].sparkline).toEqual(Array(12).fill(null));
	});
});
