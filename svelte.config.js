import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';
import { CSP_DIRECTIVES } from './src/lib/server/security-headers.js';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		adapter: adapter({ out: 'build' }),
		// Kit adds the nonce of its hydration script; hooks.server.ts covers the other responses.
		csp: { mode: 'auto', directives: CSP_DIRECTIVES },
		// The cross-site form check is hooks.server.ts's (lib/server/http/origin.ts): SvelteKit's
		// answers in English. `'*'` is how SvelteKit 2.70 turns its own off (checkOrigin is deprecated).
		csrf: { trustedOrigins: ['*'] }
	}
};

export default config;
