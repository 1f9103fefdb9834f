// What crosses the wire, measured in Chromium against the built server (`npm start`'s server) on
// loopback: for every response that came from the network (not from the service worker's cache),
// the encoded body plus headers that Chromium received (playwright-core's `request.sizes()`, which
// reads CDP Network.loadingFinished encodedDataLength).
//   1. First visit from an invite link: a fresh browser opens the link, the service worker installs
//      (its precache included), the person joins and the round page shows.
//   2. The round page's first load: a member with an empty HTTP cache and no service worker opens
//      the round page; the JavaScript it transfers until the network is idle.
// Usage: npm run bench:wire   (builds first when the build is stale; needs /usr/bin/chromium or CHROMIUM_PATH)
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { ensureBuilt } from '../scripts/sources.mjs';

await ensureBuilt();

const port = await new Promise((resolve, reject) => {
	const probe = createServer();
	probe.once('error', reject);
	probe.listen(0, '127.0.0.1', () => {
		const { port: free } = /** @type {import('node:net').AddressInfo} */ (probe.address());
		probe.close(() => resolve(free));
	});
});
const base = `http://127.0.0.1:${port}`;
const dataDir = mkdtempSync(join(tmpdir(), 'tirelire-wire-'));
const server = spawn(process.execPath, ['dist/server/index.js'], {
	env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir },
	stdio: 'ignore'
});
const browser = await chromium.launch({
	executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
	headless: true,
	args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking']
});

/** POSTs JSON to the API and returns the parsed answer; retries while the server is starting. */
async function post(path, body, token) {
	for (let attempt = 0; ; attempt++) {
		try {
			const headers = { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) };
			const response = await fetch(base + path, { method: 'POST', headers, body: JSON.stringify(body) });
			if (!response.ok) throw new Error(`${path} answered ${response.status}`);
			return await response.json();
		} catch (error) {
			if (attempt > 100 || server.exitCode !== null) throw error;
			await new Promise((resolve) => setTimeout(resolve, 100));
		}
	}
}

/** Records every response of a context that crossed the network, page and service worker alike. */
function recordWire(context) {
	const seen = [];
	context.on('requestfinished', async (request) => {
		const response = await request.response();
		if (!response || response.fromServiceWorker()) return;
		const sizes = await request.sizes();
		seen.push({
			url: new URL(request.url()).pathname,
			byServiceWorker: request.serviceWorker() !== null,
			bytes: sizes.responseBodySize + sizes.responseHeadersSize,
			encoding: (await response.headerValue('content-encoding')) ?? 'identity'
		});
	});
	return seen;
}

const kb = (bytes) => (bytes / 1024).toFixed(1);
const sum = (rows) => rows.reduce((total, row) => total + row.bytes, 0);
const isJs = (row) => row.url.endsWith('.js');

async function joinThrough(page, link) {
	await page.goto(link);
	await page.getByLabel('Your name').fill('Wire');
	await page.getByRole('button', { name: 'Join' }).click();
	await page.waitForURL(/\/r\/[^/]+$/);
	await page.waitForLoadState('networkidle');
}

try {
	const round = await post('/api/rounds', { name: 'Wire', currency: 'EUR', defaultAllocation: 10_000, facilitatorName: 'Fatou' });
	const invite = async () => new URL((await post(`/api/rounds/${round.roundId}/invites`, {}, round.token)).url, base).href;

	// 1. A fresh browser opens the invite link; the service worker installs and precaches.
	const visitor = await browser.newContext({ locale: 'en-GB' });
	const visited = recordWire(visitor);
	const page = await visitor.newPage();
	await joinThrough(page, await invite());
	await page.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
	await page.waitForLoadState('networkidle');
	await visitor.close();

	// 2. A member with an empty HTTP cache and no service worker opens the round page.
	const member = await browser.newContext({ locale: 'en-GB', serviceWorkers: 'block' });
	const memberPage = await member.newPage();
	await joinThrough(memberPage, await invite());
	const cdp = await member.newCDPSession(memberPage);
	await cdp.send('Network.clearBrowserCache');
	const loaded = recordWire(member);
	await memberPage.goto(`${base}/r/${round.roundId}`);
	await memberPage.waitForLoadState('networkidle');
	await member.close();

	const byWorker = visited.filter((row) => row.byServiceWorker);
	const encodings = [...new Set(visited.map((row) => row.encoding))].join(', ');
	console.log('| measured in Chromium | requests | JS (KB) | everything (KB) |\n|---|---|---|---|');
	console.log(`| first visit from an invite link, precache included | ${visited.length} | ${kb(sum(visited.filter(isJs)))} | **${kb(sum(visited))}** |`);
	console.log(`| → of which the service worker's precache | ${byWorker.length} | ${kb(sum(byWorker.filter(isJs)))} | ${kb(sum(byWorker))} |`);
	console.log(`| round page, first load (no service worker, empty cache) | ${loaded.length} | **${kb(sum(loaded.filter(isJs)))}** (${loaded.filter(isJs).length} files) | ${kb(sum(loaded))} |`);
	console.log(`\ncontent-encodings seen: ${encodings}`);
	if (process.argv.includes('--list')) for (const row of [...visited, ...loaded]) console.log(row.byServiceWorker ? 'sw  ' : 'page', row.bytes, row.encoding, row.url);
} finally {
	await browser.close();
	server.kill('SIGTERM');
	await new Promise((resolve) => (server.exitCode === null ? server.once('exit', resolve) : resolve(undefined)));
	rmSync(dataDir, { recursive: true, force: true });
}
