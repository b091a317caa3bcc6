/**
 * The unit context every dashboard page starts from, against what a URL or the stored data can
 * throw at it (issue 10): periods outside 2000–2100, too long or malformed are refused with their
 * problem; a dossier stored with an implausible date (9999-12-31, 0001-01-01, written straight
 * into the table past the importer) moves neither the default period nor the data page's months;
 * and a district head's period picker offers only the campaigns covering his units.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../../domain/types';
import { importFile } from '../import/run';
import { rebuildAggregates } from '../kpi/aggregates';
import { PeriodError } from '../kpi/period';
import { tempStore, viewState, type TempStore } from '../testing/fixtures';
import { defaultPeriod, latestDay, unitContext } from './context';
import { dataFreshness } from './freshness';
import { unitOverview } from './overview';
import { unitTrend } from './trends';

const UNITS = `code,name,level,parent_code,valid_from,valid_to
42,Tỉnh Hà Tĩnh,province,,,
443,Huyện Can Lộc,district,42,,
18406,Thị trấn Nghèn,commune,443,,
442,Huyện Nghi Xuân,district,42,,
18300,Xã Xuân Hội,commune,442,,
`;

const PROCEDURES = `code,name,level,online_level,has_fee,online_payment
1.001193,Đăng ký khai sinh,commune,full,false,false
`;

/** April 2025: 2 dossiers at Thị trấn Nghèn; May 2025: 1 at Xã Xuân Hội (the last, on the 20th). */
const DOSSIERS = `dossier_code,procedure_code,unit_code,channel,received_at
A1,1.001193,18406,online,2025-04-03 09:00
A2,1.001193,18406,direct,2025-04-04 09:00
M1,1.001193,18300,online,2025-05-20 10:00
`;

/** One campaign on the province, one on each district, one on a commune of each. */
const TARGETS = `campaign,starts_on,ends_on,unit_code,kpi,level,target
Tỉnh 2025,2025-01-01,2025-12-31,42,online_submission_rate,district,70%
Can Lộc tháng 5,2025-05-01,2025-05-31,443,online_submission_rate,district,75%
Nghi Xuân tháng 5,2025-05-01,2025-05-31,442,online_submission_rate,district,75%
Nghèn tháng 4,2025-04-01,2025-04-30,18406,online_submission_rate,commune,80%
Xuân Hội tháng 4,2025-04-01,2025-04-30,18300,online_submission_rate,commune,80%
`;

const admin: Principal = { username: 'admin', role: 'admin', unitCode: '' };
const canLocHead: Principal = { username: 'canloc', role: 'unit_head', unitCode: '443' };

let store: TempStore;
const db = () => store.db;
const context = (principal: Principal, code: string, query: string) =>
	unitContext(store.db, principal, code, viewState(query));
const refusal = async (query: string) => {
	try {
		await context(admin, '42', query);
	} catch (error) {
		if (error instanceof PeriodError) return error.problem;
		throw error;
	}
	return null;
};

beforeAll(async () => {
	store = await tempStore('kpi-context-');
	await importFile(store.db, 'units', store.file('units.csv', UNITS));
	await importFile(store.db, 'procedures', store.file('procedures.csv', PROCEDURES));
	await importFile(store.db, 'targets', store.file('targets.csv', TARGETS));
	await importFile(store.db, 'dossiers', store.file('dossiers.csv', DOSSIERS));
});
afterAll(() => store?.dispose());

describe('the period of a URL', () => {
	it('refuses years 9999, 0001 and 0999, from after to, 30 February and 200 years', async () => {
		expect(await refusal('from=9999-12-01&to=9999-12-31')).toEqual({
			kind: 'out_of_range',
			field: 'from',
			value: '9999-12-01'
		});
		expect(await refusal('from=0001-01-01&to=2025-01-31')).toMatchObject({ value: '0001-01-01' });
		expect(await refusal('from=0999-01-01&to=0999-12-31')).toMatchObject({ value: '0999-01-01' });
		expect(await refusal('from=2025-05-31&to=2025-05-01')).toMatchObject({ kind: 'reversed' });
		expect(await refusal('from=2000-02-30&to=2000-03-31')).toMatchObject({ kind: 'not_a_date' });
		expect(await refusal('from=2000-01-01&to=2199-12-31')).toMatchObject({
			kind: 'out_of_range',
			field: 'to'
		});
		expect(await refusal('from=2000-01-01&to=2100-12-31')).toMatchObject({ kind: 'too_long' });
		expect(await refusal('from=2025-05-01')).toEqual({ kind: 'missing' });
	});

	it('answers the first and last months of the bounds', async () => {
		expect((await context(admin, '42', 'from=2000-01-01&to=2000-01-31')).comparison.period).toEqual(
			{ from: '1999-12-01', to: '1999-12-31' }
		);
		expect((await context(admin, '42', 'from=2100-12-01&to=2100-12-31&vs=year')).period).toEqual({
			from: '2100-12-01',
			to: '2100-12-31'
		});
	});
});

describe("the campaigns a district head's picker offers", () => {
	const names = async (principal: Principal, code: string) =>
		(await context(principal, code, 'from=2025-05-01&to=2025-05-31')).campaigns.map((c) => c.name);

	it("lists the province's, his district's and his communes' campaigns, not a neighbour's", async () => {
		expect(await names(canLocHead, '443')).toEqual([
			'Can Lộc tháng 5',
			'Nghèn tháng 4',
			'Tỉnh 2025'
		]);
	});

	it('lists every campaign for an administrator', async () => {
		expect(await names(admin, '443')).toEqual([
			'Can Lộc tháng 5',
			'Nghi Xuân tháng 5',
			'Nghèn tháng 4',
			'Xuân Hội tháng 4',
			'Tỉnh 2025'
		]);
	});

	it("refuses a neighbour's campaign in the URL as an unknown one, without its name", async () => {
		const { rows } = await sql<{ id: number }>`SELECT id FROM campaigns
			WHERE name = 'Nghi Xuân tháng 5'`.execute(db());
		const error = await context(canLocHead, '443', `campaign=${rows[0].id}`).catch((e) => e);
		expect(error).toBeInstanceOf(PeriodError);
		expect(error.problem).toEqual({ kind: 'unknown_campaign' });
		expect(error.message).toBe('unknown campaign');
		await expect(context(canLocHead, '443', 'campaign=999')).rejects.toMatchObject({
			problem: { kind: 'unknown_campaign' }
		});
	});
});

describe('a dossier stored with an implausible date', () => {
	let stray: TempStore;
	const strayDb = () => stray.db;

	beforeAll(async () => {
		stray = await tempStore('kpi-context-stray-');
		await importFile(stray.db, 'units', stray.file('units.csv', UNITS));
		await importFile(stray.db, 'procedures', stray.file('procedures.csv', PROCEDURES));
		await importFile(stray.db, 'dossiers', stray.file('dossiers.csv', DOSSIERS));
		// Past the importer, as an old version or a hand-written INSERT could have left them.
		for (const [code, day] of [
			['Y9999', '9999-12-31 10:00:00'],
			['Y0001', '0001-01-01 10:00:00']
		]) {
			await sql`INSERT INTO dossiers SELECT * REPLACE (${code} AS dossier_code,
					CAST(${day} AS TIMESTAMP) AS received_at)
				FROM dossiers WHERE dossier_code = 'M1'`.execute(strayDb());
		}
		await rebuildAggregates(strayDb());
	});
	afterAll(() => stray?.dispose());

	it('does not move the last data day, nor the default period', async () => {
		expect(await latestDay(strayDb())).toBe('2025-05-20');
		expect(await defaultPeriod(stray.db, admin, '42')).toEqual({
			from: '2025-05-01',
			to: '2025-05-31'
		});
	});

	it('leaves the default overview and trend pages working', async () => {
		const unit = await unitContext(stray.db, admin, '42', viewState());
		expect(unit.period).toEqual({ from: '2025-05-01', to: '2025-05-31' });
		expect(unit.lastDataDay).toBe('2025-05-20');
		const overview = await unitOverview(strayDb(), unit);
		expect(overview.report.kpis.online_submission_rate).toMatchObject({
			numerator: 1,
			denominator: 1
		});
		const trend = await unitTrend(strayDb(), unit, 'online_submission_rate');
		expect(trend.months.map((m) => m.denominator)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 1]);
	});

	it('gives the data page the months of the plausible data only', async () => {
		const unit = await unitContext(stray.db, admin, '42', viewState());
		const freshness = await dataFreshness(strayDb(), admin, unit.unit, unit.lastDataDay);
		expect(freshness.perMonth).toEqual([
			{ month: '2025-04', dossiers: 2 },
			{ month: '2025-05', dossiers: 1 }
		]);
	});
});
