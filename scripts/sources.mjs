// What a build depends on, and whether the last build is older than any of it.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const STAMP = 'dist/.build-stamp';
const INPUTS = ['src', 'server', 'static', 'svelte.config.js', 'vite.config.ts', 'package-lock.json'];

function newestMtime(path) {
	if (!existsSync(path)) return 0;
	const stat = statSync(path);
	if (!stat.isDirectory()) return stat.mtimeMs;
	let newest = 0;
	for (const name of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, name)));
	return newest;
}

export function buildIsStale() {
	const outputs = [STAMP, 'build/index.html', 'dist/server/index.js', '.svelte-kit/output/client/.vite/manifest.json'];
	if (!outputs.every((output) => existsSync(output))) return true;
	const built = statSync(STAMP).mtimeMs;
	return INPUTS.some((input) => newestMtime(input) > built);
}

/** Runs scripts/build.mjs when the build is missing or older than its sources. */
export async function ensureBuilt() {
	if (!buildIsStale()) return;
	const { spawnSync } = await import('node:child_process');
	console.log('Building Tirelire (first run or sources changed)…');
	const result = spawnSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
	if (result.status !== 0) process.exit(result.status ?? 1);
}
