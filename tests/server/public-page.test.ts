// DESIGN §13: the public transparency page. A facilitator publishes a round at an unguessable link
// and revokes it; people with no token read the results and the files; an anonymous round's public
// copy names nobody; answers are cacheable with revalidation and carry the security headers.
import { beforeAll, describe, expect, it } from 'vitest';
import type { LedgerEntry } from '../../src/lib/domain/types.js';
import {
	accepted,
	api,
	bucketState,
	createBucket,
	createRound,
	invite,
	memberClient,
	roundClient,
	serverForFile,
	waitFor,
	type Client,
	type Member,
	type TestServer
} from './helpers.js';

let server: TestServer;
const { track } = serverForFile((started) => (server = started));
const ok = accepted;

interface ClosedRound {
	facilitator: Member;
	alice: Member;
	bob: Member;
	observer: Client;
	buckets: { school: string; bikes: string; choir: string };
}

/**
 * Three voters with 100.00 each. Alice and Bob give most to the school (funded), a little to the
 * bikes; Fatou, the facilitator, gives half of hers to the choir. Greedy by support funds the school
 * and the bikes; Equal Shares funds the school and the choir (a third of the people, a third of the money).
 */
async function closedRound(transparency: 'named' | 'anonymous', names: [string, string]): Promise<ClosedRound> {
	const facilitator = await createRound(server, { transparency });
	const alice = await invite(server, facilitator, names[0]);
	const bob = await invite(server, facilitator, names[1]);
	const observer = await track(roundClient(server, alice));
	const [facDoc, aliceDoc, bobDoc] = await Promise.all([
		track(memberClient(server, facilitator)),
		track(memberClient(server, alice)),
		track(memberClient(server, bob))
	]);
	const school = createBucket(observer, [{ label: 'Toit', min: 14_000 }], 'École');
	const bikes = createBucket(observer, [{ label: 'Vélos', min: 12_000 }], 'Vélos');
	const choir = createBucket(observer, [{ label: 'Partitions', min: 10_000 }], 'Chorale');
	await waitFor(() => [school, bikes, choir].every((id) => Number(bucketState(observer, id)?.minGoal) > 0), 'goals');
	for (const bucketId of [school, bikes, choir]) await ok(aliceDoc, { type: 'publish', bucketId });
	await ok(facDoc, { type: 'setPhase', phase: 'funding' });
	for (const doc of [aliceDoc, bobDoc]) {
		await ok(doc, { type: 'contribute', bucketId: school, amount: 7_000 });
		await ok(doc, { type: 'contribute', bucketId: bikes, amount: 3_000 });
	}
	await ok(facDoc, { type: 'contribute', bucketId: choir, amount: 5_000 });
	await ok(facDoc, { type: 'setPhase', phase: 'closed' });
	await waitFor(() => bucketState(observer, choir)?.status === 'unfunded', 'close');
	return { facilitator, alice, bob, observer, buckets: { school, bikes, choir } };
}

interface PublicPage {
	settings: { name: string; transparency: string };
	members: { id: string; name: string }[];
	ledger: LedgerEntry[];
	outcomes: { voters: number; greedy: string[]; mes: string[] } | null;
}

describe('a named round made public', () => {
	let round: ClosedRound;
	let token: string;

	beforeAll(async () => {
		round = await closedRound('named', ['Alice', 'Bob']);
	});

	it('§13 the round doc carries what greedy and Equal Shares would have chosen, once closed', async () => {
		const { observer, buckets } = round;
		await waitFor(() => observer.doc.getMap('outcomes').has('summary'), 'outcomes');
		const summary = observer.doc.getMap('outcomes').get('summary') as PublicPage['outcomes'];
		expect(summary?.voters).toBe(3);
		expect(summary?.greedy).toEqual([buckets.school, buckets.bikes]);
		expect(summary?.mes).toEqual([buckets.school, buckets.choir]);
	});

	it('§13 only a facilitator publishes; the link is 128 random bits; publishing again keeps it', async () => {
		const { facilitator, alice } = round;
		const path = `/api/rounds/${facilitator.roundId}/publication`;
		expect((await api(server, 'GET', path, undefined, facilitator.token)).body).toEqual({ publication: null });
		expect((await api(server, 'POST', path, undefined, alice.token)).status).toBe(403);
		expect((await api(server, 'POST', path)).status).toBe(401);
		const made = await api<{ publication: { token: string; url: string } }>(server, 'POST', path, undefined, facilitator.token);
		expect(made.status).toBe(201);
		token = made.body.publication.token;
		expect(token).toMatch(/^[A-Za-z0-9_-]{22}$/);
		expect(made.body.publication.url).toBe(`/p/${token}`);
		const again = await api<{ publication: { token: string } }>(server, 'POST', path, undefined, facilitator.token);
		expect(again.status).toBe(200);
		expect(again.body.publication.token).toBe(token);
		expect(server.logs.some((line) => line.msg === 'round published')).toBe(true);
		expect(JSON.stringify(server.logs)).not.toContain(token);
	});

	it('§13 a stranger with no token reads the results, names included in a named round', async () => {
		const page = await api<PublicPage>(server, 'GET', `/api/public/${token}`);
		expect(page.status).toBe(200);
		expect(page.body.settings.name).toBe('Assemblée 2026');
		expect(page.body.members.map((m) => m.name).sort()).toEqual(['Alice', 'Bob', 'Fatou']);
		expect(page.body.ledger.find((e) => e.type === 'contribute')?.memberId).toBeDefined();
		expect(page.body.outcomes?.mes).toEqual([round.buckets.school, round.buckets.choir]);
		for (const format of ['csv', 'json', 'pb']) {
			const file = await api(server, 'GET', `/api/public/${token}/export.${format}`);
			expect(file.status, format).toBe(200);
			expect(file.headers.get('content-disposition'), format).toMatch(/^attachment; filename="assemblee-2026[-.]/);
		}
		expect((await api(server, 'GET', `/api/public/${token}/export.csv`)).text).toContain('Alice');
	});

	it('§13 public answers are cacheable with revalidation (ETag, 304) and carry the security headers', async () => {
		for (const path of [`/api/public/${token}`, `/api/public/${token}/export.pb`]) {
			const first = await fetch(server.url + path);
			expect(first.headers.get('cache-control'), path).toBe('public, no-cache');
			expect(first.headers.get('x-content-type-options'), path).toBe('nosniff');
			expect(first.headers.get('referrer-policy'), path).toBe('no-referrer');
			const etag = first.headers.get('etag');
			expect(etag, path).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
			const second = await fetch(server.url + path, { headers: { 'If-None-Match': etag! } });
			expect(second.status, path).toBe(304);
			expect(await second.text()).toBe('');
		}
		const shell = await fetch(`${server.url}/p/${token}`);
		expect(shell.status).toBe(200);
		expect(shell.headers.get('content-security-policy')).toBe("frame-ancestors 'none'");
		expect(shell.headers.get('x-frame-options')).toBe('DENY');
		expect(await shell.text()).toMatch(/<meta http-equiv="content-security-policy" content="[^"]*script-src/);
	});

	it('§13 a revoked link is gone (410) with its files; publishing again makes a new link; a made-up one is 404', async () => {
		const { facilitator, alice } = round;
		const path = `/api/rounds/${facilitator.roundId}/publication`;
		expect((await api(server, 'DELETE', path, undefined, alice.token)).status).toBe(403);
		expect((await api(server, 'DELETE', path, undefined, facilitator.token)).status).toBe(200);
		expect((await api(server, 'DELETE', path, undefined, facilitator.token)).body).toMatchObject({ error: { code: 'not_published' } });
		const gone = await api(server, 'GET', `/api/public/${token}`);
		expect(gone.status).toBe(410);
		expect(gone.body).toMatchObject({ error: { code: 'publication_revoked' } });
		expect((await api(server, 'GET', `/api/public/${token}/export.json`)).status).toBe(410);
		const fresh = await api<{ publication: { token: string } }>(server, 'POST', path, undefined, facilitator.token);
		expect(fresh.status).toBe(201);
		expect(fresh.body.publication.token).not.toBe(token);
		expect((await api(server, 'GET', `/api/public/${fresh.body.publication.token}`)).status).toBe(200);
		expect((await api(server, 'GET', `/api/public/${token}`)).status).toBe(410);
		expect((await api(server, 'GET', `/api/public/${'A'.repeat(22)}`)).body).toMatchObject({ error: { code: 'unknown_publication' } });
		expect((await api(server, 'GET', '/api/public/short')).status).toBe(404);
	});
});

describe('an anonymous round made public', () => {
	it('§13 the page and its CSV, JSON and .pb name nobody and tie no money to a member', async () => {
		const names = ['Zoé Secrète', 'Yann Discret'];
		const round = await closedRound('anonymous', names as [string, string]);
		const made = await api<{ publication: { token: string } }>(server, 'POST', `/api/rounds/${round.facilitator.roundId}/publication`, undefined, round.facilitator.token);
		const token = made.body.publication.token;
		const page = await api<PublicPage>(server, 'GET', `/api/public/${token}`);
		expect(page.status).toBe(200);
		expect(page.body.members).toEqual([]);
		expect(page.body.outcomes?.mes).toEqual([round.buckets.school, round.buckets.choir]);
		const moves = page.body.ledger.filter((e) => ['contribute', 'withdraw', 'refund'].includes(e.type));
		expect(moves.length).toBeGreaterThan(0);
		for (const entry of moves) expect(entry.memberId).toBeUndefined();
		const ids = [round.facilitator.memberId, round.alice.memberId, round.bob.memberId];
		const bodies = { page: page.text } as Record<string, string>;
		for (const format of ['csv', 'json', 'pb']) bodies[format] = (await api(server, 'GET', `/api/public/${token}/export.${format}`)).text;
		for (const [what, body] of Object.entries(bodies)) {
			for (const name of [...names, 'Fatou']) expect(body, what).not.toContain(name);
		}
		// The .pb is ballots: its voters are numbers (toPabulib numbers an anonymous round's voters), never an id a member could look up.
		for (const id of ids) expect(bodies.pb).not.toContain(id);
		const votes = bodies.pb!.split(/VOTES\r?\nvoter_id;[^\n]*\n/)[1]!.trim().split(/\r?\n/);
		expect(votes.length).toBeGreaterThan(0);
		for (const line of votes) expect(line).toMatch(/^\d+;/);
	});
});
