import { paraglideVitePlugin } from '@inlang/paraglide-js';
import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
	plugins: [
		// Vietnamese by default; English when the user chose it (a cookie, set at sign-in from the
		// account and by the language switch). URLs stay the same in both (CONTRACT: /u/<code>).
		paraglideVitePlugin({
			project: './project.inlang',
			outdir: './src/lib/paraglide',
			strategy: ['cookie', 'baseLocale']
		}),
		sveltekit()
	],
	// DuckDB is a native addon: it must be loaded by Node at run time, never bundled.
	ssr: {
		external: [
			'@duckdb/node-api',
			'@duckdb/node-bindings',
			'exceljs',
			'@node-rs/argon2',
			'playwright-core',
			'@sparticuz/chromium'
		]
	},
	optimizeDeps: { exclude: ['@duckdb/node-api', '@duckdb/node-bindings'] },
	test: {
		include: ['src/**/*.test.ts', 'tests/**/*.test.ts'],
		environment: 'node',
		testTimeout: 60_000,
		hookTimeout: 300_000,
		// Each test file opens its own DuckDB file; two at a time suits the 2-core machines.
		maxWorkers: 2
	}
});
