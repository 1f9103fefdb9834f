// Starts the real server (the built one, as `npm start` runs it) on a free port with a fresh data
// folder, and launches Debian's Chromium through playwright-core with one context per person.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const ARTIFACTS = join(process.cwd(), 'test-results', 'e2e');

const CHROMIUM_FLAGS = [
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync'
];

function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const probe = createServer();
		probe.once('error', reject);
		probe.listen(0, '127.0.0.1', () => {
			const address = probe.address();
			const port = typeof address === 'object' && address ? address.port : 0;
			probe.close(() => resolve(port));
		});
	});
}

export interface RunningServer {
	url: string;
	dataDir: string;
	stop(): Promise<void>;
}

/** Runs dist/server/index.js in a child process and resolves once /api/health answers. */
export async function startServer(): Promise<RunningServer> {
	const port = await freePort();
	const dataDir = mkdtempSync(join(tmpdir(), 'tirelire-e2e-'));
	const url = `http://127.0.0.1:${port}`;
	const child: ChildProcess = spawn(process.execPath, ['dist/server/index.js'], {
		env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let output = '';
	child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
	child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
	const deadline = Date.now() + 20_000;
	for (;;) {
		if (child.exitCode !== null) throw new Error(`server exited early:\n${output}`);
		try {
			const response = await fetch(`${url}/api/health`);
			if (response.ok) break;
		} catch {
			// not listening yet
		}
		if (Date.now() > deadline) throw new Error(`server did not answer on ${url}:\n${output}`);
		await new Promise((resolve) => setTimeout(resolve, 100));
	}
	return {
		url,
		dataDir,
		async stop() {
			if (child.exitCode === null) {
				const exited = new Promise((resolve) => child.once('exit', resolve));
				child.kill('SIGTERM');
				await exited;
			}
			rmSync(dataDir, { recursive: true, force: true });
		}
	};
}

export async function launchBrowser(): Promise<Browser> {
	const userDataDir = mkdtempSync(join(tmpdir(), 'tirelire-chromium-'));
	return chromium.launch({
		executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
		headless: true,
		args: [...CHROMIUM_FLAGS, `--user-data-dir=${userDataDir}`]
	});
}

/** A person: their own context (cookies, IndexedDB, service worker), in a given language. */
export async function person(
	browser: Browser,
	options: { locale?: 'en-GB' | 'fr-FR'; width?: number; height?: number } = {}
): Promise<{ context: BrowserContext; page: Page; dialogs: string[] }> {
	const context = await browser.newContext({
		locale: options.locale ?? 'en-GB',
		viewport: { width: options.width ?? 1280, height: options.height ?? 900 },
		reducedMotion: 'reduce'
	});
	const page = await context.newPage();
	// Any alert/confirm a page raises is recorded and dismissed: the XSS scenario asserts there is none.
	const dialogs: string[] = [];
	page.on('dialog', (dialog) => {
		dialogs.push(dialog.message());
		void dialog.dismiss();
	});
	return { context, page, dialogs };
}

export async function screenshot(page: Page, name: string): Promise<string> {
	mkdirSync(ARTIFACTS, { recursive: true });
	const path = join(ARTIFACTS, `${name}.png`);
	await page.screenshot({ path, fullPage: false });
	return path;
}
