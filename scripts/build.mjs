// Builds the single-page app (build/) and the server (dist/), writes the list of files the service
// worker precaches, then leaves a stamp that `npm start` compares with the sources to decide
// whether a rebuild is needed. Quiet when all goes well: the tools' progress output is shown only
// when a step fails; their warnings are shown always (except Rolldown's plugin-timings report).
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { STAMP } from './sources.mjs';

/** Lazy modules that only work online, left out of the precache (cached when first used). */
const ONLINE_ONLY = new Set([
	// chart.js, for the projector view, which shows the live round.
	'src/lib/components/live/chart-setup.ts'
]);
/** Files of static/ that offline pages use (the PNG icons are for installing the app: not needed offline). */
const STATIC_OFFLINE = ['/favicon.svg', '/manifest.webmanifest'];

/** Drops Rolldown's plugin-timings report: a block from its "[PLUGIN_TIMINGS]" line to its "See https://rolldown.rs" line. */
function withoutTimings(text) {
	let inside = false;
	return text
		.split('\n')
		.filter((line) => {
			if (line.includes('[PLUGIN_TIMINGS]')) inside = true;
			const keep = !inside;
			if (inside && line.startsWith('See https://rolldown.rs')) inside = false;
			return keep;
		})
		.join('\n');
}

function run(command, args) {
	const result = spawnSync(command, args, { encoding: 'utf8', shell: process.platform === 'win32', env: { ...process.env, FORCE_COLOR: '0' } });
	if (result.status !== 0) {
		process.stdout.write(result.stdout ?? '');
		process.stderr.write(result.stderr ?? '');
		console.error(`\nThe build failed: ${command} ${args.join(' ')}`);
		process.exit(result.status ?? 1);
	}
	// eslint-disable-next-line no-control-regex
	const warnings = withoutTimings((result.stderr ?? '').replace(/\x1b\[[0-9;]*m/g, '')).trim();
	if (warnings) console.warn(warnings);
}

/**
 * What offline needs: SvelteKit's entries, every route node, and everything they import, statically
 * or lazily (the catalogs of both languages, the Markdown lexer), except ONLINE_ONLY; with their CSS.
 */
function precacheList() {
	const manifest = JSON.parse(readFileSync('.svelte-kit/output/client/.vite/manifest.json', 'utf8'));
	const files = new Set();
	const visit = (key) => {
		const chunk = manifest[key];
		if (!chunk || ONLINE_ONLY.has(key) || files.has(`/${chunk.file}`)) return;
		files.add(`/${chunk.file}`);
		for (const css of chunk.css ?? []) files.add(`/${css}`);
		for (const asset of chunk.assets ?? []) files.add(`/${asset}`);
		for (const next of [...(chunk.imports ?? []), ...(chunk.dynamicImports ?? [])]) visit(next);
	};
	for (const [key, chunk] of Object.entries(manifest)) if (chunk.isEntry) visit(key);
	return [...files, ...STATIC_OFFLINE].sort();
}

run('npx', ['vite', 'build', '--logLevel', 'warn']);
writeFileSync('build/_app/precache.json', JSON.stringify(precacheList()) + '\n');
run('npx', ['tsc', '-p', 'server/tsconfig.json']);
mkdirSync('dist', { recursive: true });
writeFileSync(STAMP, new Date().toISOString() + '\n');
