// Issue #4 §7, DESIGN §4: hostile writes through a stock client are refused with 4403, never
// applied nor forwarded, logged without the token; the server's document is unchanged.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
	Client,
	createBucket,
	createRound,
	invite,
	memberClient,
	roundClient,
	roundJson,
	startTestServer,
	stopTestServer,
	waitFor,
	type Member,
	type TestServer
} from './helpers.js';

let server: TestServer;
let facilitator: Member;
let alice: Member;
let bob: Member;
let clients: Client[] = [];

async function open(client: Client): Promise<Client> {
	clients.push(client);
	return client.synced();
}

/** What a fresh facilitator client sees of the round doc on the server. */
async function serverView(): Promise<Record<string, unknown>> {
	return roundJson(await open(roundClient(server, facilitator)));
}

async function expectRefused(client: Client, reason: RegExp): Promise<void> {
	const closed = await client.refused();
	expect(closed.code).toBe(4403);
	expect(closed.reason).toMatch(reason);
	const logged = server.logs.find((line) => line.msg === 'update refused' || line.msg === 'connection refused');
	expect(logged).toBeDefined();
	expect(JSON.stringify(server.logs)).not.toContain(alice.token);
	expect(JSON.stringify(server.logs)).not.toContain(bob.token);
}

beforeAll(async () => {
	server = await startTestServer();
});

afterAll(() => stopTestServer(server));

describe('§4 the guard refuses', () => {
	beforeAll(async () => {
		facilitator = await createRound(server);
		alice = await invite(server, facilitator, 'Alice');
		bob = await invite(server, facilitator, 'Bob');
	});

	afterEach(() => {
		for (const client of clients) client.destroy();
		clients = [];
	});

	it('§4 a member writing the ledger', async () => {
		const before = await serverView();
		const hostile = await open(roundClient(server, bob));
		hostile.doc.getArray('ledger').push([{ seq: 99, at: 0, type: 'allocate', memberId: bob.memberId, amount: 1_000_000 }]);
		await expectRefused(hostile, /ledger is written by the server/);
		expect(await serverView()).toEqual(before);
	});

	it('§4 a member writing the round settings', async () => {
		const before = await serverView();
		const hostile = await open(roundClient(server, bob));
		hostile.doc.getMap('round').set('phase', 'closed');
		await expectRefused(hostile, /round is written by the server/);
		expect(await serverView()).toEqual(before);
	});

	it('§4 a member writing the members map', async () => {
		const before = await serverView();
		const hostile = await open(roundClient(server, bob));
		hostile.doc.getMap('members').set(bob.memberId, { name: 'Bob', role: 'facilitator', active: true });
		await expectRefused(hostile, /members is written by the server/);
		expect(await serverView()).toEqual(before);
	});

	it('§4 a member writing bucketState', async () => {
		const aliceRound = await open(roundClient(server, alice));
		const bucketId = createBucket(aliceRound, [{ label: 'Bois', min: 1_000 }]);
		await waitFor(() => aliceRound.doc.getMap('bucketState').has(bucketId), 'bucket state');
		const before = await serverView();
		const hostile = await open(roundClient(server, bob));
		hostile.doc.getMap('bucketState').set(bucketId, { status: 'funded', owners: [bob.memberId], minGoal: 0, maxGoal: 0, total: 0 });
		await expectRefused(hostile, /bucketState is written by the server/);
		expect(await serverView()).toEqual(before);
	});

	it("§4 a member opening another member's doc, and a facilitator writing into it", async () => {
		const hostile = new Client(server, `${alice.roundId}/members/${alice.memberId}`, bob.token);
		clients.push(hostile);
		expect((await hostile.refused()).code).toBe(4403);

		const aliceDoc = await open(memberClient(server, alice));
		const receiptsBefore = aliceDoc.doc.getArray('receipts').length;
		const facilitatorView = await open(memberClient(server, facilitator, alice.memberId));
		expect(facilitatorView.doc.getMap('wallet').get('balance')).toBe(10_000);
		facilitatorView.doc.getArray('commands').push([{ id: 'forged_command_1', at: 0, type: 'contribute', bucketId: 'x'.repeat(10), amount: 1 }]);
		await expectRefused(facilitatorView, /another member's document/);
		const fresh = await open(memberClient(server, alice));
		expect(fresh.doc.getArray('commands').length).toBe(aliceDoc.doc.getArray('commands').length);
		expect(fresh.doc.getArray('receipts').length).toBe(receiptsBefore);
	});

	it("§4 a member editing another member's bucket", async () => {
		const aliceRound = await open(roundClient(server, alice));
		const bucketId = createBucket(aliceRound, [{ label: 'Peinture', min: 2_000 }], 'Fresque');
		await waitFor(() => aliceRound.doc.getMap('bucketState').has(bucketId), 'bucket state');
		const hostile = await open(roundClient(server, bob));
		await waitFor(() => hostile.doc.getMap('buckets').has(bucketId), 'bucket visible to Bob');
		const before = await serverView();
		(hostile.doc.getMap('buckets').get(bucketId) as Y.Map<unknown>).set('title', 'Volé');
		await expectRefused(hostile, /another member's bucket/);
		expect(await serverView()).toEqual(before);
	});

	it("§4 a member deleting another member's comment, or writing one in their name", async () => {
		const aliceRound = await open(roundClient(server, alice));
		const bucketId = createBucket(aliceRound, [{ label: 'Scène', min: 3_000 }]);
		await waitFor(() => aliceRound.doc.getMap('comments').has(bucketId), 'comment array');
		const thread = () => aliceRound.doc.getMap('comments').get(bucketId) as Y.Array<unknown>;
		thread().push([{ id: 'comment_alice_1', author: alice.memberId, text: 'Qui vient ?', at: Date.now() }]);

		const deleter = await open(roundClient(server, bob));
		await waitFor(() => (deleter.doc.getMap('comments').get(bucketId) as Y.Array<unknown> | undefined)?.length === 1, 'comment at Bob');
		const before = await serverView();
		expect((before.comments as Record<string, unknown[]>)[bucketId]).toHaveLength(1);
		(deleter.doc.getMap('comments').get(bucketId) as Y.Array<unknown>).delete(0, 1);
		await expectRefused(deleter, /another member's comment/);
		expect(await serverView()).toEqual(before);

		const impostor = await open(roundClient(server, bob));
		(impostor.doc.getMap('comments').get(bucketId) as Y.Array<unknown>).push([
			{ id: 'comment_fake_1', author: alice.memberId, text: 'Je paie tout', at: Date.now() }
		]);
		await expectRefused(impostor, /author: you/);
		expect(await serverView()).toEqual(before);
	});

	it("§4 a forged clientID: another member's Yjs clientID is refused", async () => {
		const aliceRound = await open(roundClient(server, alice));
		createBucket(aliceRound, [{ label: 'Affiches', min: 500 }]);
		await waitFor(() => aliceRound.doc.getMap('bucketState').size > 0, 'bucket of Alice');
		const before = await serverView();
		// Yjs itself renews a clientID it sees used remotely, so the forger writes before connecting.
		const forged = new Y.Doc();
		Y.applyUpdate(forged, Y.encodeStateAsUpdate(aliceRound.doc));
		forged.clientID = aliceRound.doc.clientID;
		const offline = { doc: forged } as Client;
		createBucket(offline, [{ label: 'Imposture', min: 100 }]);
		const hostile = new Client(server, bob.roundId, bob.token, forged);
		clients.push(hostile);
		await expectRefused(hostile, /belongs to another writer/);
		expect(await serverView()).toEqual(before);
	});
});
