import { fail } from '@sveltejs/kit';
import {
	actorOf,
	adminProblem,
	assignableUnits,
	createManagedUser,
	grantableRoles,
	manageableUsers,
	resetManagedPassword,
	updateManagedUser
} from '$lib/server/auth/admin';
import type { Actor, SessionUser } from '$lib/server/auth/users';
import { getStore, type Store } from '$lib/server/store';
import type { Actions, PageServerLoad, RequestEvent } from './$types';
import { readForm } from '$lib/server/http/form';

/** The accounts the signed-in manager may manage (auth/admin.ts decides which). */
export const load: PageServerLoad = async ({ locals }) => {
	const { db } = await getStore();
	const manager = locals.user!;
	return {
		users: await manageableUsers(db, manager),
		units: await assignableUnits(db, manager),
		roles: grantableRoles(manager),
		manager: {
			username: manager.username,
			managesAll: manager.role === 'admin',
			unitCode: manager.unitCode
		}
	};
};

const field = (form: FormData, name: string) => String(form.get(name) ?? '').trim();

interface Change {
	db: Store['db'];
	manager: SessionUser;
	actor: Actor;
	form: FormData;
	username: string;
}

/**
 * One change to the account the form names: done, or refused with a problem the page can show
 * (an account outside the manager's reach is refused as unknown).
 */
async function change(
	{ request, locals, getClientAddress }: RequestEvent,
	done: 'updated' | 'disabled' | 'enabled' | 'reset',
	apply: (change: Change) => Promise<void>
) {
	const { db } = await getStore();
	const form = await readForm(request);
	const username = field(form, 'username');
	const manager = locals.user!;
	try {
		await apply({ db, manager, actor: actorOf(manager, getClientAddress()), form, username });
	} catch (error) {
		const problem = adminProblem(error);
		if (problem) return fail(400, { problem, username });
		throw error;
	}
	return { done, username };
}

export const actions: Actions = {
	create: async ({ request, locals, getClientAddress }) => {
		const { db } = await getStore();
		const form = await readForm(request);
		const creating = {
			username: field(form, 'username'),
			role: field(form, 'role'),
			unitCode: field(form, 'unitCode')
		};
		const input = { ...creating, password: String(form.get('password') ?? '') };
		try {
			await createManagedUser(db, locals.user!, input, actorOf(locals.user!, getClientAddress()));
		} catch (error) {
			const problem = adminProblem(error);
			// The fields come back to be corrected; the password never goes back into the page.
			if (problem) return fail(400, { problem, creating });
			throw error;
		}
		return { done: 'created' as const, username: creating.username };
	},
	update: (event) =>
		change(event, 'updated', ({ db, manager, actor, form, username }) =>
			updateManagedUser(
				db,
				manager,
				username,
				{ role: field(form, 'role'), unitCode: field(form, 'unitCode') },
				actor
			)
		),
	disable: (event) =>
		change(event, 'disabled', ({ db, manager, actor, username }) =>
			updateManagedUser(db, manager, username, { disabled: true }, actor)
		),
	enable: (event) =>
		change(event, 'enabled', ({ db, manager, actor, username }) =>
			updateManagedUser(db, manager, username, { disabled: false }, actor)
		),
	password: (event) =>
		change(event, 'reset', ({ db, manager, actor, form, username }) =>
			resetManagedPassword(db, manager, username, String(form.get('password') ?? ''), actor)
		)
};
