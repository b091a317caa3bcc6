/**
 * The authorisation matrix (issue 5), built from the route tree itself: every page and endpoint
 * found under src/routes, for each method it answers, × every role (bound to Huyện Can Lộc) and
 * nobody × a unit inside and outside the scope → the status expected, and no name or figure of
 * the neighbouring Huyện Nghi Xuân in any body a non-admin receives. A new route, or a new method
 * on one, fails the first test until it is given a case here.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../src/cli/build-check';
import { formatNumber } from '../src/lib/domain/format';
import { ROLES, type Role } from '../src/lib/domain/types';
import { OPERATOR, scopeOf } from '../src/lib/server/auth/scope';
import type { Database } from '../src/lib/server/db/schema';
import { importFile } from '../src/lib/server/import/run';
import { openStore } from '../src/lib/server/store';
import { unitReport } from '../src/lib/server/overview';
import { canLocUser, createTestDemo, NGHI_XUAN_HEAD, signIn } from './helpers/demo-db';
import { ensureBuilt, startServer, type RunningServer } from './helpers/server';

type Method = 'GET' | 'POST' | 'PATCH';
type Who = Role | 'nobody';

interface RouteCase {
	/** The path and query for a unit inside (true) or outside (false) the scope of Can Lộc. */
	url(inside: boolean): string;
	form?: () => Record<string, string>;
	/** The status expected; routes not about a unit answer the same either way. */
	status(who: Who, inside: boolean): number;
	/** The request ends the session it is sent with: it gets a session of its own. */
	endsSession?: boolean;
}

const JUNE_2025 = 'from=2025-06-01&to=2025-06-30';
const unitCode = (inside: boolean) => (inside ? '443' : '442');
const manages = (who: Who) => who === 'admin' || who === 'reform_team';
/** Pages: a sign-in for nobody, else `then`. */
const page =
	(then: number | ((who: Role, inside: boolean) => number)) => (who: Who, inside: boolean) =>
		who === 'nobody' ? 303 : typeof then === 'number' ? then : then(who, inside);
const inScope = (who: Role, inside: boolean) => (inside || who === 'admin' ? 200 : 404);

/** The reports beforeAll publishes for June 2025, in this order on a new database: ids 1 and 2. */
const PUBLISHED_ID: Record<string, number> = { '443': 1, '442': 2 };

let formSerial = 0;

/** Import jobs the cases name (beforeAll): the demo's units import, one of Nghi Xuân, a rejected one. */
const jobs = { units: 0, nghiXuan: 0, rejected: 0 };

/** A campaign set on each district (beforeAll): its id by unit code. */
const campaignIds: Record<string, number> = {};
const CAMPAIGN_OF_442 = 'Chiến dịch riêng của đơn vị 442';

/** An upload draft of Can Lộc's reform team, already committed (beforeAll): nobody else's. */
let draftId = 0;
/** The draft endpoints: 401 signed out, 403 for the roles that may not upload, 404 for another's draft. */
const draftAction =
	(own: number) =>
	(who: Who): number =>
		who === 'nobody' ? 401 : !manages(who) ? 403 : who === 'reform_team' ? own : 404;

const CASES: Record<string, RouteCase> = {
	'GET /': { url: () => '/', status: page(303) },
	'GET /u/[code]': {
		url: (inside) => `/u/${unitCode(inside)}?${JUNE_2025}`,
		status: page(inScope)
	},
	...Object.fromEntries(
		[
			'compare',
			'trends',
			'procedures',
			'late',
			'map',
			'data',
			'successors',
			'index',
			'dossiers'
		].map((tab) => [
			`GET /u/[code]/${tab}`,
			{
				url: (inside: boolean) => `/u/${unitCode(inside)}/${tab}?${JUNE_2025}`,
				status: page(inScope)
			}
		])
	),
	...Object.fromEntries(
		['compare', 'trends', 'procedures', 'late', 'map'].map((tab) => [
			`GET /u/[code]/${tab}/export`,
			{
				// CSV: a text body, in which a hidden unit's name would show.
				url: (inside: boolean) => `/u/${unitCode(inside)}/${tab}/export?format=csv&${JUNE_2025}`,
				status: page(inScope)
			}
		])
	),
	'POST /u/[code]/index': {
		// An empty form: refused (400) for an admin, who edits the service index's definitions;
		// anyone else may read the page of a unit in scope but not edit them (403).
		url: (inside) => `/u/${unitCode(inside)}/index?/save`,
		status: page((who, inside) =>
			who === 'admin' ? 400 : inScope(who, inside) === 200 ? 403 : 404
		)
	},
	'GET /u/[code]/report-header': {
		url: (inside) => `/u/${unitCode(inside)}/report-header?${JUNE_2025}`,
		status: page((who, inside) => (manages(who) ? inScope(who, inside) : 404))
	},
	'POST /u/[code]/report-header': {
		// An empty form: refused (400) once the manager may set the unit's frame at all.
		url: (inside) => `/u/${unitCode(inside)}/report-header?/save`,
		status: page((who, inside) => (manages(who) && inScope(who, inside) === 200 ? 400 : 404))
	},
	'GET /u/[code]/campaigns': {
		url: (inside) => `/u/${unitCode(inside)}/campaigns?${JUNE_2025}`,
		status: page((who, inside) => (manages(who) ? inScope(who, inside) : 404))
	},
	'POST /u/[code]/campaigns': {
		// An empty form: refused (400) once the manager may set campaigns on the unit at all.
		url: (inside) => `/u/${unitCode(inside)}/campaigns?/create`,
		status: page((who, inside) => (manages(who) && inScope(who, inside) === 200 ? 400 : 404))
	},
	'GET /u/[code]/campaigns/[id]': {
		url: (inside) => `/u/${unitCode(inside)}/campaigns/${campaignIds[unitCode(inside)]}`,
		status: page((who, inside) => (manages(who) ? inScope(who, inside) : 404))
	},
	'POST /u/[code]/campaigns/[id]': {
		url: (inside) => `/u/${unitCode(inside)}/campaigns/${campaignIds[unitCode(inside)]}?/save`,
		status: page((who, inside) => (manages(who) && inScope(who, inside) === 200 ? 400 : 404))
	},
	'GET /u/[code]/reports': {
		url: (inside) => `/u/${unitCode(inside)}/reports?${JUNE_2025}`,
		status: page(inScope)
	},
	'POST /u/[code]/reports': {
		url: (inside) => `/u/${unitCode(inside)}/reports?/publish`,
		// No month: refused (400) to whoever may publish the unit's reports, 404 to everyone else.
		status: page((who, inside) => (manages(who) && (inside || who === 'admin') ? 400 : 404))
	},
	'GET /u/[code]/reports/[id]': {
		url: (inside) => `/u/${unitCode(inside)}/reports/${PUBLISHED_ID[unitCode(inside)]}`,
		status: page(inScope)
	},
	'GET /u/[code]/reports/[id]/[format]': {
		url: (inside) => `/u/${unitCode(inside)}/reports/${PUBLISHED_ID[unitCode(inside)]}/csv`,
		status: page(inScope)
	},
	'GET /api/v1/kpi': {
		url: (inside) => `/api/v1/kpi?unit=${unitCode(inside)}&${JUNE_2025}`,
		status: (who, inside) => (who === 'nobody' ? 401 : inScope(who, inside))
	},
	'GET /api/v1/report': {
		// CSV (a ZIP): the cheapest of the three formats to make for every role.
		url: (inside) => `/api/v1/report?unit=${unitCode(inside)}&month=2025-06&format=csv`,
		status: (who, inside) => (who === 'nobody' ? 401 : inScope(who, inside))
	},
	// Everyone signed in; the units and counts are the user's scope's (tests/catalogue.test.ts).
	'GET /catalogue/units': {
		url: (inside) => `/catalogue/units?q=${inside ? '443' : '442'}`,
		status: page(200)
	},
	'GET /catalogue/procedures': {
		url: (inside) => `/catalogue/procedures${inside ? '' : '?sort=dossiers'}`,
		status: page(200)
	},
	'GET /api/v1/imports': {
		url: () => '/api/v1/imports?limit=5',
		status: (who) => (who === 'nobody' ? 401 : 200)
	},
	'POST /api/v1/imports': {
		// An empty body: refused (400) once the user may import at all.
		url: () => '/api/v1/imports?kind=dossiers&filename=thang-06.csv',
		status: (who) => (who === 'nobody' ? 401 : manages(who) ? 400 : 403)
	},
	'GET /api/v1/imports/[id]': {
		// Inside: the demo's units import (every unit); outside: a file of Nghi Xuân alone.
		url: (inside) => `/api/v1/imports/${inside ? jobs.units : jobs.nghiXuan}`,
		status: (who, inside) => (who === 'nobody' ? 401 : inside || who === 'admin' ? 200 : 404)
	},
	'POST /api/v1/imports/[id]/undo': {
		// Inside: the units import, which the dossiers need (an admin is refused, 409) and which
		// reaches beyond Can Lộc (403 for its reform team, as for the roles that may not undo);
		// outside: a rejected file no one else sees (409 for an admin: only a done import undoes).
		url: (inside) => `/api/v1/imports/${inside ? jobs.units : jobs.rejected}/undo`,
		status: (who, inside) => (who === 'nobody' ? 401 : who === 'admin' ? 409 : inside ? 403 : 404)
	},
	'GET /u/[code]/data/upload': {
		url: (inside) => `/u/${unitCode(inside)}/data/upload?${JUNE_2025}`,
		status: page((who, inside) => (manages(who) ? inScope(who, inside) : 404))
	},
	'POST /api/v1/import-drafts': {
		// An empty body: refused (400) once the user may upload at all.
		url: () => '/api/v1/import-drafts?filename=thang-06.csv',
		status: (who) => (who === 'nobody' ? 401 : manages(who) ? 400 : 403)
	},
	'GET /api/v1/import-drafts/[id]': {
		url: () => `/api/v1/import-drafts/${draftId}`,
		status: (who) => (who === 'nobody' ? 401 : who === 'reform_team' ? 200 : 404)
	},
	// A form body: its owner is told to send JSON (415); a committed draft changes no more (409).
	'PATCH /api/v1/import-drafts/[id]': {
		url: () => `/api/v1/import-drafts/${draftId}`,
		status: draftAction(415)
	},
	'POST /api/v1/import-drafts/[id]/check': {
		url: () => `/api/v1/import-drafts/${draftId}/check`,
		status: draftAction(409)
	},
	'POST /api/v1/import-drafts/[id]/commit': {
		url: () => `/api/v1/import-drafts/${draftId}/commit`,
		status: draftAction(409)
	},
	'POST /api/v1/import-drafts/[id]/profile': {
		url: () => `/api/v1/import-drafts/${draftId}/profile`,
		status: draftAction(415)
	},
	'GET /api/v1/import-drafts/[id]/rejected.csv': {
		// Its check was clean: no rejected rows, for anyone.
		url: () => `/api/v1/import-drafts/${draftId}/rejected.csv`,
		status: (who) => (who === 'nobody' ? 401 : 404)
	},
	'GET /account': { url: () => '/account', status: page(200) },
	'POST /account': {
		url: () => '/account?/locale',
		form: () => ({ locale: 'vi' }),
		status: page(200)
	},
	'GET /login': { url: () => '/login', status: (who) => (who === 'nobody' ? 200 : 303) },
	'POST /login': {
		url: () => '/login',
		form: () => ({ username: `không-có-ai-${formSerial}`, password: 'sai-mật-khẩu-rồi' }),
		// A failed sign-in shows the login page again, which sends a signed-in user on.
		status: (who) => (who === 'nobody' ? 400 : 303)
	},
	'GET /logout': { url: () => '/logout', status: page(200) },
	'POST /logout': { url: () => '/logout', status: () => 303, endsSession: true },
	'POST /locale': {
		url: () => '/locale',
		form: () => ({ locale: 'vi', redirectTo: '/account' }),
		status: () => 303
	},
	'GET /admin/users': {
		url: () => '/admin/users',
		status: page((who) => (manages(who) ? 200 : 404))
	},
	'POST /admin/users': {
		url: () => '/admin/users?/create',
		status: page((who) => (manages(who) ? 400 : 404))
	},
	'GET /admin/tokens': {
		url: () => '/admin/tokens',
		status: page((who) => (manages(who) ? 200 : 404))
	},
	'POST /admin/tokens': {
		url: () => '/admin/tokens?/create',
		status: page((who) => (manages(who) ? 400 : 404))
	},
	'GET /admin/audit': {
		url: () => '/admin/audit',
		status: page((who) => (manages(who) ? 200 : 404))
	}
};

/** Every (method, route id) the app answers, read from the files under src/routes. */
function routeTree(): string[] {
	const root = path.join(PROJECT_ROOT, 'src', 'routes');
	const found: string[] = [];
	const visit = (dir: string) => {
		const id = '/' + path.relative(root, dir).split(path.sep).join('/');
		const routeId = id === '/' ? '/' : id.replace(/\/$/, '');
		const read = (name: string) =>
			existsSync(path.join(dir, name)) ? readFileSync(path.join(dir, name), 'utf8') : null;
		const pageServer = read('+page.server.ts');
		const endpoint = read('+server.ts');
		if (
			read('+page.svelte') !== null ||
			pageServer !== null ||
			/export const GET\b/.test(endpoint ?? '')
		) {
			found.push(`GET ${routeId}`);
		}
		if (
			/export const actions\b/.test(pageServer ?? '') ||
			/export const POST\b/.test(endpoint ?? '')
		) {
			found.push(`POST ${routeId}`);
		}
		for (const verb of ['PUT', 'PATCH', 'DELETE']) {
			if (new RegExp(`export const ${verb}\\b`).test(endpoint ?? ''))
				found.push(`${verb} ${routeId}`);
		}
		for (const entry of readdirSync(dir, { withFileTypes: true })) {
			if (entry.isDirectory()) visit(path.join(dir, entry.name));
		}
	};
	visit(root);
	return found.sort();
}

let dir: string;
let server: RunningServer;
const cookies = new Map<Role, string>();
/** Names and figures of Huyện Nghi Xuân that a Can Lộc account must never receive. */
let forbidden: string[] = [];

beforeAll(async () => {
	await ensureBuilt();
	dir = mkdtempSync(path.join(os.tmpdir(), 'kpi-authz-'));
	const dbPath = await createTestDemo(dir);
	const store = await openStore(dbPath);
	try {
		const db = store.db;
		await importJobs(db, dir);
		draftId = await committedDraft(db);
		const scope = await scopeOf(db, { username: 'x', role: 'unit_head', unitCode: '443' });
		const { rows } = await sql<{ id: number; name: string; inside442: boolean }>`
			SELECT u.id, u.name, bool_or(c.ancestor_id IN (SELECT id FROM unit_versions WHERE code = '442'))
				AS inside442
			FROM unit_versions u JOIN unit_closure c ON c.descendant_id = u.id
			GROUP BY u.id, u.name`.execute(db);
		const visible = new Set(
			rows.filter((r) => !scope.all && scope.versions.has(r.id)).map((r) => r.name)
		);
		const hidden = rows.filter((r) => r.inside442 && !visible.has(r.name)).map((r) => r.name);
		const report = await unitReport(store.db, OPERATOR, '442', {
			from: '2025-06-01',
			to: '2025-06-30'
		});
		const { numerator, denominator } = report.kpis.online_submission_rate;
		expect(denominator).toBeGreaterThan(0);
		forbidden = [
			...hidden,
			NGHI_XUAN_HEAD,
			`${formatNumber(numerator)}/${formatNumber(denominator)}`,
			`"numerator":${numerator},"denominator":${denominator}`,
			CAMPAIGN_OF_442
		];
		expect(hidden).toContain('Huyện Nghi Xuân');
	} finally {
		await store.close();
	}
	server = await startServer(dbPath, { ADDRESS_HEADER: 'x-forwarded-for', XFF_DEPTH: '1' });
	// An audit entry of the neighbour, which a Can Lộc reform team must not be shown.
	await signIn(server.origin, NGHI_XUAN_HEAD, undefined, '10.9.9.9');
	for (const role of ROLES) cookies.set(role, await signIn(server.origin, canLocUser(role)));
	// Not Object.entries: it lists integer-like keys ascending, 442 before 443.
	for (const code of ['443', '442']) {
		const response = await fetch(`${server.origin}/u/${code}/reports?/publish`, {
			method: 'POST',
			redirect: 'manual',
			headers: {
				cookie: cookies.get('admin')!,
				accept: 'text/html',
				origin: server.origin,
				'content-type': 'application/x-www-form-urlencoded'
			},
			body: new URLSearchParams({ month: '2025-06', confirm: 'yes' })
		});
		expect(response.headers.get('location')).toBe(`/u/${code}/reports/${PUBLISHED_ID[code]}`);
	}
}, 300_000);

afterAll(async () => {
	await server?.stop();
	if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The import jobs of `jobs`, made as the CLI makes them. */
async function importJobs(db: Kysely<Database>, folder: string): Promise<void> {
	const units = await db
		.selectFrom('import_batches')
		.select('id')
		.where('kind', '=', 'units')
		.orderBy('id')
		.executeTakeFirstOrThrow();
	jobs.units = units.id;
	const { rows } = await sql<{ unit: string; procedure: string }>`SELECT u.code AS unit,
			(SELECT min(code) FROM procedures WHERE level = 'commune') AS procedure
		FROM unit_versions u JOIN unit_versions p ON p.id = u.parent_id
		WHERE p.code = '442' AND u.level = 'commune' ORDER BY u.code LIMIT 1`.execute(db);
	const header = 'dossier_code,procedure_code,unit_code,channel,received_at';
	const write = (name: string, content: string) => {
		const file = path.join(folder, name);
		writeFileSync(file, content);
		return file;
	};
	const nghiXuan = await importFile(
		db,
		'dossiers',
		write(
			'nghi-xuan.csv',
			`${header}\nNX-1,${rows[0].procedure},${rows[0].unit},online,2025-06-10\n`
		)
	);
	jobs.nghiXuan = nghiXuan.batchId;
	await importFile(
		db,
		'dossiers',
		write('hong.csv', `${header}\nNX-2,9.9,${rows[0].unit},x,\n`)
	).catch(() => undefined);
	const rejected = await db
		.selectFrom('import_batches')
		.select('id')
		.where('file_name', '=', 'hong.csv')
		.executeTakeFirstOrThrow();
	jobs.rejected = rejected.id;
	await importFile(
		db,
		'targets',
		write(
			'districts.csv',
			'campaign,starts_on,ends_on,unit_code,kpi,level,target\n' +
				'Chiến dịch riêng của Can Lộc,2025-04-01,2025-06-30,443,on_time_rate,district,80%\n' +
				`${CAMPAIGN_OF_442},2025-04-01,2025-06-30,442,on_time_rate,district,80%\n`
		)
	);
	for (const campaign of await db.selectFrom('campaigns').select(['id', 'name']).execute()) {
		if (campaign.name === CAMPAIGN_OF_442) campaignIds['442'] = campaign.id;
		if (campaign.name === 'Chiến dịch riêng của Can Lộc') campaignIds['443'] = campaign.id;
	}
}

/** A draft of Can Lộc's reform team, committed as the units import (as the upload page leaves one). */
async function committedDraft(db: Kysely<Database>): Promise<number> {
	const owner = await db
		.selectFrom('users')
		.select('id')
		.where('username', '=', canLocUser('reform_team'))
		.executeTakeFirstOrThrow();
	const row = await db
		.insertInto('import_drafts')
		.values({
			user_id: owner.id,
			username: canLocUser('reform_team'),
			kind: 'dossiers',
			file_name: 'thang-06.csv',
			file_size: 10,
			sha256: '0'.repeat(64),
			format: 'csv',
			stored_file: null,
			header_row: 1,
			head_rows: '[]',
			headers: '[]',
			header_set: '',
			mapping: '[]',
			profile_id: null,
			check_status: 'clean',
			check_result: null,
			checked_at: null,
			batch_id: jobs.units,
			created_at: '2026-01-01 00:00:00',
			expires_at: '2999-01-01 00:00:00'
		})
		.returning('id')
		.executeTakeFirstOrThrow();
	return row.id;
}

/**
 * The same URL with the first letter of its first segment percent-encoded (`/%61dmin/users`),
 * which SvelteKit routes exactly like the plain one (issue 10: the role gate read the URL as sent).
 */
function encoded(url: string): string {
	return url.replace(/^\/([a-z])/, (_, letter: string) => `/%${letter.charCodeAt(0).toString(16)}`);
}

async function send(
	key: string,
	who: Who,
	inside: boolean,
	variant: 'plain' | 'encoded' = 'plain'
) {
	const [method, routeId] = key.split(' ') as [Method, string];
	const route = CASES[key];
	let cookie = who === 'nobody' ? null : cookies.get(who)!;
	if (route.endsSession && who !== 'nobody') cookie = await signIn(server.origin, canLocUser(who));
	const headers: Record<string, string> = {
		accept: routeId.startsWith('/api') ? 'application/json' : 'text/html',
		origin: server.origin,
		// A new address each time, so that the matrix's own failed sign-ins never throttle it.
		'x-forwarded-for': `10.20.${Math.floor(formSerial / 250)}.${formSerial++ % 250}`
	};
	if (cookie) headers.cookie = cookie;
	const init: RequestInit = { method, headers, redirect: 'manual' };
	if (method !== 'GET') {
		headers['content-type'] = 'application/x-www-form-urlencoded';
		init.body = new URLSearchParams(route.form?.() ?? {});
	}
	const url = variant === 'encoded' ? encoded(route.url(inside)) : route.url(inside);
	const response = await fetch(`${server.origin}${url}`, init);
	return { status: response.status, body: await response.text() };
}

describe('the authorisation matrix', () => {
	it('has a case for every page and endpoint of the route tree, and no case for a route that is gone', () => {
		expect(routeTree()).toEqual(Object.keys(CASES).sort());
	});

	const whos: Who[] = [...ROLES, 'nobody'];
	for (const key of Object.keys(CASES)) {
		for (const who of whos) {
			for (const inside of [true, false]) {
				const expected = CASES[key].status(who, inside);
				it(`${key} as ${who}, unit ${inside ? 'inside' : 'outside'} the scope: ${expected}`, async () => {
					const { status, body } = await send(key, who, inside);
					expect(status).toBe(expected);
					if (who !== 'admin') {
						for (const text of forbidden) expect(body).not.toContain(text);
					}
				});
			}
		}
	}
});

describe('the authorisation matrix with percent-encoded paths', () => {
	const whos: Who[] = [...ROLES, 'nobody'];
	const encodable = Object.keys(CASES).filter((key) => CASES[key].url(true) !== '/');
	it('has an encoded variant of every route but the root', () => {
		expect(encodable).toHaveLength(Object.keys(CASES).length - 1);
		for (const key of encodable) expect(encoded(CASES[key].url(true))).toMatch(/^\/%[0-9a-f]{2}/);
	});
	for (const key of encodable) {
		for (const who of whos) {
			for (const inside of [true, false]) {
				const expected = CASES[key].status(who, inside);
				const shown = encoded(CASES[key].url(inside)).split('?')[0];
				it(`${key} as ${who} through ${shown}, unit ${inside ? 'inside' : 'outside'}: ${expected}`, async () => {
					const { status, body } = await send(key, who, inside, 'encoded');
					expect(status).toBe(expected);
					if (who !== 'admin') {
						for (const text of forbidden) expect(body).not.toContain(text);
					}
				});
			}
		}
	}
});
