// The JavaScript a browser downloads to show a page for the first time, gzip-compressed:
// SvelteKit's two entry chunks, the route's layout and page nodes, and every chunk they import
// statically (dynamic imports — chart.js, the Markdown lexer — are loaded later and not counted).
// Usage: npm run bench:js [-- /route/id ...]   (builds first when the build is stale)
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ensureBuilt } from '../scripts/sources.mjs';

const OUTPUT = '.svelte-kit/output/client';
const GENERATED = '.svelte-kit/generated/client-optimized';
const routes = process.argv.slice(2).length ? process.argv.slice(2) : ['/r/[roundId]', '/r/[roundId]/b/[bucketId]', '/r/[roundId]/live', '/'];

await ensureBuilt();

const manifest = JSON.parse(readFileSync(join(OUTPUT, '.vite/manifest.json'), 'utf8'));
const app = readFileSync(join(GENERATED, 'app.js'), 'utf8');
// Every route node is an entry of the manifest too: only SvelteKit's own two entries load on every page.
const entryKeys = Object.keys(manifest).filter((key) => manifest[key].isEntry && !key.includes('/nodes/'));

/** The node indexes SvelteKit loads for a route: [page, [layouts…]] in the generated dictionary. */
function nodesOf(route) {
	const escaped = route.replace(/[[\]/]/g, (c) => `\\${c}`);
	const match = new RegExp(`"${escaped}":\\s*\\[(-?\\d+)(?:,\\s*\\[([^\\]]*)\\])?`).exec(app);
	if (!match) throw new Error(`route ${route} is not in the build`);
	const layouts = (match[2] ?? '').split(',').filter(Boolean).map((n) => Math.abs(Number(n)));
	return [0, ...layouts, Math.abs(Number(match[1]))];
}

function staticClosure(keys) {
	const seen = new Set();
	const visit = (key) => {
		if (seen.has(key)) return;
		seen.add(key);
		for (const imported of manifest[key]?.imports ?? []) visit(imported);
	};
	keys.forEach(visit);
	return [...seen].map((key) => manifest[key].file).filter((file) => file.endsWith('.js'));
}

const gzipped = (file) => gzipSync(readFileSync(join(OUTPUT, file)), { level: 9 }).length;
const kb = (bytes) => (bytes / 1024).toFixed(1);

console.log('| route | files | JS raw (KB) | JS gzip (KB) |\n|---|---|---|---|');
for (const route of routes) {
	const nodeKeys = [...new Set(nodesOf(route))].map((n) => `${GENERATED}/nodes/${n}.js`);
	const files = [...new Set(staticClosure([...entryKeys, ...nodeKeys]))];
	const raw = files.reduce((sum, file) => sum + readFileSync(join(OUTPUT, file)).length, 0);
	const gzip = files.reduce((sum, file) => sum + gzipped(file), 0);
	const charts = files.some((file) => readFileSync(join(OUTPUT, file), 'utf8').includes('Chart.js v'));
	console.log(`| \`${route}\` | ${files.length} | ${kb(raw)} | ${kb(gzip)}${charts ? ' (includes chart.js!)' : ''} |`);
}
