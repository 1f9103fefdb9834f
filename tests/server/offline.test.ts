// Issue #4 §7, DESIGN §3 Offline: commands written offline are sequenced in order on reconnect;
// a bucket filled meanwhile yields partial receipts and never a total above maxGoal.
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
	bucketState,
	createBucket,
	createRound,
	invite,
	memberClient,
	receipt,
	receiptOf,
	roundClient,
	send,
	startTestServer,
	stopTestServer,
	waitFor,
	type Client,
	type TestServer
} from './helpers.js';

let server: TestServer;
const clients: Client[] = [];

beforeAll(async () => {
	server = await startTestServer();
});

afterAll(() => stopTestServer(server, clients));

it('§3 offline commands are sequenced in order; the receipt says partially accepted when the bucket filled up', async () => {
	const facilitator = await createRound(server);
	const alice = await invite(server, facilitator, 'Alice');
	const bob = await invite(server, facilitator, 'Bob');
	const track = <T extends Client>(client: T) => {
		clients.push(client);
		return client.synced();
	};
	const aliceRound = await track(roundClient(server, alice));
	const aliceDoc = await track(memberClient(server, alice));
	const facDoc = await track(memberClient(server, facilitator));
	const bobDoc = await track(memberClient(server, bob));

	const bucketId = createBucket(aliceRound, [{ label: 'Four à pain', min: 5_000, max: 6_000 }]);
	await waitFor(() => bucketState(aliceRound, bucketId)?.minGoal === 5_000, 'goals');
	expect((await receiptOf(aliceDoc, send(aliceDoc, { type: 'publish', bucketId }))).ok).toBe(true);
	expect((await receiptOf(facDoc, send(facDoc, { type: 'setPhase', phase: 'funding' }))).ok).toBe(true);

	bobDoc.provider.disconnect();
	await waitFor(() => !bobDoc.provider.wsconnected, 'Bob offline');
	const offline = [500, 700, 600].map((amount) => send(bobDoc, { type: 'contribute', bucketId, amount }));

	const filled = await receiptOf(aliceDoc, send(aliceDoc, { type: 'contribute', bucketId, amount: 5_000 }));
	expect(filled).toMatchObject({ ok: true, accepted: 5_000 });
	expect(offline.every((id) => receipt(bobDoc, id) === undefined)).toBe(true);

	bobDoc.provider.connect();
	const [first, second, third] = [
		await receiptOf(bobDoc, offline[0]!),
		await receiptOf(bobDoc, offline[1]!),
		await receiptOf(bobDoc, offline[2]!)
	];
	expect(first).toMatchObject({ ok: true, accepted: 500 });
	expect(second).toMatchObject({ ok: true, accepted: 500, reason: 'bucket_full' });
	expect(third).toMatchObject({ ok: false, reason: 'bucket_full' });
	expect(second.seq!).toBeGreaterThan(first.seq!);
	const order = bobDoc.doc.getArray<{ commandId: string }>('receipts').map((r) => r.commandId);
	expect(order.filter((id) => offline.includes(id))).toEqual(offline);

	await waitFor(() => bucketState(aliceRound, bucketId)?.total === 6_000, 'bucket total');
	expect(bucketState(aliceRound, bucketId)).toMatchObject({ status: 'funded', total: 6_000, maxGoal: 6_000 });
	expect(bobDoc.doc.getMap('wallet').get('balance')).toBe(9_000);
});

it('§3 a command id is processed once, ever: a repeated id changes nothing, another member reusing it is refused', async () => {
	const facilitator = await createRound(server);
	const alice = await invite(server, facilitator, 'Alice');
	const bob = await invite(server, facilitator, 'Bob');
	const facDoc = await memberClient(server, facilitator).synced();
	const bobDoc = await memberClient(server, bob).synced();
	clients.push(facDoc, bobDoc);
	const command = { id: 'give_alice_once', type: 'allocate', memberId: alice.memberId, amount: 500, mode: 'add', at: Date.now() };
	facDoc.doc.getArray('commands').push([command]);
	expect(await receiptOf(facDoc, command.id)).toMatchObject({ ok: true });
	facDoc.doc.getArray('commands').push([command]);
	bobDoc.doc.getArray('commands').push([{ ...command, type: 'contribute', bucketId: 'no_such_bucket', amount: 1 }]);
	expect(await receiptOf(bobDoc, command.id)).toMatchObject({ ok: false, reason: 'duplicate' });
	const aliceDoc = await memberClient(server, alice).synced();
	clients.push(aliceDoc);
	expect(aliceDoc.doc.getMap('wallet').get('allocated')).toBe(10_500);
	const observer = await roundClient(server, facilitator).synced();
	clients.push(observer);
	expect(observer.doc.getArray<{ commandId?: string }>('ledger').toArray().filter((e) => e.commandId === command.id)).toHaveLength(1);
	expect(facDoc.doc.getArray<{ commandId: string }>('receipts').toArray().filter((r) => r.commandId === command.id)).toHaveLength(1);
});
