/**
 * The campaigns and targets editor (issue 14, item 5) against the real built server on the demo
 * database: the province's reform team creates a campaign of the first quarter of 2025 (no demo
 * campaign runs then, so every target of the period is this one's), sets targets in the grid and
 * sees the overview's target and status for the KPI change exactly, copies the campaign, clears a
 * cell (the target is gone), undoes that save (the target is back), and every save is in the
 * audit log and the import history as an editor import. Hostile names, dates, units, cells and
 * ids are refused with a Vietnamese message and a 4xx; a leader and a unit head are told there is
 * no such page; a district's reform team gets 404 for another district's campaigns and for the
 * province's campaign, which it may only read. Twenty saves at once all end, one after the other.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it, onTestFailed } from 'vitest';
import { cellField } from '../src/lib/domain/campaign-form';
import { formatPercent } from '../src/lib/domain/format';
import { openStore } from '../src/lib/server/store';
import { canLocUser, createTestDemo, signIn } from './helpers/demo-db';
import { gridFields, postForm } from './helpers/forms';
import { ensureBuilt, startServer, type RunningServer } from './helpers/server';

const FROM = '2025-01-01';
const TO = '2025-03-31';
const KPI = 'online_submission_rate';
const CELL = cellField(KPI, 'province');

let dir: string;
let dbPath: string;
let server: RunningServer;
let province: string;
let canLocTeam: string;
let leader: string;
let unitHead: string;

beforeAll(async () => {
	await ensureBuilt();
	dir = mkdtempSync(path.join(os.tmpdir(), 'kpi-campaigns-'));
	dbPath = await createTestDemo(dir);
	server = await startServer(dbPath);
	province = await signIn(server.origin, 'noivu', 'demo-noivu-2026');
	canLocTeam = await signIn(server.origin, canLocUser('reform_team'));
	leader = await signIn(server.origin, canLocUser('leader'));
	unitHead = await signIn(server.origin, canLocUser('unit_head'));
}, 300_000);

afterAll(async () => {
	await server?.stop();
	if (dir) rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => onTestFailed(() => console.error(server?.output().slice(-4000))));

const get = (url: string, cookie: string) =>
	fetch(`${server.origin}${url}`, { headers: { cookie }, redirect: 'manual' });

const post = (url: string, cookie: string, fields: Record<string, string>) =>
	postForm(server.origin, url, cookie, fields);

const CAMPAIGN = { name: 'Quý I/2025: nộp hồ sơ trực tuyến', starts_on: FROM, ends_on: TO };

async function create(fields: Record<string, string>, cookie = province, unit = '42') {
	const response = await post(`/u/${unit}/campaigns?/create`, cookie, fields);
	expect(response.status, await response.clone().text()).toBe(303);
	const match = /\/campaigns\/(\d+)$/.exec(response.headers.get('location') ?? '');
	expect(match).not.toBeNull();
	return Number(match![1]);
}

/** Saves the grid; the batch id the page names. */
async function save(id: number, cells: Record<string, string>, fields = CAMPAIGN) {
	const response = await post(`/u/42/campaigns/${id}?/save`, province, {
		...fields,
		...gridFields(cells)
	});
	const html = await response.text();
	expect(response.status, html.slice(0, 2000)).toBe(200);
	const match = /Đã lưu \(lần nhập số (\d+)\)/.exec(html);
	expect(match, 'the page says the save is done').not.toBeNull();
	return Number(match![1]);
}

/** The overview card of the KPI over the period: its target line as read, and its status class. */
async function overviewTarget(): Promise<{ text: string; status: string | null }> {
	const response = await get(`/u/42?from=${FROM}&to=${TO}`, province);
	expect(response.status).toBe(200);
	const html = await response.text();
	const card = new RegExp(
		`data-kpi="${KPI}"[\\s\\S]*?<p class="target[^"]*">([\\s\\S]*?)</p>`
	).exec(html);
	expect(card).not.toBeNull();
	const status = /class="status (met|close|below)[" ]/.exec(card![1]);
	const text = card![1]
		.replace(/<[^>]*>/g, ' ')
		.replace(/\s+/g, ' ')
		.trim();
	return { text, status: status?.[1] ?? null };
}

/** The KPI of the period from the API: counts and target. */
async function kpi(): Promise<{ numerator: number; denominator: number; target: number | null }> {
	const response = await get(`/api/v1/kpi?unit=42&from=${FROM}&to=${TO}`, province);
	expect(response.status).toBe(200);
	const body = (await response.json()) as { kpis: Record<string, never> };
	return body.kpis[KPI];
}

/** The status the engine gives (kpi/figures.ts): met, or within 5 points (close), on the printed tenth. */
function expectedStatus(n: number, d: number, targetPercent: number): string {
	const tenths = Math.round((n / d) * 1000);
	if (tenths >= targetPercent * 10) return 'met';
	return tenths >= targetPercent * 10 - 50 ? 'close' : 'below';
}

describe('the campaigns editor', () => {
	let id: number;
	let copyId: number;
	let clearing: number;

	it('lists the demo campaigns of the province with their unit, and creates a new one', async () => {
		const list = await get('/u/42/campaigns', province);
		expect(list.status).toBe(200);
		const html = await list.text();
		expect(html).toContain('Chiến dịch chuyển đổi số năm 2026');
		expect(html).toContain('Tỉnh Hà Tĩnh');
		id = await create({ ...CAMPAIGN, unit: '42', copy: '' });
		const editor = await get(`/u/42/campaigns/${id}`, province);
		expect(editor.status).toBe(200);
		const page = await editor.text();
		expect(page).toContain('Tỷ lệ hồ sơ nộp trực tuyến');
		expect(page).toMatch(/Cấp xã: \d+/);
		expect((await kpi()).target).toBeNull();
	});

	it('sets a target in the grid, and the overview shows it with its status', async () => {
		await save(id, { [CELL]: '70,5' });
		const { numerator, denominator, target } = await kpi();
		expect(denominator).toBeGreaterThan(0);
		expect(target).toBe(0.705);
		expect(await overviewTarget()).toEqual({
			text: expect.stringContaining('Chỉ tiêu 70,5%'),
			status: expectedStatus(numerator, denominator, 70.5)
		});
		// The other way round: a target the province cannot meet, a point above its value.
		const above = Math.min(100, Math.floor((numerator / denominator) * 100) + 1);
		await save(id, { [CELL]: String(above) });
		expect((await kpi()).target).toBe(above / 100);
		expect(await overviewTarget()).toEqual({
			text: expect.stringContaining(`Chỉ tiêu ${formatPercent(above / 100)}`),
			status: 'close'
		});
		await save(id, { [CELL]: '70.5' });
		expect((await overviewTarget()).status).toBe(expectedStatus(numerator, denominator, 70.5));
	});

	it('copies the campaign with its targets under a new name and dates', async () => {
		copyId = await create({
			name: 'Quý I/2027 (bản sao)',
			starts_on: '2027-01-01',
			ends_on: '2027-03-31',
			unit: '42',
			copy: String(id)
		});
		expect(copyId).not.toBe(id);
		const html = await (await get(`/u/42/campaigns/${copyId}`, province)).text();
		expect(html).toMatch(
			new RegExp(`name="${CELL}"[^>]*value="70,5"|value="70,5"[^>]*name="${CELL}"`)
		);
		expect(html).toContain('Quý I/2027 (bản sao)');
	});

	it('clears a cell: the target is gone; undoing that save puts it back', async () => {
		clearing = await save(id, {});
		expect((await kpi()).target).toBeNull();
		expect((await overviewTarget()).text).toContain('Không có chỉ tiêu');
		const undo = await post(`/u/42/campaigns/${id}?/undo`, province, { batch: String(clearing) });
		const html = await undo.text();
		expect(undo.status, html.slice(0, 1000)).toBe(200);
		expect(html).toContain(`Đã hoàn tác lần lưu (lần nhập số ${clearing})`);
		expect((await kpi()).target).toBe(0.705);
		expect((await overviewTarget()).text).toContain('Chỉ tiêu 70,5%');
	});

	it('renames and moves the dates of a campaign', async () => {
		await save(
			id,
			{ [CELL]: '70,5' },
			{ ...CAMPAIGN, name: 'Quý I/2025 (đổi tên)', ends_on: '2025-02-28' }
		);
		const list = await (await get('/u/42/campaigns', province)).text();
		expect(list).toContain('Quý I/2025 (đổi tên)');
		expect(list).toContain('01/01/2025 – 28/02/2025');
		await save(id, { [CELL]: '70,5' });
	});

	it('ends twenty saves at once, each an import of its own', async () => {
		const batches = await Promise.all(
			Array.from({ length: 20 }, (_, i) => save(id, { [CELL]: String(50 + i) }))
		);
		expect(new Set(batches).size).toBe(20);
		const target = (await kpi()).target!;
		expect(target * 100).toBeGreaterThanOrEqual(50);
		expect(target * 100).toBeLessThanOrEqual(69);
		await save(id, { [CELL]: '70,5' });
	});
});

describe('refusals', () => {
	let id: number;
	beforeAll(async () => {
		id = await create({
			name: 'Chiến dịch để thử từ chối',
			starts_on: FROM,
			ends_on: TO,
			unit: '42',
			copy: ''
		});
	});

	it.each([
		['an empty name', { name: '  ' }, 'Tên chiến dịch: chưa nhập'],
		['a name of 201 characters', { name: 'a'.repeat(201) }, 'dài quá 200 ký tự'],
		['a name with a line break', { name: 'a\nb' }, 'ký tự điều khiển'],
		[
			'a name another campaign has',
			{ name: 'Chiến dịch chuyển đổi số năm 2026: 100% hồ sơ được số hóa' },
			'đã có một chiến dịch khác cùng tên'
		],
		['a start in 1999', { starts_on: '1999-12-31' }, 'Ngày bắt đầu: không phải một ngày'],
		['an end in 2101', { ends_on: '2101-01-01' }, 'Ngày kết thúc: không phải một ngày'],
		['a day that does not exist', { starts_on: '2025-02-30' }, 'Ngày bắt đầu'],
		[
			'an end before the start',
			{ starts_on: '2025-03-01', ends_on: '2025-02-01' },
			'trước ngày bắt đầu'
		],
		['a unit outside the scope', { unit: '99999' }, 'Đơn vị: không có đơn vị này'],
		['a copy of no campaign', { copy: '999999999' }, 'Sao chép: không có chiến dịch này']
	])('refuses to create a campaign with %s', async (_, fields, message) => {
		const response = await post('/u/42/campaigns?/create', province, {
			name: 'Tên hợp lệ',
			starts_on: FROM,
			ends_on: TO,
			unit: '42',
			copy: '',
			...fields
		});
		expect(response.status).toBe(400);
		expect(await response.text()).toContain(message);
	});

	it.each(['70%', 'abc', '101', '-1', '1e2', '0,7,0', '70,555', ' 7 0 '])(
		'refuses the cell value %j, naming the cell',
		async (value) => {
			const response = await post(`/u/42/campaigns/${id}?/save`, province, {
				name: 'Chiến dịch để thử từ chối',
				starts_on: FROM,
				ends_on: TO,
				...gridFields({ [CELL]: value })
			});
			expect(response.status).toBe(400);
			expect(await response.text()).toContain('Ô “Tỷ lệ hồ sơ nộp trực tuyến, Cấp tỉnh”');
		}
	);

	it('refuses a form without the grid, or with a cell sent twice', async () => {
		const response = await post(`/u/42/campaigns/${id}?/save`, province, CAMPAIGN);
		expect(response.status).toBe(400);
		const twice = new URLSearchParams({ ...CAMPAIGN, ...gridFields() });
		twice.append(CELL, '50');
		const again = await fetch(`${server.origin}/u/42/campaigns/${id}?/save`, {
			method: 'POST',
			headers: {
				cookie: province,
				accept: 'text/html',
				origin: server.origin,
				'content-type': 'application/x-www-form-urlencoded'
			},
			body: twice
		});
		expect(again.status).toBe(400);
	});

	it.each(['0', '-1', 'abc', '1e3', '9999999999', '1.5'])(
		'answers 404 for the campaign id %j',
		async (bad) => {
			expect((await get(`/u/42/campaigns/${encodeURIComponent(bad)}`, province)).status).toBe(404);
		}
	);

	it('tells a leader and a unit head there is no such page, and accepts none of their posts', async () => {
		for (const cookie of [leader, unitHead]) {
			expect((await get('/u/443/campaigns', cookie)).status).toBe(404);
			const posted = await post('/u/443/campaigns?/create', cookie, {
				...CAMPAIGN,
				name: 'Không được phép',
				unit: '443',
				copy: ''
			});
			expect(posted.status).toBe(404);
			expect((await get(`/u/443/campaigns/${id}`, cookie)).status).toBe(404);
		}
	});

	it('keeps a district reform team to its district: another district 404, the province campaign read only', async () => {
		expect((await get('/u/442/campaigns', canLocTeam)).status).toBe(404);
		const list = await get('/u/443/campaigns', canLocTeam);
		expect(list.status).toBe(200);
		const html = await list.text();
		// The province's campaign applies to Can Lộc: listed, read only, the province unnamed.
		expect(html).toContain('Chỉ xem');
		expect(html).toContain('Đơn vị ngoài phạm vi');
		expect(html).not.toContain('Tỉnh Hà Tĩnh</td>');
		expect((await get(`/u/443/campaigns/${id}`, canLocTeam)).status).toBe(404);
		const posted = await post(`/u/443/campaigns/${id}?/save`, canLocTeam, {
			...CAMPAIGN,
			...gridFields()
		});
		expect(posted.status).toBe(404);
		// Its own campaign, on its own district: created and editable.
		const own = await create(
			{ name: 'Can Lộc quý I/2025', starts_on: FROM, ends_on: TO, unit: '443', copy: '' },
			canLocTeam,
			'443'
		);
		expect((await get(`/u/443/campaigns/${own}`, canLocTeam)).status).toBe(200);
		const refused = await post('/u/443/campaigns?/create', canLocTeam, {
			name: 'Đặt cho tỉnh',
			starts_on: FROM,
			ends_on: TO,
			unit: '42',
			copy: ''
		});
		expect(refused.status).toBe(400);
	});
});

describe('the record of the saves', () => {
	it('audits every save and logs it as an editor import of targets, the undone one undone', async () => {
		await server.stop();
		const store = await openStore(dbPath);
		try {
			const { rows: saves } = await sql<{ username: string; detail: string }>`SELECT username,
				detail FROM audit_log WHERE action = 'campaign_save' ORDER BY id`.execute(store.db);
			const details = saves.map((r) => JSON.parse(r.detail) as Record<string, unknown>);
			expect(saves[0].username).toBe('noivu');
			expect(details[0]).toMatchObject({
				created: true,
				name: CAMPAIGN.name,
				unit: '42',
				targets: 0
			});
			expect(details.filter((d) => d.created === false).length).toBeGreaterThanOrEqual(26);
			const { rows: undos } = await sql<{ detail: string }>`SELECT detail FROM audit_log
				WHERE action = 'import_undo'`.execute(store.db);
			expect(undos).toHaveLength(1);
			const { rows: batches } = await sql<{ status: string; n: number }>`SELECT status,
				count(*) AS n FROM import_batches WHERE source = 'editor' AND kind = 'targets'
				GROUP BY status ORDER BY status`.execute(store.db);
			expect(batches.map((b) => [b.status, Number(b.n)])).toEqual([
				['done', details.length - 1],
				['undone', 1]
			]);
			const { rows: imports } = await sql<{ n: number }>`SELECT count(*) AS n FROM audit_log
				WHERE action = 'import' AND detail LIKE '%campaign-editor-%'`.execute(store.db);
			expect(Number(imports[0].n)).toBe(details.length);
		} finally {
			await store.close();
		}
	});
});
