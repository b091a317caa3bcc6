import { m } from '$lib/paraglide/messages';
import { signIn } from '$lib/server/auth/sign-in';
import type { RequestHandler } from './$types';

/**
 * `POST /login` from a program (one that does not ask for HTML; browsers get the page's form
 * action): the same sign-in, answered as CONTRACT says — a cookie and a 303, or the one generic
 * message.
 */
export const POST: RequestHandler = async (event) => {
	const outcome = await signIn(event);
	if (outcome.ok)
		return new Response(null, { status: 303, headers: { location: outcome.location } });
	const text =
		outcome.problem === 'throttled'
			? m.login_throttled({ seconds: outcome.retryAfterSeconds })
			: outcome.problem === 'missing'
				? m.login_missing()
				: m.login_invalid();
	return new Response(text, {
		status: outcome.problem === 'throttled' ? 429 : 400,
		headers: { 'content-type': 'text/plain; charset=utf-8' }
	});
};
