import { sveltekit } from '@sveltejs/kit/vite';
import { defineConfig } from 'vitest/config';

export default defineConfig({
	plugins: [sveltekit()],
	server: {
		// In development the SPA proxies the API and the sync socket to a server started with `npm start`.
		proxy: {
			'/api': 'http://localhost:3000',
			'/sync': { target: 'ws://localhost:3000', ws: true }
		}
	},
	test: {
		projects: [
			{
				extends: true,
				resolve: { conditions: ['browser'] },
				test: {
					name: 'unit',
					include: ['src/**/*.test.ts'],
					environment: 'happy-dom',
					// Vitest's default leaves one of two cores idle; most of a file's time is its setup.
					maxWorkers: 2,
					setupFiles: ['./tests/setup-unit.ts']
				}
			},
			{
				extends: true,
				test: {
					name: 'server',
					include: ['server/**/*.test.ts', 'tests/server/**/*.test.ts', 'tests/security/**/*.test.ts'],
					environment: 'node',
					testTimeout: 30_000,
					hookTimeout: 60_000,
					// Each file has its own data folders, servers on free ports and PostgreSQL databases.
					fileParallelism: true,
					maxWorkers: 2
				}
			},
			{
				extends: true,
				test: {
					// Server processes against PostgreSQL and Redis (DESIGN §14); each file starts its own cluster.
					name: 'cluster',
					include: ['tests/cluster/**/*.test.ts'],
					environment: 'node',
					testTimeout: 120_000,
					hookTimeout: 120_000,
					fileParallelism: false
				}
			},
			{
				extends: true,
				test: {
					name: 'e2e',
					include: ['tests/e2e/**/*.test.ts'],
					environment: 'node',
					testTimeout: 60_000,
					hookTimeout: 180_000,
					// Each file starts its own server (free port, fresh data folder) and Chromium; the
					// tests mostly wait on the browser and the network, so two files at a time fit two cores.
					fileParallelism: true,
					maxWorkers: 2
				}
			},
			{
				extends: true,
				test: {
					name: 'bench',
					include: [],
					benchmark: { include: ['bench/**/*.bench.ts'] },
					environment: 'node'
				}
			}
		]
	}
});
