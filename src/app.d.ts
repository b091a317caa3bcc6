// See https://svelte.dev/docs/kit/types#app.d.ts
import type { PeriodProblem } from '$lib/domain/periods';
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
			/** A refused period (or campaign), worded by the error page in the page's language. */
			period?: PeriodProblem;
		}
		// interface PageData {}
		// interface PageState {}
		// interface Platform {}
	}
}

export {};
