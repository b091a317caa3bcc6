/**
 * The service index scorecard (`/u/<code>/index`, issue 16) against the built server on the demo:
 * the score it shows is the engine's to the last digit (as `serviceIndex`, which the CLI prints,
 * gives it on the same database), the scope holds, only an admin or a province's reform team
 * edits the definitions, an edit shows at once and a hostile one is refused in Vietnamese beside
 * its field, a hostile query is a 400, and the page has no serious accessibility violation.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kpiReport, type KpiValues } from '../src/lib/server/kpi/report';
import { serviceIndex, type ServiceIndexReport } from '../src/lib/server/kpi/service-index';
import { openStore } from '../src/lib/server/store';
import { launchChromium } from './helpers/browser';
import { canLocUser, createTestDemo, NGHI_XUAN_HEAD, signIn } from './helpers/demo-db';
import { postForm } from './helpers/forms';
import { ensureBuilt, startServer, type RunningServer } from './helpers/server';

const PERIOD = { from: '2024-10-01', to: '2024-12-31' };
const QUERY = `from=${PERIOD.from}&to=${PERIOD.to}`;

let dir: string;
let server: RunningServer;
const expected: Record<string, ServiceIndexReport> = {};
let provinceKpis: KpiValues;
const cookies: Record<
	'admin' | 'noivu' | 'lanhdao' | 'districtTeam' | 'head' | 'nghiXuan',
	string
> = { admin: '', noivu: '', lanhdao: '', districtTeam: '', head: '', nghiXuan: '' };

async function get(url: string, cookie: string) {
	const response = await fetch(`${server.origin}${url}`, {
		redirect: 'manual',
		headers: { cookie },
		signal: AbortSignal.timeout(30_000)
	});
	return { status: response.status, body: await response.text() };
}

/** The total the page shows, exactly as rendered in its `data-score`. */
const shownScore = (body: string) => /data-score="([^"]+)"/.exec(body)?.[1];
const shownMeasured = (body: string) => /data-measured="([^"]+)"/.exec(body)?.[1];

/** The form fields of indicator 1.4's definition as shipped, with `changes`. */
function edit14(changes: Record<string, string> = {}): Record<string, string> {
	return {
		id: '1.4',
		name: 'Tỷ lệ hồ sơ đồng bộ lên Cổng Dịch vụ công quốc gia',
		group: 'transparency',
		points: '6',
		ratio: 'portal_sync_rate',
		rule: 'linear',
		threshold: '',
		source: 'Nguồn thử nghiệm',
		assumption: 'Giả định thử nghiệm',
		...changes
	};
}

beforeAll(async () => {
	await ensureBuilt();
	dir = mkdtempSync(path.join(os.tmpdir(), 'kpi-index-page-'));
	const dbPath = await createTestDemo(dir);
	// The engine's answer on the same file, before the server holds it (DuckDB has one writer).
	const store = await openStore(dbPath);
	try {
		for (const code of ['42', '443']) expected[code] = await serviceIndex(store.db, code, PERIOD);
		provinceKpis = (await kpiReport(store.db, '42', PERIOD)).kpis;
	} finally {
		await store.close();
	}
	server = await startServer(dbPath);
	cookies.admin = await signIn(server.origin, canLocUser('admin'));
	cookies.noivu = await signIn(server.origin, 'noivu', 'demo-noivu-2026');
	cookies.lanhdao = await signIn(server.origin, 'lanhdao', 'demo-lanhdao-2026');
	cookies.districtTeam = await signIn(server.origin, canLocUser('reform_team'));
	cookies.head = await signIn(server.origin, canLocUser('unit_head'));
	cookies.nghiXuan = await signIn(server.origin, NGHI_XUAN_HEAD);
}, 300_000);

afterAll(async () => {
	await server?.stop();
	if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the scorecard page', () => {
	it("shows the province's score exactly as the engine computes it, against its measured points", async () => {
		const { status, body } = await get(`/u/42/index?${QUERY}`, cookies.lanhdao);
		expect(status).toBe(200);
		expect(shownScore(body)).toBe(String(expected['42'].score));
		expect(shownMeasured(body)).toBe(String(expected['42'].measured_points));
		expect(body).toContain('điểm đo được (trên 100)');
		// Each indicator's points as the engine gives them, and the children ranked by level.
		for (const [id, s] of Object.entries(expected['42'].indicators)) {
			expect(body).toContain(`data-indicator="${id}" data-points="${s.points ?? ''}"`);
		}
		for (const child of expected['42'].children) {
			expect(body).toContain(`data-unit="${child.unit.code}" data-rank="${child.rank ?? ''}"`);
		}
		expect(body).toContain('Chưa đo được ở đây');
		expect(body).toContain('Chỉ số phục vụ');
	});

	it("shows a district's score to its own head, exactly as the engine computes it", async () => {
		const { status, body } = await get(`/u/443/index?${QUERY}`, cookies.head);
		expect(status).toBe(200);
		expect(shownScore(body)).toBe(String(expected['443'].score));
		expect(shownMeasured(body)).toBe(String(expected['443'].measured_points));
	});

	it("links the comparison page to the index's ranking of the same children, for the same period", async () => {
		const { status, body } = await get(`/u/42/compare?${QUERY}`, cookies.lanhdao);
		expect(status).toBe(200);
		expect(body).toContain(`/u/42/index?from=${PERIOD.from}&amp;to=${PERIOD.to}#index-ranking`);
		expect(body).toContain('Xếp hạng theo Chỉ số phục vụ');
	});

	it("shows each child's index and its rank within its level as the comparison's last column, as the engine ranks them", async () => {
		const { status, body } = await get(`/u/42/compare?${QUERY}`, cookies.lanhdao);
		expect(status).toBe(200);
		const cells = [...body.matchAll(/data-index-score="([^"]*)" data-index-rank="([^"]*)"/g)];
		const ranked = expected['42'].children.filter((c) => c.score !== null);
		expect(cells).toHaveLength(ranked.length);
		const shown = cells.map(([, score, rank]) => `${score}|${rank}`).sort();
		expect(shown).toEqual(ranked.map((c) => `${c.score}|${c.rank ?? ''}`).sort());
		// Ranked within levels: a department and a district can both be first.
		const firsts = ranked.filter((c) => c.rank === 1).map((c) => c.unit.level);
		expect(new Set(firsts)).toEqual(new Set(['department', 'district']));
		expect(body).toContain('Chỉ số phục vụ (766)');
	});

	it('links an indicator scored from a dossier KPI to the dossiers short of it, as many as the engine counts', async () => {
		const { body } = await get(`/u/42/index?${QUERY}`, cookies.lanhdao);
		const lost = Object.entries(expected['42'].indicators).filter(
			([id, i]) => id === '1.4' && i.points !== null && i.points < i.max_points
		);
		expect(lost).toHaveLength(1);
		const href = `/u/42/dossiers?from=${PERIOD.from}&amp;to=${PERIOD.to}&amp;kpi=portal_sync_rate`;
		expect(body).toContain(href);
		const page = await get(href.replaceAll('&amp;', '&'), cookies.lanhdao);
		expect(page.status).toBe(200);
		const figure = provinceKpis.portal_sync_rate;
		expect(/data-count="(\d+)" data-denominator="(\d+)"/.exec(page.body)?.slice(1)).toEqual([
			String(figure.denominator - figure.numerator),
			String(figure.denominator)
		]);
		expect(page.body).toContain('Hồ sơ chưa đạt chỉ số');
		// A district head sees the list of the district only; the province's is out of scope.
		expect((await get(`/u/42/dossiers?${QUERY}`, cookies.head)).status).toBe(404);
	});

	it("marks the current tab in the server's HTML, the scorecard's on the dossiers short of a KPI", async () => {
		const current = async (path: string) => {
			const { body } = await get(`/u/42${path}?${QUERY}`, cookies.noivu);
			const tabs = /<nav[^>]*class="tabs[^"]*"[^>]*>([\s\S]*?)<\/nav>/.exec(body)?.[1] ?? '';
			return [...tabs.matchAll(/<a [^>]*aria-current="page"[^>]*>([^<]*)<\/a>/g)].map((a) => a[1]);
		};
		expect(await current('')).toEqual(['Tổng quan']);
		expect(await current('/compare')).toEqual(['So sánh đơn vị']);
		expect(await current('/index')).toEqual(['Chỉ số phục vụ']);
		expect(await current('/dossiers')).toEqual(['Chỉ số phục vụ']);
		expect(await current('/data/upload')).toEqual(['Dữ liệu']);
	});

	it('answers 404 for a unit outside the scope, as every unit page does', async () => {
		expect((await get(`/u/443/index?${QUERY}`, cookies.nghiXuan)).status).toBe(404);
		expect((await get(`/u/42/index?${QUERY}`, cookies.head)).status).toBe(404);
	});

	it.each([
		['from=2024-13-01&to=2024-12-31'],
		["from=2024-10-01'--&to=2024-12-31"],
		['from=2024-12-31&to=2024-10-01'],
		['vs=zzz'],
		['campaign=abc'],
		[`from=${'9'.repeat(500)}&to=2024-12-31`]
	])('answers a hostile query (%s) 400, not 500', async (query) => {
		const { status, body } = await get(`/u/42/index?${query}`, cookies.admin);
		expect(status).toBe(400);
		expect(body).toContain('Kỳ báo cáo');
	});
});

describe('the definitions editor', () => {
	it('shows the definitions read-only to a leader, who cannot post an edit (403)', async () => {
		const { body } = await get(`/u/42/index?${QUERY}`, cookies.lanhdao);
		expect(body).toContain('Định nghĩa các chỉ tiêu');
		expect(body).not.toContain('/save');
		const response = await postForm(
			server.origin,
			`/u/42/index?${QUERY}&/save`,
			cookies.lanhdao,
			edit14({ points: '0' })
		);
		expect(response.status).toBe(403);
	});

	it("refuses a district reform team's edit (403): the definitions are the province's", async () => {
		const response = await postForm(
			server.origin,
			`/u/443/index?${QUERY}&/save`,
			cookies.districtTeam,
			edit14({ points: '0' })
		);
		expect(response.status).toBe(403);
	});

	it.each([
		[{ points: '150' }, 'Số điểm phải từ 0 đến 100.'],
		[{ points: '1e9' }, 'Số điểm phải là một số'],
		[{ rule: 'threshold', threshold: '0' }, 'Ngưỡng phải lớn hơn 0% và không quá 100%.'],
		[{ threshold: '80' }, 'Cách tính tuyến tính không có ngưỡng'],
		[
			{ ratio: "portal_sync_rate'; DROP TABLE dossiers; --" },
			'Hãy chọn một giá trị trong danh sách.'
		],
		[{ name: 'Tên\u0007ẩn' }, 'Có ký tự điều khiển hoặc ký tự ẩn'],
		[{ source: 'x'.repeat(2001) }, 'Quá dài (tối đa 2.000 ký tự).'],
		[{ id: '9.9' }, 'Không có chỉ tiêu này.']
	])('refuses a hostile edit %o in Vietnamese, beside its field', async (changes, words) => {
		const response = await postForm(
			server.origin,
			`/u/42/index?${QUERY}&/save`,
			cookies.noivu,
			edit14(changes)
		);
		expect(response.status).toBe(400);
		const body = await response.text();
		expect(body).toContain(words);
		// Nothing changed: the score is still the engine's.
		expect(shownScore(body)).toBe(String(expected['42'].score));
		// The page after the post posts again to its own view, naming the action once.
		const actions = [...body.matchAll(/<form method="POST" action="([^"]*save[^"]*)"/g)];
		expect(actions.length).toBeGreaterThan(0);
		for (const [, action] of actions) {
			expect(action.replaceAll('&amp;', '&')).toBe(`?${QUERY}&/save`);
		}
	});

	it("a province reform team's edit changes the score the page shows at once", async () => {
		const before = expected['42'];
		const s14 = before.indicators['1.4'];
		// 1.4 scored at full points from a 50% threshold (its ratio is above it on the demo).
		expect(s14.value!).toBeGreaterThan(0.5);
		const response = await postForm(
			server.origin,
			`/u/42/index?${QUERY}&/save`,
			cookies.noivu,
			edit14({ rule: 'threshold', threshold: '50' })
		);
		expect(response.status).toBe(200);
		const body = await response.text();
		expect(body).toContain('Đã lưu chỉ tiêu 1.4');
		const after = Number(shownScore(body));
		expect(after).toBeCloseTo(before.score! - s14.points! + 6, 9);
		expect(body).toContain('data-indicator="1.4" data-points="6"');
		// And on the next visit, for someone else.
		const again = await get(`/u/42/index?${QUERY}`, cookies.lanhdao);
		expect(Number(shownScore(again.body))).toBe(after);
		// Put back as shipped, for the tests after.
		await postForm(server.origin, `/u/42/index?${QUERY}&/save`, cookies.noivu, edit14());
	});
});

describe('accessibility', () => {
	it('has no serious accessibility violation (axe), for an editor with the forms open', async () => {
		const browser = await launchChromium();
		try {
			const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
			const [name, value] = cookies.noivu.split('=');
			await context.addCookies([{ name, value, url: server.origin }]);
			const page = await context.newPage();
			await page.goto(`${server.origin}/u/42/index?${QUERY}`, { waitUntil: 'networkidle' });
			await page.evaluate(() =>
				document.querySelectorAll('details').forEach((d) => (d.open = true))
			);
			const axe = await new AxeBuilder({ page }).disableRules(['color-contrast']).analyze();
			const serious = axe.violations
				.filter((v) => v.impact === 'serious' || v.impact === 'critical')
				.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
			expect(serious).toEqual([]);
			// With JavaScript: a refused edit is said beside its field, the form keeps what was typed.
			const points = page.locator('#def-1-4-points');
			await points.fill('150');
			await page.getByRole('button', { name: 'Lưu chỉ tiêu 1.4' }).click();
			await page.locator('#def-1-4-points-problem').waitFor();
			expect(await page.locator('#def-1-4-points-problem').textContent()).toBe(
				'Số điểm phải từ 0 đến 100.'
			);
			expect(await points.inputValue()).toBe('150');
		} finally {
			await browser.close();
		}
	}, 120_000);
});
