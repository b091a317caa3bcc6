/**
 * A demo database for tests that sign in: the real Hà Tĩnh units, lineage and demo accounts, with
 * a fraction of the dossiers, plus one account per role bound to Huyện Can Lộc (443) and a head of
 * the neighbouring Huyện Nghi Xuân (442), so that every role has units inside and outside scope.
 */
import path from 'node:path';
import { addUser } from '../../src/lib/server/auth/users';
import { buildDemo } from '../../src/lib/server/demo';
import { openStore } from '../../src/lib/server/store';
import { ROLES, type Role } from '../../src/lib/domain/types';

export const TEST_PASSWORD = 'mật-khẩu-thử-nghiệm-2026';

/** `<role>.canloc` for each role, bound to 443. */
export const canLocUser = (role: Role) => `${role.replace('_', '-')}.canloc`;
export const NGHI_XUAN_HEAD = 'head.nghixuan';

export async function createTestDemo(dir: string, scale = 0.02): Promise<string> {
	const file = path.join(dir, 'kpi.duckdb');
	const store = await openStore(file);
	try {
		await buildDemo(store, { out: () => {}, err: () => {} }, { scale });
		for (const role of ROLES) {
			await addUser(store.db, {
				username: canLocUser(role),
				role,
				unitCode: '443',
				password: TEST_PASSWORD
			});
		}
		await addUser(store.db, {
			username: NGHI_XUAN_HEAD,
			role: 'unit_head',
			unitCode: '442',
			password: TEST_PASSWORD
		});
	} finally {
		await store.close();
	}
	return file;
}

/** Signs in through `POST /login` as a program does; the session cookie (`session=…`). */
export async function signIn(
	origin: string,
	username: string,
	password = TEST_PASSWORD,
	ip = '10.0.0.1'
): Promise<string> {
	const response = await fetch(`${origin}/login`, {
		method: 'POST',
		redirect: 'manual',
		headers: {
			origin,
			'content-type': 'application/x-www-form-urlencoded',
			'x-forwarded-for': ip
		},
		body: new URLSearchParams({ username, password })
	});
	const cookie = /session=[^;]+/.exec(response.headers.get('set-cookie') ?? '')?.[0];
	if (response.status !== 303 || !cookie) {
		throw new Error(`sign-in of ${username} failed: ${response.status} ${await response.text()}`);
	}
	return cookie;
}
