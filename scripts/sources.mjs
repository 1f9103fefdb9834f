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
	if (!existsSync(STAMP) || !existsSync('build/index.html') || !existsSync('dist/server/index.js')) return true;
	const built = statSync(STAMP).mtimeMs;
	return INPUTS.some((input) => newestMtime(input) > built);
}
