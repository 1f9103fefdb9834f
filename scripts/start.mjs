// `npm start`: build what is missing or out of date, then run the server in this process.
import { spawnSync } from 'node:child_process';
import { buildIsStale } from './sources.mjs';

if (buildIsStale()) {
	console.log('Building Tirelire (first start or sources changed)…');
	const result = spawnSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
	if (result.status !== 0) process.exit(result.status ?? 1);
}

await import('../dist/server/index.js');
