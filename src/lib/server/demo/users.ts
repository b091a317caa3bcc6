/**
 * The demo's accounts, one per role, printed by the first `npm start` and listed in the README.
 * Their passwords are public: they exist to be tried, on demo data only.
 */
import type { Kysely } from 'kysely';
import type { Role } from '../../domain/types';
import { resetPassword, addUser, updateUser } from '../auth/users';
import type { Database } from '../db/schema';

export interface DemoUser {
	username: string;
	password: string;
	role: Role;
	unitCode: string;
	/** Who this account stands for, for the printed list. */
	who: string;
}

export const DEMO_USERS: readonly DemoUser[] = [
	{
		username: 'admin',
		password: 'demo-quantri-2026',
		role: 'admin',
		unitCode: '42',
		who: 'administrator'
	},
	{
		username: 'noivu',
		password: 'demo-noivu-2026',
		role: 'reform_team',
		unitCode: '42',
		who: 'reform team, Sở Nội vụ Hà Tĩnh'
	},
	{
		username: 'lanhdao',
		password: 'demo-lanhdao-2026',
		role: 'leader',
		unitCode: '42',
		who: 'provincial leader'
	},
	{
		username: 'canloc',
		password: 'demo-canloc-2026',
		role: 'unit_head',
		unitCode: '443',
		who: 'head of Huyện Can Lộc (until 30/06/2025)'
	}
];

/** Creates the demo accounts, or puts them back as shipped (role, unit, password, enabled). */
export async function ensureDemoUsers(db: Kysely<Database>): Promise<void> {
	for (const user of DEMO_USERS) {
		const existing = await db
			.selectFrom('users')
			.select('id')
			.where('username', '=', user.username)
			.executeTakeFirst();
		if (!existing) {
			await addUser(
				db,
				{
					username: user.username,
					role: user.role,
					unitCode: user.unitCode,
					password: user.password
				},
				{ username: 'demo' }
			);
			continue;
		}
		await updateUser(
			db,
			user.username,
			{ role: user.role, unitCode: user.unitCode, disabled: false },
			{ username: 'demo' }
		);
		await resetPassword(db, user.username, user.password, { username: 'demo' });
	}
}
