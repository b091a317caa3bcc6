/**
 * One rule for a value a dashboard page does not accept (issue 11, item 4), against the built
 * server: an unknown KPI, sort column, direction, page number, late kind or comparison — and a
 * refused period — is answered 400 with the reason in Vietnamese (English for a user who chose
 * English), never the server's English exception text, and with the unit's period picker still
 * on the page so the user can choose again.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canLocUser, createTestDemo, signIn } from './helpers/demo-db';
import { ensureBuilt, startServer, type RunningServer } from './helpers/server';

const JUNE_2025 = 'from=2025-06-01&to=2025-06-30';

/** Per page, a refused parameter and the Vietnamese words the answer must give. */
const REFUSED: [page: string, query: string, reason: string][] = [
	['/compare', 'kpi=online', 'Không có chỉ số “online” trên trang này'],
	['/compare', 'sort=rank', 'Không sắp xếp được theo “rank”'],
	['/compare', 'dir=up', 'Chiều sắp xếp “up” không hợp lệ'],
	['/trends', 'kpi=online_service_coverage', 'Không có chỉ số “online_service_coverage”'],
	['/trends', 'kpi=x', 'Không có chỉ số “x”'],
	['/map', 'kpi=online_rate', 'Không có chỉ số “online_rate”'],
	['/procedures', 'sort=DROP', 'Không sắp xếp được theo “DROP”'],
	['/procedures', 'page=-3', '“-3” không phải là số trang'],
	['/procedures', 'page=1e308', '“1e308” không phải là số trang'],
	['/procedures', 'dir=sideways', 'Chiều sắp xếp “sideways” không hợp lệ'],
	['/late', 'page=abc', '“abc” không phải là số trang'],
	['/late', 'list=x', 'Không có loại hồ sơ “x”'],
	['/late', 'unit=abc', '“abc” không phải là mã đơn vị để lọc'],
	['', 'vs=month', 'Không so sánh được với “month”'],
	['/data', 'vs=month', 'Không so sánh được với “month”'],
	['', 'from=2025-06-30&to=2025-06-01', 'Ngày bắt đầu 30/06/2025 sau ngày kết thúc 01/06/2025'],
	['/map', 'from=9999-12-01&to=9999-12-31', 'nằm ngoài khoảng cho phép'],
	['/late', 'campaign=99999', 'Không có chiến dịch này'],
	['/dossiers', 'kpi=online_service_coverage', 'Không có chỉ số “online_service_coverage”'],
	['/dossiers', 'page=0', '“0” không phải là số trang']
];

/** The period picker of the unit's header (components/PeriodPicker.svelte). */
const PICKER = /<form method="GET" class="picker[^"]*" aria-label="Kỳ báo cáo"/;

let dir: string;
let server: RunningServer;
let admin: string;

async function get(url: string, cookie: string) {
	const response = await fetch(`${server.origin}${url}`, {
		redirect: 'manual',
		headers: { cookie },
		signal: AbortSignal.timeout(10_000)
	});
	return { status: response.status, body: await response.text() };
}

beforeAll(async () => {
	await ensureBuilt();
	dir = mkdtempSync(path.join(os.tmpdir(), 'kpi-refusals-'));
	server = await startServer(await createTestDemo(dir));
	admin = await signIn(server.origin, canLocUser('admin'));
}, 300_000);

afterAll(async () => {
	await server?.stop();
	if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('a value a page does not accept', () => {
	it.each(REFUSED)(
		'%s?%s is 400, says why in Vietnamese and keeps the period picker',
		async (page, query, reason) => {
			const url = `/u/42${page}?${JUNE_2025}&${query}`.replace(`${JUNE_2025}&from=`, 'from=');
			const { status, body } = await get(url, admin);
			expect({ url, status }).toEqual({ url, status: 400 });
			expect(body).toContain('Không trả lời được câu hỏi này');
			expect(body).toContain(reason);
			expect(body).toMatch(PICKER);
			// The unit's header and its tabs are there too, to recover from.
			expect(body).toContain('Tỉnh Hà Tĩnh');
			expect(body).toMatch(/<nav aria-label="[^"]*" class="tabs/);
			// Never the engine's English.
			expect(body).not.toMatch(/unknown KPI|cannot sort|dir must be|is after to|not valid between/);
		}
	);

	it('says it in English, picker included, to a user who chose English', async () => {
		const cookie = `${admin}; PARAGLIDE_LOCALE=en`;
		const { status, body } = await get(`/u/42/compare?${JUNE_2025}&kpi=online`, cookie);
		expect(status).toBe(400);
		expect(body).toContain('There is no KPI “online” on this page; choose one from the list');
		expect(body).not.toContain('Không có chỉ số');
		expect(body).toMatch(/<form method="GET" class="picker[^"]*" aria-label="[^"]+"/);
	});

	it('keeps the refused value out of the picker and offers the page with its default choices', async () => {
		const { body } = await get(`/u/42/compare?${JUNE_2025}&kpi=online&sort=name`, admin);
		// The picker resubmits the page's other choices, not the refused one.
		expect(body).toMatch(/<input type="hidden" name="sort" value="name"/);
		expect(body).not.toMatch(/<input type="hidden" name="kpi"/);
		expect(body).toContain(`href="/u/42/compare?${JUNE_2025.replace('&', '&amp;')}"`);
	});

	it('still shows a page past the last one as the last page', async () => {
		const { status } = await get(`/u/42/late?${JUNE_2025}&page=99999999`, admin);
		expect(status).toBe(200);
	});
});
