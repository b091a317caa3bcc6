/**
 * Published monthly reports stay true (issue 13), against the real built server on a province
 * whose counts are built in (src/lib/server/testing/publish-province.ts): the reform team
 * publishes October through the page's form; the three files download byte for byte; an import
 * through the CLI (the running server's control socket) that changes October's dossiers makes
 * the report page say "Số liệu đã thay đổi sau khi ban hành" with exactly the three KPIs that
 * changed, published and new counts side by side, while the files stay byte-identical; the same
 * file imported again flags nothing in an edition published after it. A leader and a district
 * head read reports in their scope and publish none; the district head gets 404 for the
 * province's page and files. Twenty publishes at once all succeed, each stored once. Hostile ids,
 * months and numbers are refused. The pages at 390 and 1440 px: no sideways scroll, no serious
 * accessibility violation, drawn to tests/artifacts/publish-*.png.
 */
import { createHash } from 'node:crypto';
import AxeBuilder from '@axe-core/playwright';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it, onTestFailed } from 'vitest';
import { PROJECT_ROOT } from '../src/cli/build-check';
import { addUser } from '../src/lib/server/auth/users';
import { openStore } from '../src/lib/server/store';
import {
	CHANGED_DOSSIERS_CSV,
	importPublishProvince,
	PROVINCE_BEFORE_AND_AFTER
} from '../src/lib/server/testing/publish-province';
import { launchChromium } from './helpers/browser';
import { runCli } from './helpers/cli';
import { TEST_PASSWORD, signIn } from './helpers/demo-db';
import { ensureBuilt, startServer, type RunningServer } from './helpers/server';

const ARTIFACTS = path.join(PROJECT_ROOT, 'tests', 'artifacts');
const CHANGED_NOTICE = 'Số liệu đã thay đổi sau khi ban hành';
const UNCHANGED_NOTICE = 'Số liệu của tháng không thay đổi kể từ khi ban hành.';
const FORMATS = ['xlsx', 'pdf', 'csv'] as const;

let dir: string;
let dbPath: string;
let changedFile: string;
let server: RunningServer;
const cookies: Record<'reform' | 'leader' | 'head', string> = { reform: '', leader: '', head: '' };

beforeAll(async () => {
	await ensureBuilt();
	dir = mkdtempSync(path.join(os.tmpdir(), 'kpi-publish-http-'));
	dbPath = path.join(dir, 'kpi.duckdb');
	const store = await openStore(dbPath);
	const file = (name: string, content: string) => {
		const written = path.join(dir, name);
		writeFileSync(written, content);
		return written;
	};
	try {
		await importPublishProvince({ db: store.db, file });
		for (const [username, role, unitCode] of [
			['noivu', 'reform_team', '42'],
			['lanhdao', 'leader', '42'],
			['canloc', 'unit_head', '443']
		]) {
			await addUser(store.db, { username, role, unitCode, password: TEST_PASSWORD });
		}
	} finally {
		await store.close();
	}
	changedFile = file('changed.csv', CHANGED_DOSSIERS_CSV);
	server = await startServer(dbPath);
	cookies.reform = await signIn(server.origin, 'noivu');
	cookies.leader = await signIn(server.origin, 'lanhdao');
	cookies.head = await signIn(server.origin, 'canloc');
}, 300_000);

afterAll(async () => {
	await server?.stop();
	if (dir) rmSync(dir, { recursive: true, force: true });
});

// A failure shows what the server printed (an error it logged), not only the status it gave.
beforeEach(() => onTestFailed(() => console.error(server?.output().slice(-4000))));

const get = (url: string, cookie: string) =>
	fetch(`${server.origin}${url}`, { headers: { cookie }, redirect: 'manual' });

function publish(cookie: string, unit: string, fields: Record<string, string>) {
	return fetch(`${server.origin}/u/${unit}/reports?/publish`, {
		method: 'POST',
		redirect: 'manual',
		headers: {
			cookie,
			// As a browser posts the form without JavaScript: a redirect, not enhance's JSON.
			accept: 'text/html',
			origin: server.origin,
			'content-type': 'application/x-www-form-urlencoded'
		},
		body: new URLSearchParams(fields)
	});
}

/** Publishes and returns the new report's id, read from the redirect to its page. */
async function published(unit: string, month: string, number = ''): Promise<number> {
	const response = await publish(cookies.reform, unit, { month, number, confirm: 'yes' });
	const said = `${(await response.clone().text()).slice(0, 1000)}\nthe server said:\n${server.output().slice(-3000)}`;
	expect(response.status, said).toBe(303);
	const location = response.headers.get('location')!;
	const match = new RegExp(`^/u/${unit}/reports/(\\d+)$`).exec(location);
	expect(match, location).not.toBeNull();
	return Number(match![1]);
}

const sha256 = (bytes: ArrayBuffer) =>
	createHash('sha256').update(Buffer.from(bytes)).digest('hex');

async function downloads(unit: string, id: number, cookie = cookies.reform) {
	const hashes: Record<string, string> = {};
	for (const format of FORMATS) {
		const response = await get(`/u/${unit}/reports/${id}/${format}`, cookie);
		expect(response.status).toBe(200);
		const body = await response.arrayBuffer();
		hashes[format] = sha256(body);
		expect(response.headers.get('repr-digest')).toBe(
			`sha-256=:${Buffer.from(hashes[format], 'hex').toString('base64')}:`
		);
		hashes[`${format}-name`] = response.headers.get('content-disposition')!;
	}
	return hashes;
}

/** The changed-figures section of a report page, or null when it has none. */
function changedSection(html: string): string | null {
	const start = html.indexOf('data-changed=');
	return start < 0 ? null : html.slice(start, html.indexOf('</section>', start));
}

/** The table row of a KPI in a piece of a page. */
function kpiRow(html: string, kpi: string): string {
	const start = html.indexOf(`data-kpi="${kpi}"`);
	expect(start, kpi).toBeGreaterThan(0);
	return html.slice(start, html.indexOf('</tr>', start));
}

/**
 * Whether a page links to one of our paths (letters, digits and slashes), which SvelteKit writes
 * relative to the page (`../../u/42/reports/7`).
 */
const linksTo = (html: string, target: string) =>
	new RegExp(`href="(\\.\\./)*${target.slice(1)}"`).test(html);

let october: number;
let octoberFiles: Record<string, string>;

describe('a published report', () => {
	it('is published from the reports page by the reform team, and its page says nothing has changed', async () => {
		october = await published('42', '2026-10', '15/BC-SNV');
		const page = await get(`/u/42/reports/${october}`, cookies.reform);
		expect(page.status).toBe(200);
		const html = await page.text();
		expect(html).toContain('Báo cáo tháng 10/2026 · Tỉnh Hà Tĩnh');
		expect(html).toContain('Số: 15/BC-SNV');
		expect(html).toContain(UNCHANGED_NOTICE);
		expect(html).not.toContain(CHANGED_NOTICE);
		expect(kpiRow(html, 'online_submission_rate')).toContain('15/30');
		octoberFiles = await downloads('42', october);
		expect(octoberFiles['pdf-name']).toBe('attachment; filename="bao-cao-42-2026-10.pdf"');
		expect(octoberFiles['xlsx-name']).toBe('attachment; filename="bao-cao-42-2026-10.xlsx"');
		expect(octoberFiles['csv-name']).toBe('attachment; filename="bao-cao-42-2026-10.zip"');
	}, 120_000);

	it('says the figures changed after an import changed October, with the three KPIs that did, and keeps its files byte for byte', async () => {
		const imported = await runCli(dbPath, 'import', 'dossiers', changedFile);
		expect(imported.code).toBe(0);
		const html = await (await get(`/u/42/reports/${october}`, cookies.reform)).text();
		expect(html).toContain(CHANGED_NOTICE);
		expect(html).not.toContain(UNCHANGED_NOTICE);
		const changed = changedSection(html)!;
		expect(changed.match(/data-kpi="/g)).toHaveLength(3);
		for (const [kpi, { published, now }] of Object.entries(PROVINCE_BEFORE_AND_AFTER)) {
			const row = kpiRow(changed, kpi);
			const [before, after] = row.split('class="figure now');
			expect(before).toContain(`${published.numerator}/${published.denominator}`);
			expect(after).toContain(`${now.numerator}/${now.denominator}`);
		}
		const online = kpiRow(changed, 'online_submission_rate');
		expect(online).toContain('50,0%');
		expect(online).toContain('56,7%');
		expect(online).toContain('Chỉ tiêu 60,0%');
		for (const unchanged of [
			'dossier_digitization_rate',
			'result_digitization_rate',
			'online_service_coverage'
		]) {
			expect(changed).not.toContain(`data-kpi="${unchanged}"`);
		}
		// The KPIs as published stay as published.
		const tables = html.slice(html.indexOf('kpis-heading'));
		expect(kpiRow(tables, 'on_time_rate')).toContain('30/30');
		expect(await downloads('42', october)).toEqual(octoberFiles);
	}, 120_000);

	it('flags nothing in an edition published after that import when the same file is imported again', async () => {
		const second = await published('42', '2026-10');
		const reimported = await runCli(dbPath, 'import', 'dossiers', changedFile);
		expect(reimported.code).toBe(0);
		const html = await (await get(`/u/42/reports/${second}`, cookies.reform)).text();
		expect(html).toContain('Lần ban hành thứ 2');
		expect(html).toContain(UNCHANGED_NOTICE);
		expect(html).not.toContain(CHANGED_NOTICE);
		const old = await (await get(`/u/42/reports/${october}`, cookies.reform)).text();
		expect(old).toContain(CHANGED_NOTICE);
		expect(old).toContain('Đây là một lần ban hành cũ của báo cáo này.');
		expect(linksTo(old, `/u/42/reports/${second}`)).toBe(true);
	}, 120_000);
});

describe('who sees and publishes', () => {
	let district: number;

	it('lets a leader read the province’s reports and publish none', async () => {
		district = await published('443', '2026-10');
		const list = await (await get('/u/42/reports', cookies.leader)).text();
		expect(linksTo(list, `/u/42/reports/${october}`)).toBe(true);
		expect(linksTo(list, `/u/443/reports/${district}`)).toBe(true);
		expect(list).not.toContain('name="confirm"');
		expect((await get(`/u/42/reports/${october}`, cookies.leader)).status).toBe(200);
		expect((await get(`/u/42/reports/${october}/pdf`, cookies.leader)).status).toBe(200);
		const refused = await publish(cookies.leader, '42', { month: '2026-10', confirm: 'yes' });
		expect(refused.status).toBe(404);
	});

	it('shows a district head his district’s reports only: the province’s page, files and list are 404, without a figure', async () => {
		const list = await get('/u/443/reports', cookies.head);
		expect(list.status).toBe(200);
		const html = await list.text();
		expect(linksTo(html, `/u/443/reports/${district}`)).toBe(true);
		expect(html).not.toContain(`/u/42/reports/${october}`);
		expect(html).not.toContain('Tỉnh Hà Tĩnh</a>');
		expect((await get(`/u/443/reports/${district}`, cookies.head)).status).toBe(200);
		for (const url of [
			'/u/42/reports',
			`/u/42/reports/${october}`,
			`/u/42/reports/${october}/pdf`,
			`/u/42/reports/${october}/csv`,
			`/u/443/reports/${october}`,
			`/u/443/reports/${october}/xlsx`
		]) {
			const response = await get(url, cookies.head);
			expect(response.status, url).toBe(404);
			const body = await response.text();
			expect(body, url).not.toContain('15/30');
			expect(body, url).not.toContain('bao-cao-42');
		}
		const refused = await publish(cookies.head, '443', { month: '2026-10', confirm: 'yes' });
		expect(refused.status).toBe(404);
	});
});

describe('hostile requests', () => {
	it('answers 404 for a report id that is no id, or names no report, and for an unknown format', async () => {
		for (const id of ['abc', '-1', '0', '1e3', '99999999999999999999', '2147483648', '999999']) {
			expect((await get(`/u/42/reports/${id}`, cookies.reform)).status, id).toBe(404);
			expect((await get(`/u/42/reports/${id}/pdf`, cookies.reform)).status, id).toBe(404);
		}
		expect((await get(`/u/42/reports/${october}/docx`, cookies.reform)).status).toBe(404);
		expect((await get(`/u/42/reports/${october}/..%2Fpdf`, cookies.reform)).status).toBe(404);
	});

	it('answers 400 for a list filter or page it cannot read', async () => {
		for (const query of ['for=9999-12', 'for=2026-13', 'for=10%2F2026', 'page=abc', 'page=-1']) {
			expect((await get(`/u/42/reports?${query}`, cookies.reform)).status, query).toBe(400);
		}
		expect((await get('/u/42/reports?for=2026-10', cookies.reform)).status).toBe(200);
	});

	it('refuses a month outside 2000-01 to 2100-12, a number too long or with control characters, and no confirmation, storing nothing', async () => {
		const before = await (await get('/u/42/reports', cookies.reform)).text();
		const count = (html: string) => html.match(/data-report=/g)?.length ?? 0;
		const refused: Record<string, string>[] = [
			{ month: '9999-12', confirm: 'yes' },
			{ month: '1999-12', confirm: 'yes' },
			{ month: '2026-13', confirm: 'yes' },
			{ month: '', confirm: 'yes' },
			{ month: '2026-10', number: '15/BC\u0000SNV', confirm: 'yes' },
			{ month: '2026-10', number: '15/BC\u001b[31m', confirm: 'yes' },
			{ month: '2026-10', number: 'x'.repeat(1000), confirm: 'yes' },
			{ month: '2026-10' }
		];
		for (const fields of refused) {
			const response = await publish(cookies.reform, '42', fields);
			expect(response.status, JSON.stringify(fields).slice(0, 60)).toBe(400);
		}
		const unconfirmed = await publish(cookies.reform, '42', { month: '2026-10' });
		expect(await unconfirmed.text()).toContain('Hãy đánh dấu ô xác nhận trước khi ban hành.');
		const future = await publish(cookies.reform, '42', { month: '9999-12', confirm: 'yes' });
		expect(await future.text()).toContain('Tháng không hợp lệ');
		const after = await (await get('/u/42/reports', cookies.reform)).text();
		expect(count(after)).toBe(count(before));
	});
});

describe('twenty publishes at once', () => {
	it('all succeed, each stored once', async () => {
		const units = ['42', '443', '442', '18100', '18101'];
		const months = ['2026-06', '2026-07', '2026-08', '2026-09'];
		const asked = units.flatMap((unit) => months.map((month) => ({ unit, month })));
		const responses = await Promise.all(
			asked.map(({ unit, month }) =>
				publish(cookies.reform, unit, { month, confirm: 'yes' }).then(async (r) => ({
					status: r.status,
					body: r.status === 303 ? '' : await r.text()
				}))
			)
		);
		// The server's last words in the message: a failure shows in the run's summary with its cause.
		expect(
			responses.filter((r) => r.status !== 303).map((r) => r.status),
			server.output().slice(-3000)
		).toEqual([]);
		for (const month of months) {
			const html = await (await get(`/u/42/reports?for=${month}`, cookies.reform)).text();
			expect(html.match(/data-report=/g), month).toHaveLength(units.length);
		}
	}, 300_000);
});

describe('on a phone and a desktop', () => {
	it('shows the list and a changed report without sideways scroll or a serious accessibility violation (axe) at 390 and 1440 px', async () => {
		mkdirSync(ARTIFACTS, { recursive: true });
		const browser = await launchChromium();
		try {
			for (const width of [390, 1440]) {
				const context = await browser.newContext({ viewport: { width, height: 900 } });
				await context.addCookies([
					{ name: 'session', value: cookies.reform.split('=')[1], url: server.origin }
				]);
				const page = await context.newPage();
				for (const [name, url] of [
					['list', '/u/42/reports'],
					['changed', `/u/42/reports/${october}`]
				]) {
					const response = await page.goto(`${server.origin}${url}`);
					expect(response?.status(), server.output().slice(-3000)).toBe(200);
					await page.waitForLoadState('networkidle');
					const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
					expect(scrollWidth, `${url} at ${width} px`).toBeLessThanOrEqual(width);
					const axe = await new AxeBuilder({ page }).analyze();
					const serious = axe.violations
						.filter((v) => v.impact === 'serious' || v.impact === 'critical')
						.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
					expect(serious, `${url} at ${width} px: axe`).toEqual([]);
					await page.screenshot({
						path: path.join(ARTIFACTS, `publish-${name}-${width}.png`),
						fullPage: true
					});
				}
				await context.close();
			}
		} finally {
			await browser.close();
		}
	}, 120_000);
});

describe('what is stored', () => {
	it('holds each edition once, its files hashing to their stored SHA-256, with an audit entry per publish and download', async () => {
		await server.stop();
		const store = await openStore(dbPath);
		try {
			const { rows } = await sql<{ unit_code: string; month: string; editions: number }>`
				SELECT unit_code, month, count(*) AS editions FROM published_reports
				GROUP BY unit_code, month ORDER BY month, unit_code`.execute(store.db);
			expect(rows.filter((r) => r.month !== '2026-10').every((r) => r.editions === 1)).toBe(true);
			expect(rows.filter((r) => r.month !== '2026-10')).toHaveLength(20);
			expect(rows.filter((r) => r.month === '2026-10')).toEqual([
				{ unit_code: '42', month: '2026-10', editions: 2 },
				{ unit_code: '443', month: '2026-10', editions: 1 }
			]);
			const { rows: hashes } = await sql<{ ok: boolean }>`SELECT
				sha256(xlsx) = xlsx_sha256 AND sha256(pdf) = pdf_sha256 AND sha256(csv) = csv_sha256 AS ok
				FROM published_reports`.execute(store.db);
			expect(hashes.every((h) => h.ok)).toBe(true);
			const { rows: first } = await sql<{
				xlsx_sha256: string;
				pdf_sha256: string;
				csv_sha256: string;
			}>`
				SELECT xlsx_sha256, pdf_sha256, csv_sha256 FROM published_reports WHERE id = ${october}`.execute(
				store.db
			);
			expect(first[0]).toEqual({
				xlsx_sha256: octoberFiles.xlsx,
				pdf_sha256: octoberFiles.pdf,
				csv_sha256: octoberFiles.csv
			});
			const { rows: audits } = await sql<{ action: string; n: number }>`SELECT action,
				count(*) AS n FROM audit_log WHERE action LIKE 'report_%' GROUP BY action ORDER BY action`.execute(
				store.db
			);
			// 2 + 1 + 20 publishes; downloads: 3 × 2 by the reform team, 1 by the leader.
			expect(audits).toEqual([
				{ action: 'report_download', n: 7 },
				{ action: 'report_publish', n: 23 }
			]);
		} finally {
			await store.close();
		}
	});
});
