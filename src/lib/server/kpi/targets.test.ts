/**
 * Which campaign target applies to a unit in a period (CONTRACT.md `kpi --json`: "the target of a
 * campaign covering the unit whose dates overlap the period, for the unit's own target level"),
 * through `campaignTargets` and the report. Targets enter through `importFile` only.
 */
import type { DateRange } from '../../domain/periods';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KpiId } from '../../domain/kpi-ids';
import type { TargetLevel } from '../../domain/types';
import { importFile } from '../import/run';
import { tempStore, UNITS_CSV, type TempStore } from '../testing/fixtures';
import { kpiReport } from './report';
import { campaignTargets, type AppliedTarget } from './targets';
import { resolveUnit } from '../units/versions';

const UNITS = UNITS_CSV;

// One procedure of each level, so that the report has every level.
const PROCEDURES = `code,name,level,online_level,has_fee,online_payment
1.001193,Đăng ký khai sinh,commune,full,false,false
1.000001,Cấp giấy phép xây dựng,district,partial,true,true
2.000488,Cấp Phiếu lý lịch tư pháp,province,partial,true,true
`;

const HEADER = 'campaign,starts_on,ends_on,unit_code,kpi,level,target';

/**
 * Imported first: a district campaign that started before the province's, and a province
 * campaign that started after it (both imported before the province's campaign, so "imported
 * last" would pick the province's campaign where "started last" picks these).
 */
const EARLIER_FILE = `${HEADER}
Can Lộc số hóa,2024-03-01,2024-12-31,443,dossier_digitization_rate,district,0.85
Can Lộc số hóa,2024-03-01,2024-12-31,443,dossier_digitization_rate,commune,0.6
Đồng bộ quý III,2024-07-01,2024-09-30,42,portal_sync_rate,province,0.95
Đồng bộ quý III,2024-07-01,2024-09-30,42,portal_sync_rate,commune,0.93
`;

/** Seed 002: Hà Tĩnh's campaign, 9 May to 30 September 2024, set on the province. */
const PROVINCE_FILE = `${HEADER}
Chiến dịch cao điểm 2024,09/05/2024,30/09/2024,42,online_submission_rate,province,70%
Chiến dịch cao điểm 2024,09/05/2024,30/09/2024,42,online_submission_rate,district,72%
Chiến dịch cao điểm 2024,09/05/2024,30/09/2024,42,online_submission_rate,commune,74%
Chiến dịch cao điểm 2024,09/05/2024,30/09/2024,42,dossier_digitization_rate,province,90%
Chiến dịch cao điểm 2024,09/05/2024,30/09/2024,42,dossier_digitization_rate,district,80%
Chiến dịch cao điểm 2024,09/05/2024,30/09/2024,42,dossier_digitization_rate,commune,75%
Chiến dịch cao điểm 2024,09/05/2024,30/09/2024,42,portal_sync_rate,province,100%
Chiến dịch cao điểm 2024,09/05/2024,30/09/2024,42,portal_sync_rate,commune,100%
Chiến dịch cao điểm 2024,09/05/2024,30/09/2024,42,payment_enabled_rate,province,50%
Chiến dịch cao điểm 2024,09/05/2024,30/09/2024,42,payment_enabled_rate,district,45%
Chiến dịch cao điểm 2024,09/05/2024,30/09/2024,42,payment_enabled_rate,commune,40%
Xã mới 2025,2025-07-01,2025-12-31,42,online_submission_rate,commune,0.8
`;

let store: TempStore;
const db = () => store.db;

beforeAll(async () => {
	store = await tempStore();
	await importFile(store.db, 'units', store.file('units.csv', UNITS));
	await importFile(store.db, 'procedures', store.file('procedures.csv', PROCEDURES));
	await importFile(store.db, 'targets', store.file('earlier.csv', EARLIER_FILE));
	await importFile(store.db, 'targets', store.file('province.csv', PROVINCE_FILE));
});
afterAll(() => store.dispose());

/** Every target applying to the unit `code` names in the period, as `kpi/level → campaign: target`. */
async function targetsOf(code: string, from: string, to: string): Promise<Record<string, string>> {
	const period: DateRange = { from, to };
	const unit = await resolveUnit(db(), code, period);
	const applied = (await campaignTargets(db(), [unit.id], period)).get(unit.id)!;
	return byKpiAndLevel(applied);
}

function byKpiAndLevel(applied: AppliedTarget[]): Record<string, string> {
	return Object.fromEntries(
		applied
			.map((t) => [`${t.kpi}/${t.level}`, `${t.campaign}: ${t.target}`])
			.sort(([a], [b]) => a.localeCompare(b))
	);
}

async function reportTarget(
	code: string,
	from: string,
	to: string,
	kpi: KpiId,
	level?: TargetLevel
): Promise<number | null | undefined> {
	const report = await kpiReport(db(), code, { from, to });
	return level ? report.by_level[level][kpi]?.target : report.kpis[kpi].target;
}

const JUNE_2024: [string, string] = ['2024-06-01', '2024-06-30'];
const AUGUST_2024: [string, string] = ['2024-08-01', '2024-08-31'];

describe('a campaign set on an ancestor', () => {
	it('applies a campaign set on province 42 to a commune under district 443, with its commune-level target', async () => {
		expect(await reportTarget('18101', ...JUNE_2024, 'online_submission_rate')).toBe(0.74);
		expect(await reportTarget('18101', ...JUNE_2024, 'payment_enabled_rate')).toBe(0.4);
	});

	it('applies the commune-level target of province 42 to a commune formed on 1 July 2025 directly under it', async () => {
		expect(await targetsOf('18100', '2025-08-01', '2025-08-31')).toEqual({
			'online_submission_rate/commune': 'Xã mới 2025: 0.8'
		});
		expect(await reportTarget('18100', '2025-08-01', '2025-08-31', 'online_submission_rate')).toBe(
			0.8
		);
	});

	it('applies the district target row to district 443, not the province target row', async () => {
		expect(await reportTarget('443', ...JUNE_2024, 'online_submission_rate')).toBe(0.72);
		expect(await reportTarget('443', ...JUNE_2024, 'payment_enabled_rate')).toBe(0.45);
	});

	it('applies the province target row to a department', async () => {
		expect(await reportTarget('42-STP', ...JUNE_2024, 'online_submission_rate')).toBe(0.7);
	});

	it('gives the province its province target, and each level of its report that level target', async () => {
		expect(await reportTarget('42', ...JUNE_2024, 'online_submission_rate')).toBe(0.7);
		expect(await reportTarget('42', ...JUNE_2024, 'online_submission_rate', 'province')).toBe(0.7);
		expect(await reportTarget('42', ...JUNE_2024, 'online_submission_rate', 'district')).toBe(0.72);
		expect(await reportTarget('42', ...JUNE_2024, 'online_submission_rate', 'commune')).toBe(0.74);
	});

	it('leaves the target empty for a KPI and level the campaign has no row for', async () => {
		// The province campaign sets portal_sync_rate for province and commune, not district.
		expect(await reportTarget('443', ...JUNE_2024, 'portal_sync_rate')).toBeNull();
		expect(await reportTarget('443', ...JUNE_2024, 'satisfaction_rate')).toBeNull();
	});
});

describe('two campaigns that both apply', () => {
	it('takes the campaign set closest to the unit, though the province campaign started later', async () => {
		expect(await targetsOf('443', ...JUNE_2024)).toMatchObject({
			'dossier_digitization_rate/district': 'Can Lộc số hóa: 0.85'
		});
		expect(await targetsOf('18101', ...JUNE_2024)).toMatchObject({
			'dossier_digitization_rate/commune': 'Can Lộc số hóa: 0.6'
		});
		expect(await reportTarget('18101', ...JUNE_2024, 'dossier_digitization_rate')).toBe(0.6);
	});

	it('does not apply a district campaign to the province above it', async () => {
		expect(await reportTarget('42', ...JUNE_2024, 'dossier_digitization_rate')).toBe(0.9);
		expect(await reportTarget('42', ...JUNE_2024, 'dossier_digitization_rate', 'district')).toBe(
			0.8
		);
		expect(await reportTarget('42', ...JUNE_2024, 'dossier_digitization_rate', 'commune')).toBe(
			0.75
		);
	});

	it('takes, at equal depth, the campaign that started last, though it was imported first', async () => {
		expect(await targetsOf('42', ...AUGUST_2024)).toMatchObject({
			'portal_sync_rate/province': 'Đồng bộ quý III: 0.95',
			'portal_sync_rate/commune': 'Đồng bộ quý III: 0.93'
		});
		expect(await reportTarget('42', ...AUGUST_2024, 'portal_sync_rate')).toBe(0.95);
		expect(await reportTarget('18101', ...AUGUST_2024, 'portal_sync_rate')).toBe(0.93);
		// A period reaching into both campaigns: both overlap it, the later one wins.
		expect(await reportTarget('42', '2024-06-15', '2024-07-15', 'portal_sync_rate')).toBe(0.95);
	});

	it('takes the earlier campaign where the later one has not started', async () => {
		expect(await targetsOf('42', ...JUNE_2024)).toMatchObject({
			'portal_sync_rate/province': 'Chiến dịch cao điểm 2024: 1'
		});
		expect(await reportTarget('42', '2024-06-01', '2024-06-30', 'portal_sync_rate')).toBe(1);
	});

	it('answers for several units at once, each its own', async () => {
		const period = { from: '2024-08-01', to: '2024-08-31' };
		const ids = await Promise.all(
			['42', '443', '18101'].map(async (code) => (await resolveUnit(db(), code, period)).id)
		);
		const all = await campaignTargets(db(), ids, period);
		const digitization = ids.map((id) =>
			byKpiAndLevel(all.get(id)!.filter((t) => t.kpi === 'dossier_digitization_rate'))
		);
		expect(digitization).toEqual([
			{
				'dossier_digitization_rate/commune': 'Chiến dịch cao điểm 2024: 0.75',
				'dossier_digitization_rate/district': 'Chiến dịch cao điểm 2024: 0.8',
				'dossier_digitization_rate/province': 'Chiến dịch cao điểm 2024: 0.9'
			},
			{
				'dossier_digitization_rate/commune': 'Can Lộc số hóa: 0.6',
				'dossier_digitization_rate/district': 'Can Lộc số hóa: 0.85',
				'dossier_digitization_rate/province': 'Chiến dịch cao điểm 2024: 0.9'
			},
			{
				'dossier_digitization_rate/commune': 'Can Lộc số hóa: 0.6',
				'dossier_digitization_rate/district': 'Can Lộc số hóa: 0.85',
				'dossier_digitization_rate/province': 'Chiến dịch cao điểm 2024: 0.9'
			}
		]);
	});
});

describe('no campaign in the period', () => {
	it('has no target in a period no campaign overlaps', async () => {
		expect(await targetsOf('42', '2023-01-01', '2023-12-31')).toEqual({});
		const report = await kpiReport(db(), '18101', { from: '2023-01-01', to: '2023-12-31' });
		for (const value of Object.values(report.kpis)) expect(value.target).toBeNull();
	});

	it('has no target from a campaign that ended the day before the period', async () => {
		expect(await reportTarget('42', '2024-10-01', '2024-10-31', 'online_submission_rate')).toBe(
			null
		);
		// The district's own campaign runs to the end of 2024.
		expect(await targetsOf('18101', '2024-10-01', '2024-10-31')).toEqual({
			'dossier_digitization_rate/commune': 'Can Lộc số hóa: 0.6',
			'dossier_digitization_rate/district': 'Can Lộc số hóa: 0.85'
		});
	});

	it('has the target of a campaign that overlaps the period by its last day or its first', async () => {
		expect(await reportTarget('42', '2024-09-30', '2024-10-31', 'online_submission_rate')).toBe(
			0.7
		);
		expect(await reportTarget('42', '2024-04-01', '2024-05-09', 'online_submission_rate')).toBe(
			0.7
		);
		expect(await reportTarget('42', '2024-04-01', '2024-05-08', 'online_submission_rate')).toBe(
			null
		);
	});
});
