import { sql, type RawBuilder } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CommandOutput } from '../commands';
import { tempStore, type TempStore } from '../testing/fixtures';
import { buildDemo, type DemoSummary } from '.';

const FULL_BUILD_MS = 180_000;

function quietOutput(): CommandOutput & { lines: string[] } {
	const lines: string[] = [];
	return { lines, out: (line) => lines.push(line), err: (line) => lines.push(line) };
}

/** Everything the dashboard shows of a unit in a month, and the dossier codes at its ends. */
async function countsPerUnitAndMonth(store: TempStore) {
	const { rows } = await sql`SELECT unit_version_id, unit_code,
			strftime(received_at, '%Y-%m') AS month, count(*) AS dossiers,
			count(*) FILTER (WHERE channel = 'online') AS online,
			count(*) FILTER (WHERE channel = 'postal') AS postal,
			count(completed_at) AS completed,
			count(*) FILTER (WHERE completed_at > due_at) AS late,
			count(*) FILTER (WHERE status = 'returned') AS returned,
			count(online_level) AS online_level_overrides,
			count(*) FILTER (WHERE paid_online) AS paid_online,
			count(*) FILTER (WHERE dossier_digitized) AS dossier_digitized,
			count(*) FILTER (WHERE result_digitized) AS result_digitized,
			count(*) FILTER (WHERE data_reused) AS data_reused,
			count(*) FILTER (WHERE portal_synced) AS portal_synced,
			count(*) FILTER (WHERE rating = 'satisfied') AS satisfied, count(rating) AS rated,
			min(dossier_code) AS first_code, max(dossier_code) AS last_code,
			min(received_at) AS first_received, max(completed_at) AS last_completed
		FROM dossiers GROUP BY ALL ORDER BY ALL`.execute(store.db);
	return rows;
}

/** Among eligible dossiers (online level full or partial, the dossier's own level first). */
async function onlineShare(store: TempStore, where: RawBuilder<unknown>): Promise<number> {
	const { rows } = await sql<{ share: number }>`SELECT
			count(*) FILTER (WHERE d.channel = 'online') / count(*) AS share
		FROM dossiers d JOIN procedures p ON p.code = d.procedure_code
		JOIN unit_versions u ON u.id = d.unit_version_id
		WHERE coalesce(d.online_level, p.online_level) IN ('full', 'partial') AND ${where}`.execute(
		store.db
	);
	return rows[0].share;
}

describe('the demo province', () => {
	let store: TempStore;
	let first: DemoSummary;

	beforeAll(async () => {
		store = await tempStore('kpi-demo-');
		first = await buildDemo(store, quietOutput());
	}, FULL_BUILD_MS);
	afterAll(() => store.dispose());

	it(
		'is built twice, the second time over the first, with identical counts per unit and month',
		async () => {
			const before = await countsPerUnitAndMonth(store);
			const units = await store.snapshot('unit_versions', 'id');
			const targets = await store.snapshot('targets', 'campaign_id, level, kpi');
			const output = quietOutput();
			const second = await buildDemo(store, output);
			expect(await countsPerUnitAndMonth(store)).toEqual(before);
			expect(await store.snapshot('unit_versions', 'id')).toEqual(units);
			expect(await store.snapshot('targets', 'campaign_id, level, kpi')).toEqual(targets);
			expect({ ...second, seconds: 0 }).toEqual({ ...first, seconds: 0 });
			expect(output.lines.at(-1)).toContain(`${second.dossiers} dossiers`);
		},
		FULL_BUILD_MS
	);

	it('builds exactly the shipped demo on this machine as on any other', async () => {
		// Golden figures: a change of story.ts changes them on purpose; anything else is a bug
		// (a draw that depends on threads, or a DuckDB function that changed between versions).
		const { rows } = await sql`SELECT count(*) AS dossiers,
			count(*) FILTER (WHERE channel = 'online') AS online, count(completed_at) AS completed,
			count(*) FILTER (WHERE completed_at > due_at) AS late, count(rating) AS rated
			FROM dossiers`.execute(store.db);
		expect(rows[0]).toEqual({
			dossiers: 1_538_910,
			online: 1_096_256,
			completed: 1_507_691,
			late: 76_861,
			rated: 452_502
		});
	});

	it('holds about 400,000 dossiers a year, 1.4 to 1.6 million in all', async () => {
		expect(first.dossiers).toBeGreaterThan(1_400_000);
		expect(first.dossiers).toBeLessThan(1_600_000);
		const { rows } = await sql<{ n: number }>`SELECT count(*) AS n FROM dossiers`.execute(store.db);
		expect(rows[0].n).toBe(first.dossiers);
	});

	it('receives dossiers from 1 January 2023 to 31 October 2026 only, within office hours', async () => {
		const { rows } = await sql<{ outside: number; first_day: string; last_day: string }>`SELECT
			count(*) FILTER (WHERE hour(received_at) NOT BETWEEN 7 AND 16) AS outside,
			CAST(min(received_at) AS DATE) AS first_day, CAST(max(received_at) AS DATE) AS last_day
			FROM dossiers`.execute(store.db);
		expect(rows[0]).toEqual({ outside: 0, first_day: '2023-01-01', last_day: '2026-10-31' });
	});

	it('gives every dossier the version of its unit code valid on the day it was received', async () => {
		const { rows } = await sql<{ wrong: number }>`SELECT count(*) AS wrong FROM dossiers d
			LEFT JOIN unit_versions u ON u.id = d.unit_version_id
			WHERE u.id IS NULL OR u.code <> d.unit_code
			OR CAST(d.received_at AS DATE) NOT BETWEEN coalesce(u.valid_from, DATE '0001-01-01')
				AND coalesce(u.valid_to, DATE '9999-12-31')`.execute(store.db);
		expect(rows[0].wrong).toBe(0);
	});

	it('files each procedure at its level: department, district (new commune after the reform), commune', async () => {
		const { rows } = await sql<{ level: string; unit_level: string; n: number }>`SELECT
				p.level, u.level AS unit_level, count(*) AS n
			FROM dossiers d JOIN procedures p ON p.code = d.procedure_code
			JOIN unit_versions u ON u.id = d.unit_version_id
			WHERE CASE p.level WHEN 'province' THEN u.code <> p.unit_code
				WHEN 'district' THEN u.level <> CASE WHEN d.received_at < DATE '2025-07-01'
					THEN 'district' ELSE 'commune' END
				ELSE u.level <> 'commune' END
			GROUP BY ALL`.execute(store.db);
		expect(rows).toEqual([]);
	});

	it('never completes a dossier before it was received, and completes only completed ones', async () => {
		const { rows } = await sql<{ early: number; inconsistent: number; open_recent: number }>`SELECT
			count(*) FILTER (WHERE completed_at < received_at) AS early,
			count(*) FILTER (WHERE (status = 'completed') <> (completed_at IS NOT NULL)) AS inconsistent,
			count(*) FILTER (WHERE completed_at IS NULL AND received_at >= DATE '2026-10-19') AS open_recent
			FROM dossiers`.execute(store.db);
		expect(rows[0].early).toBe(0);
		expect(rows[0].inconsistent).toBe(0);
		expect(rows[0].open_recent).toBeGreaterThan(1000);
	});

	it('files online only procedures offered online, at their own level or the dossier’s', async () => {
		const { rows } = await sql<{ n: number }>`SELECT count(*) AS n FROM dossiers d
			JOIN procedures p ON p.code = d.procedure_code
			WHERE d.channel = 'online' AND coalesce(d.online_level, p.online_level) = 'none'`.execute(store.db);
		expect(rows[0].n).toBe(0);
	});

	it('files more eligible dossiers online at the end of 2024 than at the start of 2023', async () => {
		const early = await onlineShare(store, sql`d.received_at < DATE '2023-04-01'`);
		const late = await onlineShare(
			store,
			sql`d.received_at >= DATE '2024-10-01' AND d.received_at < DATE '2025-01-01'`
		);
		expect(early).toBeGreaterThan(0.3);
		expect(early).toBeLessThan(0.42);
		expect(late).toBeGreaterThan(0.9);
	});

	it('shows seed 002 by level at the end of 2024: departments ≈ 88.5%, districts ≈ 98%, communes ≈ 91%', async () => {
		const quarter = sql`d.received_at >= DATE '2024-10-01' AND d.received_at < DATE '2025-01-01'`;
		const department = await onlineShare(store, sql`${quarter} AND u.level = 'department'`);
		const district = await onlineShare(store, sql`${quarter} AND u.level = 'district'`);
		const commune = await onlineShare(store, sql`${quarter} AND u.level = 'commune'`);
		expect(Math.abs(department - 0.885)).toBeLessThan(0.01);
		expect(Math.abs(district - 0.98)).toBeLessThan(0.01);
		expect(Math.abs(commune - 0.91)).toBeLessThan(0.01);
	});

	it('keeps the communes of Hương Khê behind those of Thành phố Hà Tĩnh', async () => {
		const huongKhe = await onlineShare(store, sql`u.parent_code = '444'`);
		const haTinh = await onlineShare(store, sql`u.parent_code = '436'`);
		expect(haTinh - huongKhe).toBeGreaterThan(0.1);
	});

	it('loads the seed 002 campaign and the 2026 campaign with their targets', async () => {
		const { rows } = await sql<{
			name: string;
			starts_on: string;
			ends_on: string;
			targets: number;
		}>`
			SELECT c.name, c.starts_on, c.ends_on, count(*) AS targets
			FROM campaigns c JOIN targets t ON t.campaign_id = c.id GROUP BY ALL ORDER BY c.starts_on`.execute(
			store.db
		);
		expect(rows).toEqual([
			{
				name: 'Chiến dịch cao điểm nâng cao hiệu quả cung cấp, sử dụng dịch vụ công trực tuyến 2024',
				starts_on: '2024-05-09',
				ends_on: '2024-09-30',
				targets: 21
			},
			{
				name: 'Chiến dịch chuyển đổi số năm 2026: 100% hồ sơ được số hóa',
				starts_on: '2026-03-01',
				ends_on: '2026-12-31',
				targets: 18
			}
		]);
		const { rows: seed002 } = await sql<{ kpi: string; level: string; target: number }>`
			SELECT kpi, level, target FROM targets WHERE campaign_id = 1 AND kpi = 'payment_enabled_rate'
			ORDER BY target DESC`.execute(store.db);
		expect(seed002).toEqual([
			{ kpi: 'payment_enabled_rate', level: 'province', target: 0.5 },
			{ kpi: 'payment_enabled_rate', level: 'district', target: 0.45 },
			{ kpi: 'payment_enabled_rate', level: 'commune', target: 0.4 }
		]);
	});
});

describe('the demo at a smaller scale', () => {
	let store: TempStore;

	beforeAll(async () => {
		store = await tempStore('kpi-demo-small-');
	});
	afterAll(() => store.dispose());

	it('builds a twentieth of the dossiers, the same twice', async () => {
		const first = await buildDemo(store, quietOutput(), { scale: 0.05 });
		const before = await countsPerUnitAndMonth(store);
		const second = await buildDemo(store, quietOutput(), { scale: 0.05 });
		expect(second.dossiers).toBe(first.dossiers);
		expect(await countsPerUnitAndMonth(store)).toEqual(before);
		expect(first.dossiers).toBeGreaterThan(70_000);
		expect(first.dossiers).toBeLessThan(80_000);
	}, 60_000);

	it('refuses a scale that is not a positive number', async () => {
		await expect(buildDemo(store, quietOutput(), { scale: 0 })).rejects.toThrow(RangeError);
	});
});
