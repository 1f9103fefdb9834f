// Runs the browser tests against the real server in Debian's Chromium.
// Without Chromium they are skipped with a plain message, except under CI, where they are required.
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { ensureBuilt } from '../../scripts/sources.mjs';

const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

if (!existsSync(chromium)) {
	const message = `Chromium was not found at ${chromium}.`;
	if (process.env.CI) {
		console.error(`${message} The browser tests are required in CI: install it with "apt-get install -y chromium".`);
		process.exit(1);
	}
	console.warn(
		`\nBROWSER TESTS SKIPPED: ${message}\n` +
			'Install Debian\'s Chromium with "sudo apt-get update && sudo apt-get install -y chromium"\n' +
			'(or set CHROMIUM_PATH to a Chromium binary), then run "npm run test:e2e".\n'
	);
	process.exit(0);
}

await ensureBuilt();

// Screenshots of an earlier run (failure pictures included) would be mistaken for this one's.
rmSync('test-results/e2e', { recursive: true, force: true });

// Extra arguments pick test files: `node tests/e2e/run.mjs tests/e2e/projector.test.ts`.
const tests = spawnSync('npx', ['vitest', 'run', '--project', 'e2e', ...process.argv.slice(2)], {
	stdio: 'inherit',
	env: { ...process.env, CHROMIUM_PATH: chromium }
});
process.exit(tests.status ?? 1);
