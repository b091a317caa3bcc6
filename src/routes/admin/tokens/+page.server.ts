import { fail } from '@sveltejs/kit';
import {
	actorOf,
	adminProblem,
	createManagedToken,
	manageableTokens,
	manageableUsers,
	revokeManagedToken
} from '$lib/server/auth/admin';
import { getStore } from '$lib/server/store';
import type { Actions, PageServerLoad } from './$types';
import { readForm } from '$lib/server/http/form';

/** The tokens of the accounts the signed-in manager may manage, and who may get a new one. */
export const load: PageServerLoad = async ({ locals }) => {
	const { db } = await getStore();
	const manager = locals.user!;
	const users = await manageableUsers(db, manager);
	return {
		tokens: await manageableTokens(db, manager),
		// A disabled account's token would open nothing (tokens.ts refuses to make one).
		owners: users.filter((u) => !u.disabled).map((u) => u.username)
	};
};

export const actions: Actions = {
	/** The token is in this one response only: only the hash of its secret is stored. */
	create: async ({ request, locals, getClientAddress, setHeaders }) => {
		const { db } = await getStore();
		const form = await readForm(request);
		const username = String(form.get('username') ?? '');
		const name = String(form.get('name') ?? '').trim();
		let token: string;
		try {
			const actor = actorOf(locals.user!, getClientAddress());
			token = await createManagedToken(db, locals.user!, username, name, actor);
		} catch (error) {
			const problem = adminProblem(error);
			if (problem) return fail(400, { problem, creating: { username, name } });
			throw error;
		}
		setHeaders({ 'cache-control': 'no-store' });
		return { created: { token, username, name } };
	},
	revoke: async ({ request, locals, getClientAddress }) => {
		const { db } = await getStore();
		const tokenId = String((await readForm(request)).get('token') ?? '');
		try {
			await revokeManagedToken(
				db,
				locals.user!,
				tokenId,
				actorOf(locals.user!, getClientAddress())
			);
		} catch (error) {
			const problem = adminProblem(error);
			if (problem) return fail(400, { problem });
			throw error;
		}
		return { revoked: true };
	}
};
