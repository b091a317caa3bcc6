/**
 * The exports of the dashboard tables (issue 12) against the real built server on the demo
 * database: the file a reform team downloads holds the page module's figures for the same unit and
 * period, read back with exceljs and as CSV; its headers name a safe file; and the rules of every
 * page hold for a download too — signed out is sent to sign in, a unit outside the scope is 404
 * with none of its figures, a bad period or format is 400 — and each export is in the audit log.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { urlState, viewState } from '../src/lib/server/testing/fixtures';
import { parseCsv } from '../src/lib/server/testing/csv';
import { COMPARE, LATE } from '../src/lib/domain/url-params';
import { OPERATOR } from '../src/lib/server/auth/scope';
import { compareChildren, type ChildrenComparison } from '../src/lib/server/dashboard/compare';
import { unitContext } from '../src/lib/server/dashboard/context';
import { lateView } from '../src/lib/server/dashboard/late';
import { openStore } from '../src/lib/server/store';
import { canLocUser, createTestDemo, signIn } from './helpers/demo-db';
import { ensureBuilt, startServer, type RunningServer } from './helpers/server';

const JUNE_2025 = 'from=2025-06-01&to=2025-06-30';
/** A year, for a late list longer than one page of 50 at the test demo's scale. */
const YEAR_2025 = 'from=2025-01-01&to=2025-12-31';

let dir: string;
let dbPath: string;
let server: RunningServer;
let reformTeam: string;
let districtHead: string;
let expected: { compare: ChildrenComparison; lateOpen: number; lateFirst: string[] };

beforeAll(async () => {
	await ensureBuilt();
	dir = mkdtempSync(path.join(os.tmpdir(), 'kpi-exports-'));
	dbPath = await createTestDemo(dir);
	// The page modules' answers, asked before the server holds the file.
	const store = await openStore(dbPath);
	try {
		const context = await unitContext(store.db, OPERATOR, '42', viewState(JUNE_2025));
		const compare = await compareChildren(store.db, context, urlState(COMPARE, {}));
		const year = await unitContext(store.db, OPERATOR, '42', viewState(YEAR_2025));
		const late = await lateView(
			store.db,
			year.unit,
			year.period,
			year.lastDataDay,
			urlState(LATE, { received: 'any' })
		);
		expected = {
			compare,
			lateOpen: late.counts.open,
			lateFirst: late.rows.slice(0, 3).map((r) => r.dossier_code)
		};
	} finally {
		await store.close();
	}
	server = await startServer(dbPath);
	reformTeam = await signIn(server.origin, 'noivu', 'demo-noivu-2026');
	districtHead = await signIn(server.origin, canLocUser('unit_head'));
}, 300_000);

afterAll(async () => {
	await server?.stop();
	if (dir) rmSync(dir, { recursive: true, force: true });
});

const get = (url: string, cookie: string | null) =>
	fetch(`${server.origin}${url}`, {
		redirect: 'manual',
		headers: cookie ? { cookie } : {}
	});

describe('a downloaded export', () => {
	it('is an XLSX of every child of the province with the page module’s figures, as numbers', async () => {
		const admin = await signIn(server.origin, canLocUser('admin'));
		const response = await get(`/u/42/compare/export?format=xlsx&${JUNE_2025}`, admin);
		expect(response.status).toBe(200);
		expect(response.headers.get('content-type')).toBe(
			'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
		);
		expect(response.headers.get('content-disposition')).toBe(
			'attachment; filename="so-sanh-42-2025-06.xlsx"'
		);
		const workbook = new ExcelJS.Workbook();
		await workbook.xlsx.load(await response.arrayBuffer());
		const sheet = workbook.getWorksheet('So sánh đơn vị')!;
		expect(sheet).toBeDefined();
		// Below the title lines (unit and table, period, who exported when).
		const header = sheet.getRow(4).values as unknown[];
		expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 4 });
		const rate = header.indexOf('Tỷ lệ hồ sơ nộp trực tuyến: tỷ lệ');
		expect(rate).toBeGreaterThan(0);
		const children = expected.compare.children;
		expect(children.length).toBeGreaterThan(10);
		children.forEach((child, i) => {
			const row = sheet.getRow(5 + i);
			const kpi = child.kpis.online_submission_rate;
			expect(row.getCell(1).value).toBe(child.unit.name);
			expect(row.getCell(rate).value).toBe(kpi.value);
			expect(row.getCell(rate + 1).value).toBe(kpi.numerator);
			expect(row.getCell(rate + 2).value).toBe(kpi.denominator);
			if (kpi.value !== null) expect(row.getCell(rate).numFmt).toBe('0.0%');
		});
	});

	it('is a CSV with a byte-order mark of every late dossier, not only the first page', async () => {
		const response = await get(
			`/u/42/late/export?format=csv&received=any&${YEAR_2025}`,
			reformTeam
		);
		expect(response.status).toBe(200);
		expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
		expect(response.headers.get('content-disposition')).toBe(
			'attachment; filename="ho-so-qua-han-42-2025.csv"'
		);
		const bytes = new Uint8Array(await response.arrayBuffer());
		expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
		const records = parseCsv(new TextDecoder().decode(bytes.subarray(3)));
		expect(records[0][0]).toBe('Hồ sơ đang quá hạn · Tỉnh Hà Tĩnh (42)');
		const header = records.findIndex((r) => r[0] === 'Mã hồ sơ');
		const rows = records.slice(header + 1).filter((r) => r.length > 1);
		expect(expected.lateOpen).toBeGreaterThan(50);
		expect(rows).toHaveLength(expected.lateOpen);
		expect(rows.slice(0, 3).map((r) => r[0])).toEqual(expected.lateFirst);
	});

	it('answers each table of a unit in scope', async () => {
		for (const table of ['procedures', 'map', 'trends']) {
			const response = await get(`/u/443/${table}/export?format=xlsx&${JUNE_2025}`, districtHead);
			expect(response.status, table).toBe(200);
			expect(response.headers.get('content-disposition')).toMatch(
				/^attachment; filename="[a-z-]+-443-2025-06\.xlsx"$/
			);
		}
	});
});

describe('the rules of the pages', () => {
	it('gives a district head 404 for the province’s export, with none of its figures', async () => {
		const province = expected.compare.children.map((c) => c.unit.name);
		for (const format of ['xlsx', 'csv']) {
			const response = await get(
				`/u/42/compare/export?format=${format}&${JUNE_2025}`,
				districtHead
			);
			expect(response.status).toBe(404);
			expect(response.headers.get('content-disposition')).toBeNull();
			const body = await response.text();
			for (const name of province.filter((n) => n !== 'Huyện Can Lộc')) {
				expect(body).not.toContain(name);
			}
		}
	});

	it('sends a signed-out download to the sign-in page', async () => {
		const response = await get(`/u/42/compare/export?format=csv&${JUNE_2025}`, null);
		expect(response.status).toBe(303);
		expect(response.headers.get('location')).toMatch(/^\/login\?redirectTo=/);
	});

	it('refuses a bad period, a bad format and a page parameter the page refuses with 400', async () => {
		for (const query of [
			'format=csv&from=2025-06-31&to=2025-06-30',
			'format=csv&from=1999-01-01&to=2025-06-30',
			'format=pdf&from=2025-06-01&to=2025-06-30',
			'format=&from=2025-06-01&to=2025-06-30',
			'format=csv&from=2025-06-01&to=2025-06-30&sort=nope'
		]) {
			const response = await get(`/u/42/compare/export?${query}`, reformTeam);
			expect(response.status, query).toBe(400);
			expect(response.headers.get('content-disposition')).toBeNull();
		}
	});

	it('writes who exported which table of which unit and period, in which format, to the audit log', async () => {
		await server.stop();
		const store = await openStore(dbPath);
		try {
			const { rows } = await sql<{ username: string; detail: string }>`SELECT username, detail
				FROM audit_log WHERE action = 'export' ORDER BY id`.execute(store.db);
			expect(rows.map((r) => [r.username, JSON.parse(r.detail)])).toEqual([
				[
					canLocUser('admin'),
					expect.objectContaining({
						table: 'compare',
						unit: '42',
						from: '2025-06-01',
						to: '2025-06-30',
						format: 'xlsx'
					})
				],
				['noivu', expect.objectContaining({ table: 'late', unit: '42', format: 'csv' })],
				...['procedures', 'map', 'trends'].map((table) => [
					canLocUser('unit_head'),
					expect.objectContaining({ table, unit: '443', format: 'xlsx' })
				])
			]);
		} finally {
			await store.close();
		}
	});
});
