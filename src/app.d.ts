// See https://svelte.dev/docs/kit/types#app.d.ts
import type { UrlProblem } from '$lib/domain/url-params';
import type { SessionUser } from '$lib/server/auth/users';

declare global {
	namespace App {
		interface Locals {
			/** The signed-in user (session cookie) or the API token's user; null for nobody. */
			user: SessionUser | null;
			/** The session of the cookie, to end at sign-out; null for tokens and nobody. */
			sessionId: string | null;
		}
		interface Error {
			message: string;
			/** Why a dashboard URL was refused, worded by the error page in the page's language. */
			problem?: UrlProblem;
			/** DuckDB was short of memory (http/busy.ts): answered 503, to try again. */
			busy?: boolean;
		}
		// interface PageData {}
		// interface PageState {}
		// interface Platform {}
	}
}

export {};
