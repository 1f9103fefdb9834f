// DESIGN §15: configuration, client addresses behind a proxy, PUBLIC_URL invites, HTTPS, and a health check that reads the database.
import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { get } from 'node:https';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { ConfigError, DEFAULT_LIMITS, loadConfig } from '../../server/config.js';
import { parseTrustProxy } from '../../server/http/client-address.js';
import { api, createRound, removeDir, startTestServer, stopTestServer, tempDir, type TestServer } from './helpers.js';

const started: TestServer[] = [];
afterAll(async () => {
	for (const server of started) await stopTestServer(server);
});
async function serve(options: Parameters<typeof startTestServer>[1] = {}): Promise<TestServer> {
	const server = await startTestServer(undefined, options);
	started.push(server);
	return server;
}

/** 40 joins, each claiming another client address in X-Forwarded-For; returns the statuses. */
async function joinsFromManyAddresses(server: TestServer): Promise<number[]> {
	const facilitator = await createRound(server);
	const code = await api<{ code: string }>(server, 'POST', `/api/rounds/${facilitator.roundId}/invites`, {}, facilitator.token);
	const statuses: number[] = [];
	for (let i = 0; i < 40; i++) {
		const response = await fetch(`${server.url}/api/rounds/${facilitator.roundId}/join`, {
			method: 'POST',
			headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': `203.0.113.${i + 1}` },
			body: JSON.stringify({ code: code.body.code, name: `Member ${i}` })
		});
		statuses.push(response.status);
	}
	return statuses;
}

describe('TRUST_PROXY', () => {
	it('behind a trusted proxy, 40 joins from 40 client addresses are not rate-limited', async () => {
		const server = await serve({ trustProxy: parseTrustProxy('127.0.0.1,::1') as never });
		expect(new Set(await joinsFromManyAddresses(server))).toEqual(new Set([201]));
	});

	it('without TRUST_PROXY, X-Forwarded-For is ignored: a spoofed header does not escape the limit', async () => {
		const statuses = await joinsFromManyAddresses(await serve());
		expect(statuses.filter((s) => s === 429).length).toBe(40 - DEFAULT_LIMITS.joinRate.burst);
	});

	it('a hop count takes the address the last proxy saw; a list skips only listed proxies', async () => {
		const server = await serve({ trustProxy: parseTrustProxy('1') as never });
		// The client wrote the first address itself; the proxy appended the second.
		const facilitator = await createRound(server);
		const code = await api<{ code: string }>(server, 'POST', `/api/rounds/${facilitator.roundId}/invites`, {}, facilitator.token);
		const statuses: number[] = [];
		for (let i = 0; i < 40; i++) {
			const response = await fetch(`${server.url}/api/rounds/${facilitator.roundId}/join`, {
				method: 'POST',
				headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': `198.51.100.${i + 1}, 192.0.2.7` },
				body: JSON.stringify({ code: code.body.code, name: `Member ${i}` })
			});
			statuses.push(response.status);
		}
		expect(statuses.filter((s) => s === 429).length).toBe(40 - DEFAULT_LIMITS.joinRate.burst);
		expect(parseTrustProxy('10.0.0.0/33')).toMatch(/^TRUST_PROXY must be/);
		expect(parseTrustProxy('proxy.lan')).toMatch(/^TRUST_PROXY must be/);
	});
});

describe('configuration', () => {
	it('every limit comes from the environment; a bad value is one sentence naming the variable', () => {
		const config = loadConfig({ MAX_MESSAGE_BYTES: '4096', JOIN_RATE_BURST: '5', HEARTBEAT_MS: '2000', COMPACT_EVERY: '50' });
		expect(config.limits).toMatchObject({ joinRate: { burst: 5 }, heartbeatMs: 2000, compactEvery: 50 });
		expect(config.budgets).toMatchObject({ maxMessageBytes: 4096 });
		expect(loadConfig({}).limits).toEqual(DEFAULT_LIMITS);
		expect(() => loadConfig({ PORT: '70000' })).toThrow(new ConfigError('PORT must be a whole number from 0 to 65535, not "70000".'));
		expect(() => loadConfig({ MESSAGES_PER_SECOND: '1e3' })).toThrow(/^MESSAGES_PER_SECOND must be a whole number/);
		expect(() => loadConfig({ PUBLIC_URL: 'tirelire.lan' })).toThrow(/^PUBLIC_URL must be/);
		expect(() => loadConfig({ TLS_CERT: 'cert.pem' })).toThrow(/^TLS_CERT and TLS_KEY go together/);
		expect(() => loadConfig({ TRUST_PROXY: 'yes' })).toThrow(/^TRUST_PROXY must be/);
		expect(loadConfig({ PUBLIC_URL: 'http://tirelire.lan:3000/' }).publicUrl).toBe('http://tirelire.lan:3000');
	});
});

describe('PUBLIC_URL', () => {
	it('invite links are absolute from PUBLIC_URL', async () => {
		const server = await serve({ publicUrl: 'http://tirelire.lan:3000' });
		const facilitator = await createRound(server);
		const made = await api<{ code: string; url: string }>(server, 'POST', `/api/rounds/${facilitator.roundId}/invites`, {}, facilitator.token);
		expect(made.body.url).toBe(`http://tirelire.lan:3000/join#${facilitator.roundId}.${made.body.code}`);
		const listed = await api<{ url: string }[]>(server, 'GET', `/api/rounds/${facilitator.roundId}/invites`, undefined, facilitator.token);
		expect(listed.body[0]!.url).toBe(made.body.url);
	});

	it('/api/addresses lists the share address to the machine itself', async () => {
		const server = await serve({ publicUrl: 'http://tirelire.lan:3000' });
		expect((await api(server, 'GET', '/api/addresses')).body).toMatchObject({ share: 'http://tirelire.lan:3000', publicUrl: true });
		const proxied = await serve({ trustProxy: parseTrustProxy('1') as never });
		const response = await fetch(`${proxied.url}/api/addresses`, { headers: { 'X-Forwarded-For': '203.0.113.9' } });
		expect(response.status).toBe(403);
	});
});

describe('health', () => {
	it('reads the database, reports version and uptime, and answers 503 when the database fails', async () => {
		const server = await serve();
		const version = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;
		expect((await api(server, 'GET', '/api/health')).body).toMatchObject({ ok: true, version, rounds: 0, uptimeS: expect.any(Number) });
		const other = new Database(join(server.dataDir, 'tirelire.db'));
		other.exec('DROP TABLE invites; DROP TABLE members; DROP TABLE rounds');
		other.close();
		expect(await api(server, 'GET', '/api/health')).toMatchObject({ status: 503, body: { ok: false, version } });
	});
});

describe('HTTPS', () => {
	it('with TLS_CERT and TLS_KEY the API answers over HTTPS and /sync over WSS on the same port', async () => {
		const dir = tempDir();
		const certFile = join(dir, 'cert.pem');
		const keyFile = join(dir, 'key.pem');
		execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost', '-keyout', keyFile, '-out', certFile], { stdio: 'ignore' });
		const ca = readFileSync(certFile);
		const server = await serve({ tls: { certFile, keyFile } });
		expect(server.url).toMatch(/^https:\/\/localhost:/);
		const body = await new Promise<string>((resolve, reject) => {
			get(`${server.url}/api/health`, { ca }, (response) => {
				let text = '';
				response.on('data', (chunk: Buffer) => (text += chunk.toString()));
				response.on('end', () => resolve(text));
			}).on('error', reject);
		});
		expect(JSON.parse(body)).toMatchObject({ ok: true });
		const facilitator = await createRoundOverTls(server.url, ca);
		const socket = new WebSocket(`${server.url.replace('https', 'wss')}/sync/${facilitator.roundId}?token=${facilitator.token}`, { ca });
		const first = await new Promise<Buffer>((resolve, reject) => {
			socket.once('message', (data: Buffer) => resolve(data));
			socket.once('error', reject);
		});
		expect(first[0]).toBe(0); // a sync message: the WSS connection is authenticated and served
		socket.terminate();
		removeDir(dir);
	});
});

async function createRoundOverTls(url: string, ca: Buffer): Promise<{ roundId: string; token: string }> {
	const { request } = await import('node:https');
	const body = JSON.stringify({ name: 'TLS', currency: 'EUR', defaultAllocation: 100, facilitatorName: 'Ada' });
	return new Promise((resolve, reject) => {
		const req = request(`${url}/api/rounds`, { method: 'POST', ca, headers: { 'Content-Type': 'application/json' } }, (response) => {
			let text = '';
			response.on('data', (chunk: Buffer) => (text += chunk.toString()));
			response.on('end', () => resolve(JSON.parse(text) as { roundId: string; token: string }));
		});
		req.on('error', reject);
		req.end(body);
	});
}
