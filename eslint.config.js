import js from '@eslint/js';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import ts from 'typescript-eslint';
import svelteConfig from './svelte.config.js';

export default ts.config(
	{ ignores: ['build/', 'dist/', '.svelte-kit/', 'node_modules/', 'data/', 'test-results/'] },
	js.configs.recommended,
	...ts.configs.recommended,
	...svelte.configs.recommended,
	{
		languageOptions: { globals: { ...globals.browser, ...globals.node } }
	},
	{
		files: ['**/*.ts', '**/*.svelte', '**/*.svelte.ts'],
		languageOptions: {
			parserOptions: {
				projectService: true,
				extraFileExtensions: ['.svelte'],
				parser: ts.parser,
				svelteConfig
			}
		},
		rules: {
			'@typescript-eslint/no-floating-promises': 'error',
			'@typescript-eslint/no-explicit-any': 'error',
			'@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }]
		}
	},
	{
		// The service worker runs in a worker scope with its own libs and `$service-worker` module.
		files: ['src/service-worker.ts'],
		languageOptions: {
			globals: { ...globals.serviceworker },
			parserOptions: { projectService: false, project: './tsconfig.sw.json' }
		}
	},
	{
		// The money rules run unchanged in the browser and on the server: no framework, no runtime.
		files: ['src/lib/domain/**/*.ts'],
		rules: {
			'no-restricted-imports': [
				'error',
				{
					patterns: [
						{ group: ['svelte', 'svelte/*', '$app/*', '$lib/*'], message: 'The domain is framework-free.' },
						{ group: ['yjs', 'y-*', 'lib0', 'lib0/*'], message: 'The domain knows nothing of Yjs.' },
						{ group: ['dexie', 'dexie/*', 'y-dexie'], message: 'The domain knows nothing of storage.' },
						{ group: ['node:*', 'fs', 'path', 'crypto', 'ws', 'better-sqlite3'], message: 'The domain runs in browsers too.' }
					]
				}
			]
		}
	}
);
