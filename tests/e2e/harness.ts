// Starts the real server (the built one, as `npm start` runs it) on a free port with a fresh data
// folder, and launches Debian's Chromium through playwright-core with one context per person.
import { spawn, type ChildProcess } from 'node:child_process';
import { cpSync, mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach, it } from 'vitest';

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
	/** Everything the server printed so far (JSON log lines), for failure messages. */
	output(): string;
	stop(): Promise<void>;
}

/**
 * Copies the built app and server aside, so that a rebuild in the working tree while the suite runs
 * cannot swap files under the running server. The copy stays inside the project so that the
 * server's imports still find node_modules and package.json ("type": "module").
 */
function snapshotBuild(): string {
	mkdirSync(ARTIFACTS, { recursive: true });
	const app = mkdtempSync(join(ARTIFACTS, 'app-'));
	cpSync('build', join(app, 'build'), { recursive: true });
	cpSync('dist', join(app, 'dist'), { recursive: true });
	return app;
}

export interface ServerSetup {
	/** More environment for the server, given the port it will listen on (e.g. PUBLIC_URL). */
	env?: (port: number) => Record<string, string>;
}

/** Runs the built server in a child process and resolves once /api/health answers. */
export async function startServer(setup: ServerSetup = {}): Promise<RunningServer> {
	const port = await freePort();
	const dataDir = mkdtempSync(join(tmpdir(), 'tirelire-e2e-'));
	const app = snapshotBuild();
	const url = `http://127.0.0.1:${port}`;
	const child: ChildProcess = spawn(process.execPath, [join(app, 'dist', 'server', 'index.js')], {
		env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, STATIC_DIR: join(app, 'build'), ...setup.env?.(port) },
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
		output: () => output,
		async stop() {
			if (child.exitCode === null) {
				const exited = new Promise((resolve) => child.once('exit', resolve));
				child.kill('SIGTERM');
				await exited;
			}
			rmSync(dataDir, { recursive: true, force: true });
			rmSync(app, { recursive: true, force: true });
		}
	};
}

/**
 * Playwright gives the browser a throw-away profile of its own (it refuses --user-data-dir).
 * `flags` adds to the usual ones, e.g. `--host-resolver-rules` for a made-up host name.
 */
export async function launchBrowser(flags: string[] = []): Promise<Browser> {
	return chromium.launch({
		executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
		headless: true,
		args: [...CHROMIUM_FLAGS, ...flags]
	});
}

/** Every person's context still open, to picture their screens when a step fails. */
const opened = new Set<BrowserContext>();

export interface Person {
	context: BrowserContext;
	page: Page;
	/** Messages of native dialogs (alert/confirm) the page opened: the app should open none. */
	dialogs: string[];
}

/** A person: their own context (cookies, IndexedDB, service worker), in a given language. */
export async function person(
	browser: Browser,
	options: { locale?: 'en-GB' | 'fr-FR' } = {}
): Promise<Person> {
	const context = await browser.newContext({
		locale: options.locale ?? 'en-GB',
		viewport: { width: 1280, height: 900 },
		reducedMotion: 'reduce'
	});
	// Every step here takes well under a second; a missing element should fail fast, not after 30 s.
	context.setDefaultTimeout(10_000);
	const page = await context.newPage();
	opened.add(context);
	context.once('close', () => opened.delete(context));
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

/**
 * For a file whose tests are the steps of one story: once a step fails, the later ones are skipped
 * with the name of the failed step, instead of each failing on the missing state after a timeout.
 * `check` registers a test that only looks (it changes nothing the next steps need), so its
 * failure does not stop the story. Every failure pictures each person's screen.
 */
/**
 * The real server and one Chromium for a test file: started before its first test, stopped after
 * its last. Read `server` and `browser` inside hooks and tests, once they exist.
 */
export function stage(setup: ServerSetup = {}): { readonly server: RunningServer; readonly browser: Browser } {
	let server: RunningServer | undefined;
	let browser: Browser | undefined;
	beforeAll(async () => {
		server = await startServer(setup);
		browser = await launchBrowser();
	});
	afterAll(async () => {
		await browser?.close();
		await server?.stop();
	});
	const started = <T>(value: T | undefined): T => {
		if (value === undefined) throw new Error('the stage is not up yet: use it inside a hook or a test');
		return value;
	};
	return {
		get server() {
			return started(server);
		},
		get browser() {
			return started(browser);
		}
	};
}

export function storySteps(): { check: (name: string, fn: () => Promise<void>) => void } {
	let failed: string | null = null;
	const lookOnly = new Set<string>();
	beforeEach(({ task, skip, onTestFailed }) => {
		if (failed) skip(`an earlier step failed: "${failed}"`);
		onTestFailed(async () => {
			if (!lookOnly.has(task.name)) failed = task.name;
			await picture(task.name);
		});
	});
	return {
		check(name, fn) {
			lookOnly.add(name);
			it(name, fn);
		}
	};
}

/** Screenshots of every open page, named after the failed step: what each person was looking at. */
async function picture(step: string): Promise<void> {
	const slug = step.replace(/[^a-z0-9]+/gi, '-').slice(0, 60);
	let n = 0;
	for (const context of opened) {
		for (const page of context.pages()) {
			await screenshot(page, `failed-${slug}-${++n}`).catch(() => undefined);
		}
	}
}

/**
 * Waits until the service worker controls the page, so that the app shell is cached and a reload
 * without network is served from it.
 */
export async function serviceWorkerReady(page: Page): Promise<void> {
	await page.evaluate(async () => {
		await navigator.serviceWorker.ready;
		if (navigator.serviceWorker.controller) return;
		await new Promise((resolve) => navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true }));
	});
}
