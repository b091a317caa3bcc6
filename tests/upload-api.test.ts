/**
 * The upload page's drafts through their API, against the real built server on a demo database
 * (issue 14): a file's kind told and its mapping proposed, a profile saved and picked again, every
 * rejected row in the downloadable file, the roles and scopes refused, and hostile parameters
 * answered 4xx, never 500.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scopeOf } from '../src/lib/server/auth/scope';
import { addUser } from '../src/lib/server/auth/users';
import { openStore } from '../src/lib/server/store';
import { canLocUser, createTestDemo, signIn, TEST_PASSWORD } from './helpers/demo-db';
import { ensureBuilt, startServer, type RunningServer } from './helpers/server';
import {
	component,
	envelope,
	portalDossier,
	type PortalDossier
} from '../src/lib/server/testing/portal';

let dir: string;
let server: RunningServer;
let team: string;
let otherTeam: string;
let leader: string;
let unitHead: string;
/** A 2026 commune inside Can Lộc's scope, and a procedure its dossiers may be of. */
let inside: string;
let outside: string;
let procedure: string;
/** The agency code of `inside`, by which the portal's payload names it. */
let insideAgency: string;

beforeAll(async () => {
	await ensureBuilt();
	dir = mkdtempSync(path.join(os.tmpdir(), 'kpi-upload-api-'));
	const dbPath = await createTestDemo(dir);
	const store = await openStore(dbPath);
	try {
		const scope = await scopeOf(store.db, { username: 'x', role: 'reform_team', unitCode: '443' });
		const { rows } = await sql<{ id: number; code: string }>`SELECT id, code FROM unit_versions
			WHERE level = 'commune' AND valid_from = DATE '2025-07-01' ORDER BY code`.execute(store.db);
		inside = rows.find((r) => !scope.all && scope.versions.has(r.id))!.code;
		outside = rows.find((r) => !scope.all && !scope.versions.has(r.id))!.code;
		const { rows: full } = await sql<{ code: string }>`SELECT code FROM procedures
			WHERE online_level = 'full' AND level = 'commune' ORDER BY code LIMIT 1`.execute(store.db);
		procedure = full[0].code;
		const { rows: agencies } = await sql<{ agency: string }>`SELECT agency_code AS agency
			FROM unit_versions WHERE code = ${inside} AND valid_from = DATE '2025-07-01'`.execute(store.db);
		insideAgency = agencies[0].agency;
		await addUser(store.db, {
			username: 'team.nghixuan',
			role: 'reform_team',
			unitCode: '442',
			password: TEST_PASSWORD
		});
	} finally {
		await store.close();
	}
	server = await startServer(dbPath);
	team = await signIn(server.origin, canLocUser('reform_team'));
	otherTeam = await signIn(server.origin, 'team.nghixuan');
	leader = await signIn(server.origin, canLocUser('leader'));
	unitHead = await signIn(server.origin, canLocUser('unit_head'));
}, 300_000);

afterAll(async () => {
	await server?.stop();
	if (dir) rmSync(dir, { recursive: true, force: true });
});

const TITLE = 'UBND HUYỆN CAN LỘC;;;;\nDanh sách hồ sơ tháng 9/2026;;;;\n';
const VI_HEADER = 'Mã hồ sơ;Mã TTHC;Mã đơn vị;Kênh nộp;Ngày tiếp nhận;Ghi chú';

/** A Vietnamese-header, semicolon-separated CSV with a BOM and a title block; `date(i)` per row. */
function viCsv(prefix: string, n: number, date: (i: number) => string = () => '05/09/2026 08:00') {
	const rows = Array.from(
		{ length: n },
		(_, i) => `${prefix}-${i};${procedure};${inside};Trực tuyến;${date(i)};`
	);
	return `\uFEFF${TITLE}${VI_HEADER}\n${rows.join('\n')}\n`;
}

interface Draft {
	id: string;
	kind: string;
	header_row: number | null;
	mapping: { header: string; column: string | null; proposed: string | null }[];
	missing_required: string[];
	portal: boolean;
	profile: { id: string; name: string } | null;
	check: {
		status: string;
		result: {
			rows: number;
			total_errors: number;
			errors: {
				row: number;
				record?: string;
				column: string;
				value: string;
				message: string;
				reason: string;
			}[];
			preview: Record<string, unknown>[];
		} | null;
		rejected_file: boolean;
	};
	import: { id: string; status: string; inserted: number } | null;
}

const api = (p: string) => `${server.origin}/api/v1/import-drafts${p}`;

async function newDraft(cookie: string, name: string, body: string, query = '') {
	const response = await fetch(api(`?filename=${encodeURIComponent(name)}${query}`), {
		method: 'POST',
		headers: { cookie, 'content-type': 'text/csv' },
		body
	});
	expect(response.status, await response.clone().text()).toBe(201);
	const { id } = (await response.json()) as { id: string };
	return draft(cookie, id);
}

async function draft(cookie: string, id: string): Promise<Draft> {
	const response = await fetch(api(`/${id}`), { headers: { cookie } });
	expect(response.status).toBe(200);
	return (await response.json()) as Draft;
}

const patch = (cookie: string, id: string, body: unknown) =>
	fetch(api(`/${id}`), {
		method: 'PATCH',
		headers: { cookie, 'content-type': 'application/json' },
		body: JSON.stringify(body)
	});

const post = (cookie: string, id: string, action: string, body?: unknown) =>
	fetch(api(`/${id}/${action}`), {
		method: 'POST',
		headers: { cookie, 'content-type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body)
	});

async function checked(cookie: string, id: string): Promise<Draft> {
	expect((await post(cookie, id, 'check')).status).toBe(202);
	for (let waited = 0; waited < 120_000; waited += 100) {
		const current = await draft(cookie, id);
		if (current.check.status === 'clean' || current.check.status === 'errors') return current;
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
	throw new Error(`the check of draft ${id} did not end`);
}

describe('a draft', () => {
	it('tells the kind, finds the header under the title block and proposes the mapping from the aliases', async () => {
		const found = await newDraft(team, 'mot-cua.csv', viCsv('D1', 3));
		expect(found.kind).toBe('dossiers');
		expect(found.header_row).toBe(3);
		expect(found.mapping).toEqual([
			{ header: 'Mã hồ sơ', column: 'dossier_code', proposed: 'dossier_code' },
			{ header: 'Mã TTHC', column: 'procedure_code', proposed: 'procedure_code' },
			{ header: 'Mã đơn vị', column: 'unit_code', proposed: 'unit_code' },
			{ header: 'Kênh nộp', column: null, proposed: null },
			{ header: 'Ngày tiếp nhận', column: 'received_at', proposed: 'received_at' },
			{ header: 'Ghi chú', column: null, proposed: null }
		]);
		expect(found.missing_required).toEqual(['channel']);
		expect(found.profile).toBeNull();

		// Checked as proposed: the required channel is missing, and the check says so.
		const first = await checked(team, found.id);
		expect(first.check.status).toBe('errors');
		expect(first.check.result!.errors[0].reason).toMatch(/^thiếu cột bắt buộc/);

		// Mapped by hand, the same file checks clean, with a preview of its typed rows.
		const mapped = await patch(team, found.id, { mapping: { 'Kênh nộp': 'channel' } });
		expect(mapped.status).toBe(200);
		expect(((await mapped.json()) as Draft).missing_required).toEqual([]);
		const clean = await checked(team, found.id);
		expect(clean.check.status).toBe('clean');
		expect(clean.check.result!.rows).toBe(3);
		expect(clean.check.result!.preview[0]).toMatchObject({
			dossier_code: 'D1-0',
			channel: 'online',
			received_at: '2026-09-05T08:00:00',
			unit_code: inside
		});

		const committed = await post(team, found.id, 'commit');
		expect(committed.status).toBe(202);
		const { import: batch } = (await committed.json()) as { import: string };
		for (let waited = 0; waited < 60_000; waited += 100) {
			const job = await (
				await fetch(`${server.origin}/api/v1/imports/${batch}`, { headers: { cookie: team } })
			).json();
			if (job.status === 'done' || job.status === 'failed') {
				expect(job).toMatchObject({ status: 'done', inserted: 3, filename: 'mot-cua.csv' });
				break;
			}
			await new Promise((resolve) => setTimeout(resolve, 100));
		}
		// Committed once: not again, nor changed.
		expect((await post(team, found.id, 'commit')).status).toBe(409);
		expect((await patch(team, found.id, { kind: 'units' })).status).toBe(409);

		// The same file again is recognised as the import it already was.
		const again = (await newDraft(team, 'mot-cua-lan-2.csv', viCsv('D1', 3))) as Draft & {
			duplicate_of: { id: string; filename: string } | null;
		};
		expect(again.duplicate_of).toMatchObject({ id: batch, filename: 'mot-cua.csv' });
	});

	it('saves its mapping as a profile, picked for the next file with the same headers', async () => {
		const first = await newDraft(team, 'vnpt-1.csv', viCsv('P1', 2));
		expect(first.profile).toBeNull();
		await patch(team, first.id, { mapping: { 'Kênh nộp': 'channel' } });
		const saved = await post(team, first.id, 'profile', { name: 'Một cửa VNPT' });
		expect(saved.status).toBe(201);
		const next = await newDraft(team, 'vnpt-2.csv', viCsv('P2', 4));
		expect(next.profile).toMatchObject({ name: 'Một cửa VNPT' });
		expect(next.mapping.find((m) => m.header === 'Kênh nộp')).toEqual({
			header: 'Kênh nộp',
			column: 'channel',
			proposed: null
		});
		expect(next.missing_required).toEqual([]);
		// A changed mapping is no longer the profile's.
		const changed = (await (
			await patch(team, next.id, { mapping: { 'Ghi chú': null } })
		).json()) as Draft;
		expect(changed.profile).toBeNull();
	});

	it('writes every rejected row, past the first 1,000, to a formula-safe CSV with a BOM', async () => {
		const bad = 1200;
		const csv = viCsv('E', bad + 5, (i) =>
			i < bad ? (i === 0 ? '=1+2' : '31/02/2026') : '05/09/2026'
		);
		const found = await newDraft(team, 'loi.csv', csv);
		await patch(team, found.id, { mapping: { 'Kênh nộp': 'channel' } });
		const result = await checked(team, found.id);
		expect(result.check.status).toBe('errors');
		expect(result.check.result!.total_errors).toBe(bad);
		expect(result.check.result!.errors).toHaveLength(1000);
		expect(result.check.result!.errors[1]).toMatchObject({
			row: 5,
			column: 'Ngày tiếp nhận',
			value: '31/02/2026',
			reason: expect.stringMatching(/^không phải ngày giờ/)
		});
		expect(result.check.rejected_file).toBe(true);
		// A check with errors cannot be committed.
		expect((await post(team, found.id, 'commit')).status).toBe(409);

		const download = await fetch(api(`/${found.id}/rejected.csv`), { headers: { cookie: team } });
		expect(download.status).toBe(200);
		expect(download.headers.get('content-type')).toBe('text/csv; charset=utf-8');
		const bytes = Buffer.from(await download.arrayBuffer());
		expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
		const lines = bytes.toString('utf8').slice(1).trimEnd().split('\r\n');
		expect(lines[0]).toBe(
			'Dòng,Cột,Giá trị,Lý do,Mã hồ sơ,Mã TTHC,Mã đơn vị,Kênh nộp,Ngày tiếp nhận'
		);
		expect(lines).toHaveLength(bad + 1);
		expect(lines[1]).toMatch(/^4,Ngày tiếp nhận,'=1\+2,"không phải ngày giờ; .*",E-0,/);
		expect(lines[bad]).toMatch(new RegExp(`^${bad + 3},Ngày tiếp nhận,31/02/2026,`));

		// Someone else never gets it.
		expect(
			(await fetch(api(`/${found.id}/rejected.csv`), { headers: { cookie: otherTeam } })).status
		).toBe(404);
	});
});

describe("the portal's sync payload", () => {
	const dossier = (i: number, fields: PortalDossier = {}) =>
		portalDossier({
			MaHoSo: `${insideAgency}-260905-${i}`,
			MaTTHC: procedure,
			DonViXuLy: insideAgency,
			KenhThucHien: '2',
			NgayTiepNhan: '20260905080000',
			TrangThaiHoSo: '4',
			TaiLieuNop: [component({ DuocSoHoa: '1' })],
			...fields
		});

	it('needs no mapping, and previews the fields derived from it', async () => {
		const found = await newDraft(
			team,
			'dongbo.json',
			envelope([dossier(1), dossier(2, { TrangThaiHoSo: '1' })])
		);
		expect(found).toMatchObject({ kind: 'dossiers', portal: true, missing_required: [] });
		const clean = await checked(team, found.id);
		expect(clean.check.status).toBe('clean');
		expect(clean.check.result!.rows).toBe(1);
		expect(clean.check.result!.preview[0]).toMatchObject({
			dossier_code: `${insideAgency}-260905-1`,
			unit_code: inside,
			channel: 'online',
			status: 'processing',
			dossier_digitized: true,
			portal_synced: true
		});
	});

	it('names a bad dossier by its code in the check and in the rejected rows', async () => {
		const found = await newDraft(
			team,
			'dongbo-loi.json',
			envelope([dossier(1), dossier(2, { TaiLieuNop: [component({ DuocSoHoa: 'có' })] })])
		);
		const result = await checked(team, found.id);
		expect(result.check.status).toBe('errors');
		expect(result.check.result!.errors).toEqual([
			expect.objectContaining({
				row: 2,
				record: `${insideAgency}-260905-2`,
				column: 'TaiLieuNop[1].DuocSoHoa',
				value: 'có'
			})
		]);
		const lines = (
			await (await fetch(api(`/${found.id}/rejected.csv`), { headers: { cookie: team } })).text()
		)
			.trimEnd()
			.split('\r\n');
		expect(lines).toHaveLength(2);
		expect(lines[1]).toMatch(
			new RegExp(`^2,TaiLieuNop\\[1\\]\\.DuocSoHoa,có,.*,${insideAgency}-260905-2,`)
		);
	});
});

describe('a large upload', () => {
	/** The server's resident memory (MB), as the kernel counts it. */
	const residentMb = () => {
		const status = readFileSync(`/proc/${server.child.pid}/status`, 'utf8');
		return Number(/VmRSS:\s+(\d+)/.exec(status)![1]) / 1024;
	};

	it('goes to disk as it arrives: 192 MB sent leave the server no bigger than a third of that', async () => {
		const line = `X-0;${procedure};${inside};Trực tuyến;05/09/2026 08:00;${'.'.repeat(100)}\n`;
		const chunk = new TextEncoder().encode(line.repeat(Math.ceil(2 ** 20 / line.length)));
		const chunks = Math.floor((192 * 2 ** 20) / chunk.length);
		let sent = 0;
		const body = new ReadableStream<Uint8Array>({
			pull(controller) {
				if (sent === 0) controller.enqueue(new TextEncoder().encode(`${VI_HEADER}\n`));
				if (sent++ < chunks) controller.enqueue(chunk.slice());
				else controller.close();
			}
		});
		const before = residentMb();
		const response = await fetch(api(`?filename=lon.csv`), {
			method: 'POST',
			headers: { cookie: otherTeam, 'content-type': 'text/csv' },
			body,
			duplex: 'half'
		} as RequestInit);
		expect(response.status, await response.clone().text()).toBe(201);
		const { id } = (await response.json()) as { id: string };
		expect((await draft(otherTeam, id)).kind).toBe('dossiers');
		// Held in memory, the body alone would add its 192 MB.
		expect(residentMb() - before).toBeLessThan(64);
	});
});

describe('the check of a draft', () => {
	it('keeps the uploader to their scope, as the commit would', async () => {
		const csv = viCsv('SC', 2).replace(new RegExp(`;${inside};`, 'g'), `;${outside};`);
		const found = await newDraft(team, 'ngoai-pham-vi.csv', csv);
		await patch(team, found.id, { mapping: { 'Kênh nộp': 'channel' } });
		const result = await checked(team, found.id);
		expect(result.check.status).toBe('errors');
		expect(result.check.result!.errors).toEqual([
			expect.objectContaining({
				row: null,
				reason: expect.stringMatching(/^tệp thay đổi 1 đơn vị ngoài phạm vi của bạn, ví dụ /)
			})
		]);
		const download = await fetch(api(`/${found.id}/rejected.csv`), { headers: { cookie: team } });
		const lines = (await download.text()).trimEnd().split('\r\n');
		expect(lines).toHaveLength(2);
		expect(lines[1]).toMatch(/^,,,"?tệp thay đổi 1 đơn vị ngoài phạm vi/);
		expect((await post(team, found.id, 'commit')).status).toBe(409);
	});
});

describe('refusals', () => {
	it('refuses a leader and a unit head (403), and shows them no draft (404)', async () => {
		const own = await newDraft(team, 'rieng.csv', viCsv('R', 1));
		for (const cookie of [leader, unitHead]) {
			const response = await fetch(api('?filename=a.csv'), {
				method: 'POST',
				headers: { cookie, 'content-type': 'text/csv' },
				body: viCsv('X', 1)
			});
			expect(response.status).toBe(403);
			expect((await fetch(api(`/${own.id}`), { headers: { cookie } })).status).toBe(404);
			expect((await post(cookie, own.id, 'check')).status).toBe(403);
		}
		expect((await fetch(api(`/${own.id}`))).status).toBe(401);
	});

	it('keeps a draft of another scope out of sight (404) for reading, changing, checking and committing', async () => {
		const own = await newDraft(team, 'can-loc.csv', viCsv('S', 1));
		expect((await fetch(api(`/${own.id}`), { headers: { cookie: otherTeam } })).status).toBe(404);
		expect((await patch(otherTeam, own.id, { kind: 'units' })).status).toBe(404);
		expect((await post(otherTeam, own.id, 'check')).status).toBe(404);
		expect((await post(otherTeam, own.id, 'commit')).status).toBe(404);
		expect((await post(otherTeam, own.id, 'profile', { name: 'x' })).status).toBe(404);
		expect((await draft(team, own.id)).check.status).toBe('none');
	});

	it('keeps at most five open drafts an uploader: the oldest goes', async () => {
		const first = await newDraft(team, 'cu-nhat.csv', viCsv('O0', 1));
		for (let i = 1; i <= 5; i++) await newDraft(team, `moi-${i}.csv`, viCsv(`O${i}`, 1));
		expect((await fetch(api(`/${first.id}`), { headers: { cookie: team } })).status).toBe(404);
	});

	it('answers hostile parameters with 4xx, never a 500', async () => {
		const own = await newDraft(team, 'xau.csv', viCsv('H', 1));
		for (const id of ['abc', '0', '-1', '99999999999', '1e3', '%00']) {
			expect((await fetch(api(`/${id}`), { headers: { cookie: team } })).status, id).toBe(404);
		}
		const refused = async (response: Response, status: number) => {
			expect(response.status).toBe(status);
			expect(((await response.json()) as { error: string }).error).toBeTruthy();
		};
		const huge = Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`h${i}`, null]));
		await refused(await patch(team, own.id, { mapping: huge }), 400);
		await refused(await patch(team, own.id, { mapping: { 'Kênh nộp': 'drop_table' } }), 400);
		await refused(await patch(team, own.id, { mapping: { 'Không có': 'channel' } }), 400);
		await refused(await patch(team, own.id, { mapping: { 'Kênh nộp': 'dossier_code' } }), 400);
		await refused(await patch(team, own.id, { mapping: ['channel'] }), 400);
		await refused(await patch(team, own.id, { mapping: { 'Kênh nộp': 7 } }), 400);
		await refused(await patch(team, own.id, { kind: 'accounts' }), 400);
		await refused(
			await fetch(api(`/${own.id}`), {
				method: 'PATCH',
				headers: { cookie: team, 'content-type': 'application/json' },
				body: '{"mapping":'
			}),
			400
		);
		await refused(
			await fetch(api(`/${own.id}`), {
				method: 'PATCH',
				headers: { cookie: team, 'content-type': 'text/plain', origin: server.origin },
				body: '{}'
			}),
			415
		);
		await refused(await post(team, own.id, 'profile', { name: 'x'.repeat(81) }), 400);
		await refused(await post(team, own.id, 'profile', { name: '  ' }), 400);
		await refused(await post(team, own.id, 'profile', { name: 'a\u0007b' }), 400);
		await refused(await post(team, own.id, 'commit'), 409);
		for (const query of [
			'',
			'?filename=',
			'?filename=..%2Fx.csv',
			'?filename=a.xls',
			'?filename=a.csv&kind=users'
		]) {
			const response = await fetch(api(query), {
				method: 'POST',
				headers: { cookie: team, 'content-type': 'text/csv' },
				body: viCsv('Q', 1)
			});
			expect(response.status, query).toBe(400);
		}
		const empty = await fetch(api('?filename=rong.csv'), {
			method: 'POST',
			headers: { cookie: team, 'content-type': 'text/csv' },
			body: ''
		});
		expect(empty.status).toBe(400);
		expect((await draft(team, own.id)).check.status).toBe('none');
	});
});
