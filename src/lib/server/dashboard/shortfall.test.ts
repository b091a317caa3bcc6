/**
 * The dossiers behind a dossier KPI's shortfall on a small province built so every list is known:
 * dossiers received at the edges of local days, some not synced, not digitized, filed in person,
 * completed late; each list exactly the dossiers expected, its length the KPI's denominator minus
 * its numerator as the engine reports them, only the unit's subtree, 50 a page. Data enters only
 * through `importFile`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOSSIER_KPI_IDS } from '../../domain/kpi-ids';
import type { DateRange } from '../../domain/periods';
import { SHORTFALL } from '../../domain/url-params';
import { importFile } from '../import/run';
import { kpiReport } from '../kpi/report';
import {
	PROCEDURES_CSV,
	tempStore,
	UNITS_CSV,
	urlState,
	type TempStore
} from '../testing/fixtures';
import { resolveUnit } from '../units/versions';
import { SHORTFALL_PER_PAGE, shortfallView } from './shortfall';

const BIRTH = '1.001193';
const RECORD = '2.000488';
const HEADER =
	'dossier_code,procedure_code,unit_code,channel,received_at,due_at,completed_at,status,portal_synced,dossier_digitized,fee_required,paid_online';

/** May 2025 at Thượng Lộc (18100), Mỹ Lộc (18101) and the department; X* fall outside May. */
const DOSSIERS = `${HEADER}
A1,${BIRTH},18100,online,2025-05-01 00:00,2025-05-10,2025-05-09 10:00,completed,true,true,false,false
A2,${BIRTH},18100,direct,2025-05-02 08:00,2025-05-10,2025-05-12 10:00,completed,false,true,false,false
A3,${BIRTH},18100,online,2025-05-31 23:59,2025-06-10,,processing,false,false,false,false
B1,${BIRTH},18101,direct,2025-05-15 08:00,2025-05-20,2025-05-19 10:00,completed,true,false,false,false
S1,${RECORD},42-STP,online,2025-05-03 08:00,2025-05-12,2025-05-13 09:00,completed,false,true,true,false
S2,${RECORD},42-STP,online,2025-05-04 08:00,2025-05-12,,processing,true,true,true,true
X1,${BIRTH},18100,direct,2025-04-30 23:59,2025-05-05,2025-05-04 10:00,completed,false,false,false,false
X2,${BIRTH},18101,direct,2025-06-01 00:00,2025-06-05,,processing,false,false,false,false
`;

const MAY: DateRange = { from: '2025-05-01', to: '2025-05-31' };

let store: TempStore;

async function listed(code: string, kpi: string, page = '1') {
	const unit = await resolveUnit(store.db, code, MAY);
	const view = await shortfallView(store.db, unit, MAY, urlState(SHORTFALL, { kpi, page }));
	return view;
}

const codes = (view: { rows: { dossier_code: string }[] }) => view.rows.map((r) => r.dossier_code);

beforeAll(async () => {
	store = await tempStore('kpi-shortfall-');
	await importFile(store.db, 'units', store.file('units.csv', UNITS_CSV));
	await importFile(store.db, 'procedures', store.file('procedures.csv', PROCEDURES_CSV));
	await importFile(store.db, 'dossiers', store.file('dossiers.csv', DOSSIERS));
});
afterAll(() => store.dispose());

describe('the dossiers short of a KPI', () => {
	it('lists the dossiers received in the period and not synced, the most recent first, of the whole subtree', async () => {
		const view = await listed('42', 'portal_sync_rate');
		expect(codes(view)).toEqual(['A3', 'S1', 'A2']);
		expect([view.count, view.denominator, view.basis]).toEqual([3, 6, 'received']);
	});

	it("keeps to the unit's subtree: a commune lists only its own", async () => {
		expect(codes(await listed('18100', 'portal_sync_rate'))).toEqual(['A3', 'A2']);
		expect(codes(await listed('18101', 'portal_sync_rate'))).toEqual([]);
		const view = await listed('18101', 'dossier_digitization_rate');
		expect(codes(view)).toEqual(['B1']);
		expect([view.count, view.denominator]).toEqual([1, 1]);
	});

	it('dates a completion KPI by the completion: completed in May with a due date, and late', async () => {
		const view = await listed('42', 'on_time_rate');
		// A2 completed 12/05 for 10/05, S1 13/05 for 12/05; X1 completed in May but received in April counts.
		expect(codes(view)).toEqual(['S1', 'A2']);
		expect([view.count, view.denominator, view.basis]).toEqual([2, 5, 'completed']);
	});

	it('lists the fee dossiers not paid online, and the eligible dossiers filed in person', async () => {
		expect(codes(await listed('42', 'online_payment_rate'))).toEqual(['S1']);
		expect(codes(await listed('42', 'online_submission_rate'))).toEqual(['B1', 'A2']);
	});

	it("has every dossier KPI's length equal to the engine's denominator minus its numerator", async () => {
		const report = await kpiReport(store.db, '42', MAY);
		for (const kpi of DOSSIER_KPI_IDS) {
			const view = await listed('42', kpi);
			const figure = report.kpis[kpi];
			expect([view.count, view.denominator], kpi).toEqual([
				figure.denominator - figure.numerator,
				figure.denominator
			]);
		}
	});

	it('shows 50 a page, and a page past the last as the last', async () => {
		const many = Array.from(
			{ length: 120 },
			(_, i) =>
				`M${String(i).padStart(3, '0')},${BIRTH},18101,direct,2025-05-20 08:${String(i % 60).padStart(2, '0')},2025-05-30,,processing,false,false,false,false`
		);
		await importFile(
			store.db,
			'dossiers',
			store.file('many.csv', `${HEADER}\n${many.join('\n')}\n`)
		);
		const first = await listed('18101', 'portal_sync_rate');
		expect([first.count, first.pages, first.rows.length]).toEqual([120, 3, SHORTFALL_PER_PAGE]);
		const last = await listed('18101', 'portal_sync_rate', '9');
		expect([last.page, last.rows.length]).toEqual([3, 20]);
		const all = [
			...codes(first),
			...codes(await listed('18101', 'portal_sync_rate', '2')),
			...codes(last)
		];
		expect(new Set(all).size).toBe(120);
	});
});
