// DESIGN §5: the HTTP API's answers, errors, limits, invites, revocation; and the SPA serving.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFrameAncestors } from '../../server/http/headers.js';
import { Client, api, createRound, invite, memberClient, removeDir, roundClient, startTestServer, stopTestServer, waitFor, type TestServer } from './helpers.js';

let server: TestServer;

beforeAll(async () => {
	server = await startTestServer();
});

afterAll(() => stopTestServer(server));

describe('§5 HTTP API', () => {
	it('§5 health, unknown API paths and wrong methods answer JSON', async () => {
		expect(await api(server, 'GET', '/api/health')).toMatchObject({ status: 200, body: { ok: true } });
		expect(await api(server, 'GET', '/api/nothing')).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
		expect(await api(server, 'PUT', '/api/rounds')).toMatchObject({ status: 405, body: { error: { code: 'method_not_allowed' } } });
		expect(await api(server, 'GET', '/api/rounds/%E0%A4%A/me')).toMatchObject({ status: 400, body: { error: { code: 'bad_path' } } });
		const badRoom = new Client(server, '%E0%A4%A', 'token');
		expect((await badRoom.refused()).code).toBe(4404);
		badRoom.destroy();
	});

	it('§5 round creation: invalid bodies are 400 with a message, oversized bodies 413, then the rate limit 429', async () => {
		const invalid = await api<{ error: { code: string; message: string } }>(server, 'POST', '/api/rounds', { name: '', currency: 'XXQ' });
		expect(invalid.status).toBe(400);
		expect(invalid.body.error.code).toBe('invalid');
		expect(invalid.body.error.message).toMatch(/name|currency/);
		expect((await api(server, 'POST', '/api/rounds', '{not json')).body).toMatchObject({ error: { code: 'bad_json' } });
		const huge = await api(server, 'POST', '/api/rounds', { name: 'x'.repeat(70 * 1024) });
		expect(huge).toMatchObject({ status: 413, body: { error: { code: 'too_large' } } });
		const created = await api<{ roundId: string; memberId: string; token: string }>(server, 'POST', '/api/rounds', {
			name: 'Coop',
			currency: 'EUR',
			defaultAllocation: 1_000,
			facilitatorName: 'Zoé'
		});
		expect(created.status).toBe(201);
		expect(created.body.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
	});

	it('§5 round creation and joining are rate limited per address (429)', async () => {
		const strict = await startTestServer(undefined, { createRate: { burst: 2, perMinute: 1 }, joinRate: { burst: 2, perMinute: 1 } });
		try {
			const facilitator = await createRound(strict);
			await createRound(strict);
			const limited = await api(strict, 'POST', '/api/rounds', { name: 'Encore', currency: 'EUR', defaultAllocation: 0, facilitatorName: 'Z' });
			expect(limited).toMatchObject({ status: 429, body: { error: { code: 'rate_limited' } } });
			const code = await api<{ code: string }>(strict, 'POST', `/api/rounds/${facilitator.roundId}/invites`, {}, facilitator.token);
			let joined = 0;
			const join = () => api(strict, 'POST', `/api/rounds/${facilitator.roundId}/join`, { code: code.body.code, name: `N${++joined}` });
			expect((await join()).status).toBe(201);
			expect((await join()).status).toBe(201);
			expect((await join()).status).toBe(429);
		} finally {
			await strict.close();
			removeDir(strict.dataDir);
		}
	});

	it('§5 invites: facilitator only; codes with a use count and an expiry; me tells who the token is', async () => {
		const facilitator = await createRound(server);
		const member = await invite(server, facilitator, 'Marc');
		const me = await api(server, 'GET', `/api/rounds/${facilitator.roundId}/me`, undefined, member.token);
		expect(me.body).toEqual({ roundId: facilitator.roundId, groupId: facilitator.roundId, memberId: member.memberId, name: 'Marc', role: 'member', roundName: 'Assemblée 2026' });
		expect((await api(server, 'POST', `/api/rounds/${facilitator.roundId}/invites`, {}, member.token)).status).toBe(403);
		expect((await api(server, 'POST', `/api/rounds/${facilitator.roundId}/invites`, {})).status).toBe(401);
		expect((await api(server, 'GET', `/api/rounds/nosuchround1/me`, undefined, member.token)).status).toBe(404);

		const once = await api<{ code: string; url: string }>(server, 'POST', `/api/rounds/${facilitator.roundId}/invites`, { uses: 1 }, facilitator.token);
		expect(once.body.url).toBe(`/join#${facilitator.roundId}.${once.body.code}`);
		const join = (code: string) => api(server, 'POST', `/api/rounds/${facilitator.roundId}/join`, { code, name: 'Nina' });
		expect((await join(once.body.code)).status).toBe(201);
		expect(await join(once.body.code)).toMatchObject({ status: 403, body: { error: { code: 'invite_used_up' } } });
		const expired = await api<{ code: string }>(server, 'POST', `/api/rounds/${facilitator.roundId}/invites`, { expiresAt: Date.now() - 1 }, facilitator.token);
		expect(await join(expired.body.code)).toMatchObject({ status: 403, body: { error: { code: 'invite_expired' } } });
		expect(await join('nosuchcode')).toMatchObject({ status: 404, body: { error: { code: 'unknown_invite' } } });
		const list = await api<{ code: string; used: number; uses: number | null }[]>(server, 'GET', `/api/rounds/${facilitator.roundId}/invites`, undefined, facilitator.token);
		expect(list.body.find((i) => i.code === once.body.code)).toMatchObject({ uses: 1, used: 1 });
	});

	it('§5 revoking a member closes its live connections with 4401 and marks it inactive', async () => {
		const facilitator = await createRound(server);
		const member = await invite(server, facilitator, 'Paul');
		const live = await new Client(server, member.roundId, member.token).synced();
		const observer = await roundClient(server, facilitator).synced();
		expect((await api(server, 'DELETE', `/api/rounds/${facilitator.roundId}/members/${member.memberId}`, undefined, member.token)).status).toBe(403);
		const revoked = await api(server, 'DELETE', `/api/rounds/${facilitator.roundId}/members/${member.memberId}`, undefined, facilitator.token);
		expect(revoked.status).toBe(200);
		expect((await live.refused()).code).toBe(4401);
		await waitFor(() => (observer.doc.getMap('members').get(member.memberId) as { active: boolean }).active === false, 'inactive member');
		expect((await api(server, 'GET', `/api/rounds/${facilitator.roundId}/me`, undefined, member.token)).status).toBe(401);
		const again = new Client(server, `${member.roundId}/members/${member.memberId}`, member.token);
		expect((await again.refused()).code).toBe(4401);
		const last = await api(server, 'DELETE', `/api/rounds/${facilitator.roundId}/members/${facilitator.memberId}`, undefined, facilitator.token);
		expect(last).toMatchObject({ status: 409, body: { error: { code: 'last_facilitator' } } });
		for (const client of [live, observer, again]) client.destroy();
	});

	it('§5 tokens are stored only as hashes', async () => {
		const { existsSync, readFileSync } = await import('node:fs');
		const facilitator = await createRound(server);
		const files = ['tirelire.db', 'tirelire.db-wal'].map((name) => `${server.dataDir}/${name}`).filter((path) => existsSync(path));
		const bytes = files.map((path) => readFileSync(path).toString('latin1')).join('');
		expect(bytes).not.toContain(facilitator.token);
		expect(bytes).toContain(facilitator.memberId);
	});
});

describe('§4 sync connections', () => {
	it('§4 unknown rooms 4404, bad tokens 4401, a stranger to a member doc 4403', async () => {
		const facilitator = await createRound(server);
		const member = await invite(server, facilitator, 'Léa');
		const unknown = new Client(server, 'nosuchround1', facilitator.token);
		const badToken = new Client(server, facilitator.roundId, 'x'.repeat(43));
		const otherRound = await createRound(server);
		const wrongRound = new Client(server, otherRound.roundId, member.token);
		const clients = [unknown, badToken, wrongRound];
		expect((await unknown.refused()).code).toBe(4404);
		expect((await badToken.refused()).code).toBe(4401);
		expect((await wrongRound.refused()).code).toBe(4401);
		const noSuchMember = new Client(server, `${facilitator.roundId}/members/nosuchmember`, facilitator.token);
		clients.push(noSuchMember);
		expect((await noSuchMember.refused()).code).toBe(4404);
		const facilitatorReads = await memberClient(server, facilitator, member.memberId).synced();
		expect(facilitatorReads.doc.getMap('wallet').get('allocated')).toBe(10_000);
		for (const client of [...clients, facilitatorReads]) client.destroy();
	});
});

describe('the built SPA', () => {
	const get = (path: string, headers: Record<string, string> = {}) => fetch(server.url + path, { headers });
	/** The first hashed script the shell loads. */
	async function someChunk(): Promise<string> {
		const html = await (await get('/')).text();
		const asset = /\/_app\/immutable\/[^"]+\.js/.exec(html)?.[0];
		if (!asset) throw new Error('the shell names no hashed script');
		return asset;
	}

	it('serves files with their MIME type and falls back to the shell for page routes only', async () => {
		const index = await get('/');
		expect(index.status).toBe(200);
		expect(index.headers.get('content-type')).toMatch(/^text\/html; ?charset=utf-8$/);
		const html = await index.text();
		const route = await get('/r/someround/b/somebucket');
		expect(await route.text()).toBe(html);
		expect(route.headers.get('cache-control')).toBe('no-cache');
		const js = await get(await someChunk());
		expect(js.headers.get('content-type')).toMatch(/^text\/javascript/);
		expect(js.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
		const manifest = await get('/manifest.webmanifest');
		expect(manifest.headers.get('content-type')).toMatch(/^application\/manifest\+json/);
		expect(manifest.headers.get('cache-control')).toBe('no-cache');
	});

	it('a missing hashed file or static file is a 404, not the shell', async () => {
		for (const path of ['/_app/immutable/chunks/Gone1234.js', '/_app/immutable/nodes/', '/_app/version', '/missing.png']) {
			const answer = await get(path);
			expect(answer.status, path).toBe(404);
			expect(await answer.text(), path).not.toContain('<html');
		}
	});

	it('answers brotli or gzip as the browser accepts, with Vary, and identity otherwise', async () => {
		const chunk = await someChunk();
		const plain = await fetch(server.url + chunk, { headers: { 'accept-encoding': 'identity' } });
		const body = await plain.text();
		for (const [accepted, expected] of [['br, gzip', 'br'], ['gzip', 'gzip'], ['identity', null]] as const) {
			const answer = await fetch(server.url + chunk, { headers: { 'accept-encoding': accepted } });
			expect(answer.headers.get('content-encoding'), accepted).toBe(expected);
			expect(answer.headers.get('vary'), accepted).toBe('Accept-Encoding');
			// fetch decodes what it receives: every variant is the same script.
			expect(await answer.text(), accepted).toBe(body);
		}
		const shell = await get('/r/x', { 'accept-encoding': 'br' });
		expect(shell.headers.get('content-encoding')).toBe('br');
		expect(Number(shell.headers.get('content-length'))).toBeLessThan(Buffer.byteLength(await (await get('/', { 'accept-encoding': 'identity' })).text()));
	});

	it('revalidation: ETag and Last-Modified, then a 304 with the caching headers', async () => {
		for (const path of ['/', await someChunk()]) {
			const first = await get(path, { 'accept-encoding': 'gzip' });
			const etag = first.headers.get('etag');
			expect(etag, path).toBeTruthy();
			expect(first.headers.get('last-modified'), path).toBeTruthy();
			const again = await get(path, { 'accept-encoding': 'gzip', 'if-none-match': etag as string });
			expect(again.status, path).toBe(304);
			expect(await again.text(), path).toBe('');
			expect(again.headers.get('vary'), path).toBe('Accept-Encoding');
			expect(again.headers.get('cache-control'), path).toBe(first.headers.get('cache-control'));
			expect((await get(path, { 'accept-encoding': 'gzip', 'if-none-match': 'W/"other"' })).status, path).toBe(200);
		}
	});

	it('no path reaches outside build/: traversal attempts answer 400 or 404 and never the file', async () => {
		const attempts = [
			'/..%2fpackage.json',
			'/..%2f..%2fpackage.json',
			'/%2e%2e/package.json',
			'/%2e%2e%2fpackage.json',
			'/..%5cpackage.json',
			'/_app/..%2f..%2fpackage.json',
			'/_app/immutable/..%2f..%2f..%2fpackage.json',
			'/%252e%252e%252fpackage.json',
			'/..%00/package.json',
			'/%c0%ae%c0%ae/package.json',
			'/.%2e/server/index.ts',
			'//..%2f..%2fpackage.json'
		];
		for (const path of attempts) {
			const answer = await get(path);
			expect([400, 404], path).toContain(answer.status);
			const text = await answer.text();
			expect(text, path).not.toContain('"name": "tirelire"');
			expect(text, path).not.toContain('startServer');
		}
		// Encoded separators and dot segments are refused outright.
		for (const path of ['/..%2fpackage.json', '/..%5cpackage.json', '/..%00/package.json']) {
			expect(await api(server, 'GET', path), path).toMatchObject({ status: 400, body: { error: { code: 'bad_path' } } });
		}
		expect((await api(server, 'GET', '/%E0%A4%A')).status).toBe(400);
		expect((await fetch(`${server.url}/`, { method: 'POST' })).status).toBe(405);
	});

	it('security headers: pages cannot be framed and get a CSP; every answer has nosniff and no referrer; API stays no-store', async () => {
		for (const path of ['/', '/r/x', '/r/x/live', '/index.html']) {
			const page = await get(path);
			expect(page.headers.get('content-security-policy'), path).toBe("frame-ancestors 'none'");
			expect(page.headers.get('x-frame-options'), path).toBe('DENY');
			expect(page.headers.get('permissions-policy'), path).toMatch(/camera=\(\).*microphone=\(\).*geolocation=\(\)/);
			// The script policy comes with the shell, hashed at build time.
			const meta = /<meta http-equiv="content-security-policy" content="([^"]+)"/.exec(await page.text())?.[1];
			expect(meta, path).toMatch(/script-src 'self' 'sha256-[^']+'/);
			expect(meta, path).not.toMatch(/script-src[^;]*unsafe-inline/);
		}
		for (const path of ['/', await someChunk(), '/api/health', '/api/nothing']) {
			const answer = await get(path);
			expect(answer.headers.get('x-content-type-options'), path).toBe('nosniff');
			expect(answer.headers.get('referrer-policy'), path).toBe('no-referrer');
			expect(answer.headers.get('strict-transport-security'), `${path} over plain HTTP`).toBeNull();
		}
		expect((await get('/api/health')).headers.get('cache-control')).toBe('no-store');
	});

	it('FRAME_ANCESTORS lets the listed origins frame the projector view, and nothing else', async () => {
		const framed = await startTestServer(undefined, { frameAncestors: parseFrameAncestors("https://screen.example.org, 'self'") });
		try {
			const live = await fetch(`${framed.url}/r/abc/live`);
			expect(live.headers.get('content-security-policy')).toBe("frame-ancestors https://screen.example.org 'self'");
			expect(live.headers.get('x-frame-options')).toBeNull();
			const round = await fetch(`${framed.url}/r/abc`);
			expect(round.headers.get('content-security-policy')).toBe("frame-ancestors 'none'");
			expect(round.headers.get('x-frame-options')).toBe('DENY');
		} finally {
			await stopTestServer(framed);
		}
		expect(parseFrameAncestors(undefined)).toEqual([]);
		for (const wrong of ['*', 'https://a.org;script-src', "'unsafe-inline'", 'javascript:x', 'https://*']) {
			expect(() => parseFrameAncestors(wrong), wrong).toThrow(/FRAME_ANCESTORS/);
		}
	});
});
