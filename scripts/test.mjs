// `npm test`: every gate, failing on the first gate that fails. The type checks and the lint are
// single-threaded and independent, so they run side by side (each one's output is printed whole
// once it ends, not interleaved); the test suites then run one after another, since each of them
// already uses both cores or starts servers of its own.
import { spawn } from 'node:child_process';

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** Runs `npm run <script>`; `buffered` keeps its output until it ends. Resolves with its exit code and time. */
function run(script, buffered) {
	const started = Date.now();
	return new Promise((resolve) => {
		const child = spawn(npm, ['run', script], { stdio: buffered ? ['ignore', 'pipe', 'pipe'] : 'inherit' });
		const chunks = [];
		if (buffered) {
			child.stdout.on('data', (chunk) => chunks.push(chunk));
			child.stderr.on('data', (chunk) => chunks.push(chunk));
		}
		child.on('close', (code, signal) => {
			if (buffered) process.stdout.write(Buffer.concat(chunks));
			resolve({ script, code: code ?? (signal ? 1 : 0), seconds: Math.round((Date.now() - started) / 1000) });
		});
	});
}

const stages = [['check', 'lint'], ['test:unit'], ['test:server'], ['test:cluster'], ['test:e2e']];
const report = [];
for (const stage of stages) {
	console.log(`\n▶ ${stage.join(' and ')}`);
	const results = await Promise.all(stage.map((script) => run(script, stage.length > 1)));
	report.push(...results);
	const failed = results.filter((result) => result.code !== 0);
	if (failed.length > 0) {
		console.error(`\n✗ npm test: ${failed.map((result) => `${result.script} failed (exit ${result.code})`).join(', ')}`);
		process.exit(1);
	}
}
console.log(`\n✓ npm test: every gate passed (${report.map((result) => `${result.script} ${result.seconds} s`).join(', ')})`);
