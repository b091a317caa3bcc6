/**
 * Small things a user noticed (issue 12, item 7), on the real built server: the account page and
 * the audit log name units and roles as people do, and a page of another role answers the app's
 * own 404 page in Vietnamese.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canLocUser, createTestDemo, signIn } from './helpers/demo-db';
import { ensureBuilt, startServer, type RunningServer } from './helpers/server';

let dir: string;
let server: RunningServer;

beforeAll(async () => {
	await ensureBuilt();
	dir = mkdtempSync(path.join(os.tmpdir(), 'kpi-noticed-'));
	server = await startServer(await createTestDemo(dir));
}, 300_000);

afterAll(async () => {
	await server?.stop();
	if (dir) rmSync(dir, { recursive: true, force: true });
});

async function page(pathname: string, cookie: string): Promise<{ status: number; html: string }> {
	const response = await fetch(`${server.origin}${pathname}`, {
		redirect: 'manual',
		headers: { cookie, accept: 'text/html' }
	});
	return { status: response.status, html: await response.text() };
}

describe('what a user noticed', () => {
	it('shows the unit of the account by its name, not its code', async () => {
		const { status, html } = await page(
			'/account',
			await signIn(server.origin, 'noivu', 'demo-noivu-2026')
		);
		expect(status).toBe(200);
		expect(html).toContain('Tỉnh Hà Tĩnh');
		expect(html).not.toContain('đơn vị 42');
	});

	it('writes the audit log’s details with the role’s name and the unit’s name', async () => {
		const { status, html } = await page(
			'/admin/audit',
			await signIn(server.origin, 'admin', 'demo-quantri-2026')
		);
		expect(status).toBe(200);
		expect(html).toContain('Vai trò: Thủ trưởng đơn vị · Đơn vị: Huyện Can Lộc (443)');
		expect(html).not.toContain('unit_code: 443');
	});

	it('answers a page of another role with the app’s own 404 page, in Vietnamese', async () => {
		const cookie = await signIn(server.origin, canLocUser('leader'));
		for (const pathname of ['/admin/users', '/admin/audit', '/admin/tokens']) {
			const { status, html } = await page(pathname, cookie);
			expect(status, pathname).toBe(404);
			expect(html, pathname).toContain('<html lang="vi"');
			expect(html, pathname).toContain('Không tìm thấy trang này.');
			expect(html, pathname).toContain('Về trang tổng quan');
			expect(html, pathname).not.toContain('Nhật ký');
			// Its styles load from the hidden page's address (asset paths are relative).
			const stylesheet = /<link href="([^"]+\.css)"/.exec(html)?.[1];
			expect(stylesheet, pathname).toBeTruthy();
			const css = await fetch(new URL(stylesheet!, `${server.origin}${pathname}`));
			expect(css.status, `${pathname}: ${stylesheet}`).toBe(200);
		}
	});
});
