import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';
import { CSP_DIRECTIVES } from './src/lib/server/security-headers.js';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		adapter: adapter({ out: 'build' }),
		// Kit adds the nonce of its hydration script; hooks.server.ts covers the other responses.
		csp: { mode: 'auto', directives: CSP_DIRECTIVES }
	}
};

export default config;
