import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

export default ts.config(
	{
		ignores: [
			'build/',
			'.svelte-kit/',
			'node_modules/',
			'data/',
			'tests/artifacts/',
			'src/lib/paraglide/',
			'project.inlang/'
		]
	},
	js.configs.recommended,
	...ts.configs.recommended,
	...svelte.configs.recommended,
	prettier,
	...svelte.configs.prettier,
	{
		languageOptions: { globals: { ...globals.browser, ...globals.node } },
		rules: {
			'no-undef': 'off',
			'@typescript-eslint/no-explicit-any': 'error',
			'@typescript-eslint/no-unused-vars': [
				'error',
				{ argsIgnorePattern: '^_', varsIgnorePattern: '^_' }
			]
		}
	},
	...layerRules(),
	{
		files: ['**/*.svelte', '**/*.svelte.ts', '**/*.svelte.js'],
		languageOptions: {
			parserOptions: {
				projectService: true,
				extraFileExtensions: ['.svelte'],
				parser: ts.parser,
				svelteConfig
			}
		}
	}
);

/**
 * The direction of imports (STYLE.md: file → importer → DuckDB → KPI engine → load function /
 * report → page or file), checked here rather than remembered: a folder that imports one it may
 * not fails `npm run lint`. Each entry lists the folders of src/lib/server a layer must not reach,
 * by relative path (`../kpi/…`) or `$lib/server/kpi/…`; type-only imports count too, since a
 * type is a dependency all the same.
 */
function layerRules() {
	/** @param {string[]} folders */
	const server = (folders) => ({
		regex: `^((\\.\\./)+|\\$lib/server/)(${folders.join('|')})(/|\\.js$|$)`,
		message: `this layer must not depend on ${folders.join(', ')} (the direction of imports: eslint.config.js)`
	});
	// What runs the application (the CLI's commands, the control socket, the demo, the store that
	// composes the layers, the API's summaries): no library layer may reach any of it.
	const top = ['commands', 'control', 'demo', 'store', 'overview', 'summary', 'backup', 'jobs'];
	const above = {
		db: ['units', 'kpi', 'import', 'auth', 'dashboard', ...top],
		units: ['kpi', 'import', 'auth', 'dashboard', ...top],
		kpi: ['import', 'auth', 'dashboard', ...top],
		import: ['auth', 'dashboard', ...top],
		auth: ['kpi', 'import', 'dashboard', ...top.filter((f) => f !== 'store')],
		dashboard: ['import', 'jobs', 'commands', 'control', 'demo'],
		// The export writers and the table of each dashboard page: above the pages' modules.
		export: ['import', 'jobs', 'commands', 'control', 'demo'],
		// The monthly report gathers the engine's and the pages' modules' answers: beside export.
		report: ['import', 'jobs', 'commands', 'control', 'demo'],
		demo: ['commands', 'control', 'dashboard', 'store', 'jobs'],
		// Backups copy and check the whole database: they compose the store, below the commands.
		backup: ['units', 'kpi', 'import', 'dashboard', 'jobs', 'commands', 'control', 'demo'],
		// Import jobs: the queue, uploads, history and undo, above import/ and auth/.
		jobs: ['dashboard', 'export', 'report', 'backup', 'commands', 'control', 'demo', 'store'],
		commands: ['control', 'dashboard']
	};
	/**
	 * @param {{ regex: string; message: string }[]} patterns
	 * @returns {import('eslint').Linter.RulesRecord}
	 */
	const rule = (patterns) => ({
		'no-restricted-imports': 'off',
		'@typescript-eslint/no-restricted-imports': ['error', { patterns }]
	});
	// Pages use the library, never the other way round: what a page and the server both need (the
	// chart builders the monthly report draws with) lives in src/lib. Every entry below for a
	// folder of src/lib repeats it, the last matching entry being the one that applies.
	const notRoutes = {
		regex: '(^|/)routes(/|$)',
		message: 'src/lib never imports from src/routes: move what both need into src/lib'
	};
	/** @param {{ regex: string; message: string }[]} patterns */
	const libRule = (patterns) => rule([...patterns, notRoutes]);
	return [
		{
			files: ['src/lib/**/*.ts', 'src/lib/**/*.svelte'],
			rules: libRule([])
		},
		...Object.entries(above).map(([layer, folders]) => ({
			files: [`src/lib/server/${layer}/**/*.ts`],
			ignores: ['**/*.test.ts'],
			rules: libRule([server(folders)])
		})),
		{
			// Shared by server and browser: pure rules, no I/O, nothing of the server.
			files: ['src/lib/domain/**/*.ts'],
			ignores: ['**/*.test.ts'],
			rules: libRule([
				{
					regex: '(^|/)server(/|$)|^\\$app/|^kysely$|^node:|^@duckdb/',
					message: 'domain/ is pure: no I/O, no server code'
				}
			])
		},
		{
			files: ['src/lib/components/**/*.svelte', 'src/lib/components/**/*.ts'],
			rules: libRule([
				{ regex: '^\\$lib/server(/|$)', message: 'components never reach the server' }
			])
		},
		{
			// A route never builds SQL: it calls the server libraries.
			files: ['src/routes/**/*.ts', 'src/routes/**/*.svelte'],
			rules: rule([{ regex: '^kysely$|^@duckdb/', message: 'a route never builds SQL (STYLE.md)' }])
		}
	];
}
