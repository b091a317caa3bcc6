import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../import/run';
import { tempStore, UNITS_CSV, viewState, type TempStore } from '../testing/fixtures';
import { unitContext } from './context';
import { unitOverview } from './overview';

let store: TempStore;
const HEAD = { username: 'test', role: 'admin' as const, unitCode: '42' };

/**
 * District 443 (communes 18100 and 18101) in April and May 2025, eligible dossiers only:
 *  - April: 18100 files 4 of 10 online, 18101 files 8 of 10;
 *  - May:   18100 files 6 of 10 online, 18101 files 9 of 10.
 * A campaign for May sets 80% at commune level and 70% at district level.
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
				'Tháng Năm,2025-05-01,2025-05-31,42,online_submission_rate,district,70%\n'
		)
	);
	await importFile(store.db, 'dossiers', store.file('d.csv', dossiers()));
});
afterAll(() => store.dispose());

async function overviewOf(code: string, query: string) {
	const context = await unitContext(store.db, HEAD, code, viewState(query));
	return unitOverview(store.db, context);
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

	it('lists the children below target, furthest first, with the dossiers missing', async () => {
		const overview = await overviewOf('443', 'from=2025-05-01&to=2025-05-31');
		// 18100: 6 of 10 against 80% → 2 short; 18101: 9 of 10 meets it.
		expect(overview.lowest).toEqual([
			{ code: '18100', name: 'Xã Thượng Lộc', value: 0.6, target: 0.8, gap: 2 }
		]);
		expect(overview.levelStatus.commune.online_submission_rate).toBe('close');
		expect(overview.report.by_level.commune.online_submission_rate).toMatchObject({
			numerator: 15,
			denominator: 20,
			target: 0.8
		});
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
