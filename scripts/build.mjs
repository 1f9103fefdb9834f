// Builds the single-page app (build/) and the server (dist/), then leaves a stamp that `npm start`
// compares with the sources to decide whether a rebuild is needed.
import { spawnSync } from 'node:child_process';
import { writeFileSync, mkdirSync } from 'node:fs';
import { STAMP } from './sources.mjs';

function run(command, args) {
	const result = spawnSync(command, args, { stdio: 'inherit', shell: process.platform === 'win32' });
	if (result.status !== 0) process.exit(result.status ?? 1);
}

run('npx', ['vite', 'build', '--logLevel', 'warn']);
run('npx', ['tsc', '-p', 'server/tsconfig.json']);
mkdirSync('dist', { recursive: true });
writeFileSync(STAMP, new Date().toISOString() + '\n');
