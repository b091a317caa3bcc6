/**
 * The cases of issue 11 where two pages, or a figure and the word beside it, disagreed: each page
 * now prints the engine's figure (kpi/figures.ts), so they cannot. District 443 (communes 18100
 * and 18101), one procedure, every dossier eligible; data enters only through `importFile`:
 *  - March 2025, target 90% (commune): 18100 files 17 of 20 online (85%), 18101 113 of 133
 *    (84.96%): both printed "85,0%";
 *  - April 2025: no campaign;
 *  - June 2025, target 55% (commune): 18100 files 0 of 100 online, 18101 10 of 10; the last
 *    dossier on 30 June, the campaign's last day.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatPercent } from '../../domain/format';
import { importFile } from '../import/run';
import { tempStore, UNITS_CSV, type TempStore, urlState, viewState } from '../testing/fixtures';
import { COMPARE, PROCEDURES } from '../../domain/url-params';
import { compareChildren } from './compare';
import { unitContext } from './context';
import { unitOverview } from './overview';
import { proceduresView } from './procedures';

let store: TempStore;
const HEAD = { username: 'test', role: 'admin' as const, unitCode: '42' };
const db = () => store.db;

function dossiers(): string {
	const lines = ['dossier_code,procedure_code,unit_code,channel,received_at'];
	const add = (prefix: string, unit: string, month: string, total: number, online: number) => {
		for (let i = 0; i < total; i++) {
			const day = String(1 + (i % 28)).padStart(2, '0');
			const channel = i < online ? 'online' : 'direct';
			lines.push(`${prefix}${i},1.001193,${unit},${channel},2025-${month}-${day} 09:00`);
		}
	};
	add('M0-', '18100', '03', 20, 17);
	add('M1-', '18101', '03', 133, 113);
	add('A0-', '18100', '04', 10, 5);
	add('A1-', '18101', '04', 10, 9);
	add('J0-', '18100', '06', 99, 0);
	lines.push('J0-last,1.001193,18100,direct,2025-06-30 09:00');
	add('J1-', '18101', '06', 10, 10);
	return lines.join('\n') + '\n';
}

beforeAll(async () => {
	store = await tempStore('kpi-figures-agree-');
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
				'Tháng Ba,2025-03-01,2025-03-31,42,online_submission_rate,commune,90%\n' +
				'Tháng Sáu,2025-06-01,2025-06-30,42,online_submission_rate,commune,55%\n'
		)
	);
	await importFile(store.db, 'dossiers', store.file('d.csv', dossiers()));
});
afterAll(() => store.dispose());

const context = (code: string, query: string) =>
	unitContext(store.db, HEAD, code, viewState(query));
const MARCH = 'from=2025-03-01&to=2025-03-31';
const APRIL = 'from=2025-04-01&to=2025-04-30';
const JUNE = 'from=2025-06-01&to=2025-06-30';

describe('figures that agree with each other', () => {
	it('gives two communes both printed "85,0%" the same status against 90%', async () => {
		const compared = await compareChildren(
			db(),
			await context('443', MARCH),
			urlState(COMPARE, {})
		);
		const rows = compared.children.map((c) => [
			c.unit.code,
			formatPercent(c.kpis.online_submission_rate.value),
			c.status.online_submission_rate
		]);
		expect(rows.sort()).toEqual([
			['18100', '85,0%', 'close'],
			['18101', '85,0%', 'close']
		]);
	});

	it('misses the same 55 online dossiers on the overview and the procedures page at 55%', async () => {
		// 0.55 × 100 is 55.00000000000001: the overview's float ceiling asked for 56.
		const overview = await unitOverview(db(), await context('443', JUNE), {
			kpi: 'online_submission_rate'
		});
		expect(overview.pullingDown.units).toEqual([
			{ code: '18100', name: 'Xã Thượng Lộc', value: 0, target: 0.55, gap: 55 }
		]);
		const commune = await context('18100', JUNE);
		const procedures = await proceduresView(
			db(),
			commune.unit,
			commune.period,
			urlState(PROCEDURES, {})
		);
		expect(procedures.overall.extra_online_needed).toBe(55);
		expect(procedures.whereToAct.map((p) => [p.code, p.extra_online_needed])).toEqual([
			['1.001193', 55]
		]);
	});

	it('does not say every child met its target in a month no campaign covers', async () => {
		const overview = await unitOverview(db(), await context('443', APRIL));
		expect(overview.pullingDown.units).toEqual([]);
		expect(overview.pullingDown.childrenWithTarget).toBe(0);
		const june = await unitOverview(db(), await context('443', JUNE));
		expect(june.pullingDown.childrenWithTarget).toBe(2);
	});

	it('gives the result of a campaign whose last day is the last day of data, not a forecast', async () => {
		const overview = await unitOverview(db(), await context('18100', JUNE));
		expect(overview.asOf).toBe('2025-06-30');
		expect(overview.campaigns).toHaveLength(1);
		const [standing] = overview.campaigns;
		expect([standing.campaign, standing.ended, standing.daysLeft]).toEqual(['Tháng Sáu', true, 0]);
		expect(standing.kpis[0]).toMatchObject({
			kpi: 'online_submission_rate',
			numerator: 0,
			denominator: 100,
			status: 'below',
			forecast: null,
			willMeet: null
		});
	});
});
