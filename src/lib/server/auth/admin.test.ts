import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../../domain/types';
import { importFile } from '../import/run';
import { tempStore, UNITS_CSV, type TempStore } from '../testing/fixtures';
import {
	assertCanManage,
	assignableUnits,
	createManagedToken,
	createManagedUser,
	manageableTokens,
	manageableUsers,
	resetManagedPassword,
	revokeManagedToken,
	updateManagedUser,
	visibleUnitNames
} from './admin';
import { auditActions, auditEntries, parseAuditFilter, type AuditFilter } from './audit-log';
import { verifyPassword } from './passwords';
import { addUser, audit, type SessionUser } from './users';

const PASSWORD = 'một-mật-khẩu-dài-2026';

/** The fixture's Hà Tĩnh plus a second district, so that "another district" exists. */
const UNITS = `${UNITS_CSV}444,Huyện Nghi Xuân,district,42,,
18200,Xã Xuân Hội,commune,444,,
`;

const ACCOUNTS: { username: string; role: Role; unitCode: string }[] = [
	{ username: 'root', role: 'admin', unitCode: '42' },
	{ username: 'province.team', role: 'reform_team', unitCode: '42' },
	{ username: 'canloc.team', role: 'reform_team', unitCode: '443' },
	{ username: 'canloc.head', role: 'unit_head', unitCode: '443' },
	// An admin bound to the district: inside its scope, still never the district team's to manage.
	{ username: 'canloc.admin', role: 'admin', unitCode: '443' },
	// 18100 names a commune of Can Lộc until 30/06/2025, then one under the province.
	{ username: 'thuongloc', role: 'unit_head', unitCode: '18100' },
	{ username: 'nghixuan.head', role: 'unit_head', unitCode: '444' }
];

async function setUp(): Promise<TempStore> {
	const store = await tempStore();
	await importFile(store.db, 'units', store.file('units.csv', UNITS));
	for (const account of ACCOUNTS) await addUser(store.db, { ...account, password: PASSWORD });
	return store;
}

async function signedIn(store: TempStore, username: string): Promise<SessionUser> {
	const row = await store.db
		.selectFrom('users')
		.select(['id', 'username', 'role', 'unit_code'])
		.where('username', '=', username)
		.executeTakeFirstOrThrow();
	return { id: row.id, username, role: row.role, unitCode: row.unit_code, locale: 'vi' };
}

const actorOf = (user: SessionUser) => ({
	username: user.username,
	userId: user.id,
	ip: '10.0.0.7'
});

async function account(store: TempStore, username: string) {
	return store.db
		.selectFrom('users')
		.select(['role', 'unit_code', 'disabled', 'password_hash'])
		.where('username', '=', username)
		.executeTakeFirstOrThrow();
}

describe('accounts a manager may see and change', () => {
	let store: TempStore;
	let root: SessionUser;
	let canlocTeam: SessionUser;

	beforeAll(async () => {
		store = await setUp();
		root = await signedIn(store, 'root');
		canlocTeam = await signedIn(store, 'canloc.team');
	});
	afterAll(() => store.dispose());

	it('lists for a district reform team only the non-admin accounts of its district', async () => {
		expect(await manageableUsers(store.db, canlocTeam)).toEqual([
			{
				username: 'canloc.head',
				role: 'unit_head',
				unitCode: '443',
				unitName: 'Huyện Can Lộc',
				disabled: false,
				createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/),
				// The district ended on 30/06/2025; this fixture has no lineage to say what it became.
				unitEnded: { lastDay: '2025-06-30', became: [] }
			},
			expect.objectContaining({ username: 'canloc.team', unitCode: '443' }),
			// Named by the version the team may see, not the province's later commune of that code.
			expect.objectContaining({ username: 'thuongloc', unitName: 'Xã Thượng Lộc' })
		]);
	});

	it('lists every account for an admin, each unit by its latest name', async () => {
		const users = await manageableUsers(store.db, root);
		expect(users.map((u) => u.username)).toEqual([
			'canloc.admin',
			'canloc.head',
			'canloc.team',
			'nghixuan.head',
			'province.team',
			'root',
			'thuongloc'
		]);
		expect(users.find((u) => u.username === 'thuongloc')?.unitName).toBe('Xã Đồng Lộc');
	});

	it('lets a province reform team manage the district accounts but no admin', async () => {
		const team = await signedIn(store, 'province.team');
		expect((await manageableUsers(store.db, team)).map((u) => u.username)).toEqual([
			'canloc.head',
			'canloc.team',
			'nghixuan.head',
			'province.team',
			'thuongloc'
		]);
	});

	it('answers an account of another district, an admin and a missing one alike', async () => {
		for (const username of ['nghixuan.head', 'canloc.admin', 'root', 'nobody']) {
			await expect(assertCanManage(store.db, canlocTeam, username)).rejects.toMatchObject({
				code: 'unknown_user',
				message: `unknown user ${username}`
			});
		}
		expect(await assertCanManage(store.db, root, 'canloc.admin')).toMatchObject({
			username: 'canloc.admin',
			role: 'admin'
		});
	});

	it('refuses a district reform team any change to an account outside its district', async () => {
		const before = await account(store, 'nghixuan.head');
		const actor = actorOf(canlocTeam);
		const refusals = [
			() => updateManagedUser(store.db, canlocTeam, 'nghixuan.head', { disabled: true }, actor),
			() => updateManagedUser(store.db, canlocTeam, 'nghixuan.head', { unitCode: '443' }, actor),
			() => updateManagedUser(store.db, canlocTeam, 'canloc.admin', { role: 'leader' }, actor),
			() => resetManagedPassword(store.db, canlocTeam, 'nghixuan.head', `${PASSWORD}!`, actor)
		];
		for (const refusal of refusals) {
			await expect(refusal()).rejects.toMatchObject({ code: 'unknown_user' });
		}
		expect(await account(store, 'nghixuan.head')).toEqual(before);
		expect((await account(store, 'canloc.admin')).role).toBe('admin');
	});

	it('refuses a district reform team granting admin or a unit outside its district', async () => {
		const actor = actorOf(canlocTeam);
		const create = (role: string, unitCode: string) =>
			createManagedUser(
				store.db,
				canlocTeam,
				{ username: 'new.one', role, unitCode, password: PASSWORD },
				actor
			);
		await expect(create('admin', '443')).rejects.toMatchObject({ code: 'role' });
		await expect(create('leader', '444')).rejects.toMatchObject({
			code: 'unit',
			message: 'unknown unit 444'
		});
		// The province above the district is outside its scope too.
		await expect(create('leader', '42')).rejects.toMatchObject({ code: 'unit' });
		const change = (c: { role?: string; unitCode?: string }) =>
			updateManagedUser(store.db, canlocTeam, 'canloc.head', c, actor);
		await expect(change({ role: 'admin' })).rejects.toMatchObject({ code: 'role' });
		await expect(change({ unitCode: '18200' })).rejects.toMatchObject({ code: 'unit' });
		expect(await manageableUsers(store.db, root)).toHaveLength(ACCOUNTS.length);
		expect(await account(store, 'canloc.head')).toMatchObject({
			role: 'unit_head',
			unit_code: '443'
		});
	});

	it('lets a district reform team create, move, disable, enable and reset within its district, audited under its name', async () => {
		const actor = actorOf(canlocTeam);
		const created = await createManagedUser(
			store.db,
			canlocTeam,
			{ username: 'mylo', role: 'leader', unitCode: '18101', password: PASSWORD },
			actor
		);
		expect(created).toMatchObject({ username: 'mylo', unitName: 'Xã Mỹ Lộc', disabled: false });
		await updateManagedUser(store.db, canlocTeam, 'mylo', { unitCode: '18100' }, actor);
		await updateManagedUser(store.db, canlocTeam, 'mylo', { disabled: true }, actor);
		await updateManagedUser(store.db, canlocTeam, 'mylo', { disabled: false }, actor);
		await resetManagedPassword(store.db, canlocTeam, 'mylo', `${PASSWORD}-mới`, actor);

		const after = await account(store, 'mylo');
		expect(after).toMatchObject({ role: 'leader', unit_code: '18100', disabled: false });
		expect(await verifyPassword(after.password_hash, `${PASSWORD}-mới`)).toBe(true);
		const log = await store.db
			.selectFrom('audit_log')
			.select(['action', 'username', 'user_id', 'ip', 'detail'])
			.where('username', '=', 'canloc.team')
			.orderBy('id')
			.execute();
		const by = { username: 'canloc.team', user_id: canlocTeam.id, ip: '10.0.0.7' };
		expect(log).toEqual([
			{ ...by, action: 'user.create', detail: expect.stringContaining('"username":"mylo"') },
			{ ...by, action: 'user.update', detail: '{"username":"mylo","unit_code":"18100"}' },
			{ ...by, action: 'user.disable', detail: '{"username":"mylo","disabled":true}' },
			{ ...by, action: 'user.enable', detail: '{"username":"mylo","disabled":false}' },
			{ ...by, action: 'user.reset_password', detail: '{"username":"mylo"}' }
		]);
	});

	it('lets an admin grant admin and move an account to any unit', async () => {
		const actor = actorOf(root);
		await updateManagedUser(
			store.db,
			root,
			'nghixuan.head',
			{ role: 'admin', unitCode: '443' },
			actor
		);
		expect(await account(store, 'nghixuan.head')).toMatchObject({
			role: 'admin',
			unit_code: '443'
		});
		// Now an admin, it has left the district team's reach although its unit is in scope.
		await expect(assertCanManage(store.db, canlocTeam, 'nghixuan.head')).rejects.toMatchObject({
			code: 'unknown_user'
		});
		await updateManagedUser(
			store.db,
			root,
			'nghixuan.head',
			{ role: 'unit_head', unitCode: '444' },
			actor
		);
	});

	it('refuses changes to the manager’s own account, which the account page makes', async () => {
		for (const manager of [root, canlocTeam]) {
			const actor = actorOf(manager);
			await expect(
				updateManagedUser(store.db, manager, manager.username, { disabled: true }, actor)
			).rejects.toMatchObject({ code: 'self' });
			await expect(
				resetManagedPassword(store.db, manager, manager.username, `${PASSWORD}!`, actor)
			).rejects.toMatchObject({ code: 'self' });
			expect((await account(store, manager.username)).disabled).toBe(false);
		}
	});

	it('offers a district reform team only the units of its district as choices', async () => {
		expect(await assignableUnits(store.db, canlocTeam)).toEqual([
			// Each ended on 30/06/2025 (the team sees no later version of 18100).
			{ code: '18100', name: 'Xã Thượng Lộc', ended: true },
			{ code: '18101', name: 'Xã Mỹ Lộc', ended: true },
			{ code: '443', name: 'Huyện Can Lộc', ended: true }
		]);
		expect((await assignableUnits(store.db, root)).map((u) => u.code)).toEqual([
			'18100',
			'18101',
			'18200',
			'42',
			'42-STP',
			'443',
			'444'
		]);
	});

	it('refuses every account request from a role that manages none', async () => {
		const head = await signedIn(store, 'canloc.head');
		await expect(manageableUsers(store.db, head)).rejects.toThrow(
			'the role unit_head does not manage accounts'
		);
	});
});

describe('API tokens of managed accounts', () => {
	let store: TempStore;
	let root: SessionUser;
	let canlocTeam: SessionUser;

	beforeAll(async () => {
		store = await setUp();
		root = await signedIn(store, 'root');
		canlocTeam = await signedIn(store, 'canloc.team');
	});
	afterAll(() => store.dispose());

	const tokenRows = () =>
		store.db
			.selectFrom('api_tokens')
			.innerJoin('users', 'users.id', 'api_tokens.user_id')
			.select(['users.username', 'api_tokens.name', 'api_tokens.revoked_at'])
			.orderBy('api_tokens.name')
			.execute();

	it('creates a token for a managed account and refuses one outside the scope', async () => {
		const token = await createManagedToken(
			store.db,
			canlocTeam,
			'canloc.head',
			'Bảng tin huyện',
			actorOf(canlocTeam)
		);
		expect(token).toMatch(/^kpi_[a-z2-7]{24}\.[a-z2-7]{24}$/);
		for (const username of ['nghixuan.head', 'canloc.admin']) {
			await expect(
				createManagedToken(store.db, canlocTeam, username, 'Lấy trộm', actorOf(canlocTeam))
			).rejects.toMatchObject({ code: 'unknown_user' });
		}
		await createManagedToken(store.db, root, 'nghixuan.head', 'IOC Nghi Xuân', actorOf(root));
		expect(await tokenRows()).toEqual([
			{ username: 'canloc.head', name: 'Bảng tin huyện', revoked_at: null },
			{ username: 'nghixuan.head', name: 'IOC Nghi Xuân', revoked_at: null }
		]);
	});

	it('lists to a district reform team only the tokens of its accounts', async () => {
		expect((await manageableTokens(store.db, canlocTeam)).map((t) => t.name)).toEqual([
			'Bảng tin huyện'
		]);
		expect((await manageableTokens(store.db, root)).map((t) => t.name).sort()).toEqual([
			'Bảng tin huyện',
			'IOC Nghi Xuân'
		]);
	});

	it('revokes a managed token with an audit entry, and answers any other as unknown', async () => {
		const [own, other] = await store.db
			.selectFrom('api_tokens')
			.select(['id', 'name'])
			.orderBy('name')
			.execute();
		await expect(
			revokeManagedToken(store.db, canlocTeam, other.id, actorOf(canlocTeam))
		).rejects.toMatchObject({ code: 'unknown_token' });
		await revokeManagedToken(store.db, canlocTeam, own.id, actorOf(canlocTeam));
		// Revoked once is revoked: a second revocation finds no live token.
		await expect(
			revokeManagedToken(store.db, canlocTeam, own.id, actorOf(canlocTeam))
		).rejects.toMatchObject({ code: 'unknown_token' });

		expect((await tokenRows()).map((t) => [t.name, t.revoked_at !== null])).toEqual([
			['Bảng tin huyện', true],
			['IOC Nghi Xuân', false]
		]);
		const revocations = await store.db
			.selectFrom('audit_log')
			.select(['username', 'user_id', 'ip', 'detail'])
			.where('action', '=', 'token.revoke')
			.execute();
		expect(revocations).toEqual([
			{
				username: 'canloc.team',
				user_id: canlocTeam.id,
				ip: '10.0.0.7',
				detail: JSON.stringify({ token: own.id, name: 'Bảng tin huyện', for: 'canloc.head' })
			}
		]);
	});
});

describe('the audit log', () => {
	let store: TempStore;
	let root: SessionUser;
	let canlocTeam: SessionUser;
	/** Entry id by a short name, in the order they were logged. */
	const ids: Record<string, number> = {};

	const at = (local: string) => Date.parse(`${local}+07:00`);

	beforeAll(async () => {
		store = await setUp();
		root = await signedIn(store, 'root');
		canlocTeam = await signedIn(store, 'canloc.team');
		const head = await signedIn(store, 'canloc.head');
		const nghixuan = await signedIn(store, 'nghixuan.head');
		// Only the entries below, so that every expected list is the whole answer.
		await store.db.deleteFrom('audit_log').execute();
		const entries: [string, string, string, { username: string; userId?: string }][] = [
			['headIn', '2026-11-20T08:00:00', 'login.success', actorOf(head)],
			['teamCreate', '2026-11-21T23:59:59', 'user.create', actorOf(canlocTeam)],
			['nghixuanIn', '2026-11-22T00:00:00', 'login.success', actorOf(nghixuan)],
			['rootUpdate', '2026-11-22T10:00:00', 'user.update', actorOf(root)],
			['headOut', '2026-11-23T09:00:00', 'logout', actorOf(head)],
			// A failed sign-in under a managed username, logged before the account was found.
			['headFailure', '2026-11-23T21:30:00', 'login.failure', { username: 'canloc.head' }],
			['typo', '2026-11-24T07:00:00', 'login.failure', { username: 'canloc.hed' }]
		];
		for (const [name, time, action, actor] of entries) {
			await audit(store.db, { action, actor }, at(time));
			const { id } = await store.db
				.selectFrom('audit_log')
				.select((eb) => eb.fn.max('id').as('id'))
				.executeTakeFirstOrThrow();
			ids[name] = id;
		}
	});
	afterAll(() => store.dispose());

	const idsOf = async (principal: SessionUser, filter: Partial<AuditFilter>, pageSize?: number) =>
		(await auditEntries(store.db, principal, { page: 1, ...filter }, pageSize)).entries.map(
			(e) => e.id
		);
	const named = (...names: string[]) => names.map((name) => ids[name]);

	it('shows an admin every entry, newest first', async () => {
		expect(await idsOf(root, {})).toEqual(
			named('typo', 'headFailure', 'headOut', 'rootUpdate', 'nghixuanIn', 'teamCreate', 'headIn')
		);
		const [newest] = (await auditEntries(store.db, root, { page: 1 })).entries;
		expect(newest).toEqual({
			id: ids.typo,
			loggedAt: '2026-11-24T07:00:00',
			username: 'canloc.hed',
			action: 'login.failure',
			detail: null,
			ip: null
		});
	});

	it('shows a district reform team only the entries of the accounts it manages', async () => {
		expect(await idsOf(canlocTeam, {})).toEqual(
			named('headFailure', 'headOut', 'teamCreate', 'headIn')
		);
		expect(await auditActions(store.db, canlocTeam)).toEqual([
			'login.failure',
			'login.success',
			'logout',
			'user.create'
		]);
	});

	it('filters by username, and finds nothing for a username outside the scope', async () => {
		expect(await idsOf(canlocTeam, { username: 'canloc.head' })).toEqual(
			named('headFailure', 'headOut', 'headIn')
		);
		expect(await idsOf(canlocTeam, { username: 'nghixuan.head' })).toEqual([]);
		expect(await idsOf(root, { username: 'nghixuan.head' })).toEqual(named('nghixuanIn'));
	});

	it('filters by action', async () => {
		expect(await idsOf(root, { action: 'login.success' })).toEqual(named('nghixuanIn', 'headIn'));
		expect(await idsOf(canlocTeam, { action: 'user.update' })).toEqual([]);
	});

	it('filters by a date range including both days, whole days in local time', async () => {
		expect(await idsOf(root, { from: '2026-11-22', to: '2026-11-23' })).toEqual(
			named('headFailure', 'headOut', 'rootUpdate', 'nghixuanIn')
		);
		expect(await idsOf(root, { from: '2026-11-21', to: '2026-11-21' })).toEqual(
			named('teamCreate')
		);
		expect(await idsOf(root, { to: '2026-11-20' })).toEqual(named('headIn'));
		expect(await idsOf(canlocTeam, { from: '2026-11-21', action: 'login.failure' })).toEqual(
			named('headFailure')
		);
	});

	it('pages the answer, keeping a page past the last within the last', async () => {
		const page = (n: number) => auditEntries(store.db, root, { page: n }, 3);
		expect(await page(1)).toMatchObject({ total: 7, page: 1, pages: 3, pageSize: 3 });
		expect(await idsOf(root, { page: 2 }, 3)).toEqual(
			named('rootUpdate', 'nghixuanIn', 'teamCreate')
		);
		const last = await page(9);
		expect(last).toMatchObject({ total: 7, page: 3, pages: 3 });
		expect(last.entries.map((e) => e.id)).toEqual(named('headIn'));
		expect(await auditEntries(store.db, canlocTeam, { page: 1, username: 'nobody' }, 3)).toEqual({
			entries: [],
			total: 0,
			page: 1,
			pages: 1,
			pageSize: 3
		});
	});

	it('reads the filter from the URL, ignoring empty and malformed values', () => {
		const params = new URLSearchParams(
			'user=+canloc.head+&action=&from=2026-02-30&to=2026-11-23&page=abc'
		);
		expect(parseAuditFilter(params)).toEqual({
			username: 'canloc.head',
			action: undefined,
			from: undefined,
			to: '2026-11-23',
			page: 1
		});
		expect(parseAuditFilter(new URLSearchParams('action=logout&from=2026-11-01&page=4'))).toEqual({
			username: undefined,
			action: 'logout',
			from: '2026-11-01',
			to: undefined,
			page: 4
		});
	});

	it('ignores days outside 2000–2100, whose next day cannot even be written', () => {
		expect(parseAuditFilter(new URLSearchParams('from=0001-01-01&to=9999-12-31'))).toMatchObject({
			from: undefined,
			to: undefined
		});
	});
});

describe('unit names by code', () => {
	let store: TempStore;
	beforeAll(async () => (store = await setUp()));
	afterAll(() => store.dispose());

	it('names each code by its latest version the user may see, and no code out of scope', async () => {
		const root = await signedIn(store, 'root');
		const names = await visibleUnitNames(store.db, root, ['42', '443', '18100', '999']);
		expect(Object.fromEntries(names)).toEqual({
			'42': 'Tỉnh Hà Tĩnh',
			'443': 'Huyện Can Lộc',
			'18100': 'Xã Đồng Lộc'
		});
		const head = await signedIn(store, 'canloc.head');
		const ofHead = await visibleUnitNames(store.db, head, ['443', '18100', '444']);
		expect(Object.fromEntries(ofHead)).toEqual({
			'443': 'Huyện Can Lộc',
			'18100': 'Xã Thượng Lộc'
		});
	});
});
