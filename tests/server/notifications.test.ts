// DESIGN §12 notifications: the server writes them into each member's own doc in the turn of the
// outcome, never naming who funded what; comments (plain Yjs values) are noticed by the room's
// update hook; the member doc keeps the last NOTIFICATIONS_KEPT.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { NOTIFICATIONS_KEPT } from '../../src/lib/domain/notifications.js';
import {
	bucketState,
	createBucket,
	createRound,
	invite,
	memberClient,
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
let clients: Client[] = [];

async function open(client: Client): Promise<Client> {
	clients.push(client);
	return client.synced();
}

async function ok(client: Client, command: Record<string, unknown>): Promise<void> {
	const id = send(client, command);
	expect(await receiptOf(client, id), JSON.stringify(command)).toMatchObject({ ok: true });
}

const notifications = (client: Client) => client.doc.getArray<Record<string, unknown>>('notifications').toArray();
const kinds = (client: Client) => notifications(client).map((n) => n.kind);

/** A round in funding (anonymous unless said), with Alice's bucket (goal 500) published. */
async function setUp(transparency: 'anonymous' | 'named') {
	const facilitator = await createRound(server, { transparency });
	const alice = await invite(server, facilitator, 'Alice');
	const bob = await invite(server, facilitator, 'Bob');
	const aliceRound = await open(roundClient(server, alice));
	const bucketId = createBucket(aliceRound, [{ label: 'Peinture', min: 500 }], 'Fresque');
	await waitFor(() => bucketState(aliceRound, bucketId)?.minGoal === 500, 'goals');
	const docs = {
		facilitator: await open(memberClient(server, facilitator)),
		alice: await open(memberClient(server, alice)),
		bob: await open(memberClient(server, bob))
	};
	await ok(docs.alice, { type: 'publish', bucketId });
	await ok(docs.facilitator, { type: 'setPhase', phase: 'funding' });
	return { facilitator, alice, bob, aliceRound, bucketId, docs };
}

beforeAll(async () => {
	server = await startTestServer();
});

afterEach(() => {
	for (const client of clients) client.destroy();
	clients = [];
});

afterAll(() => stopTestServer(server));

describe('§12 notifications', () => {
	it('§12 anonymous round: the owner hears its bucket got money and was funded, without a name; everyone hears of the phase', async () => {
		const { bob, aliceRound, bucketId, docs } = await setUp('anonymous');
		expect(kinds(docs.bob)).toContain('phase');
		await ok(docs.bob, { type: 'contribute', bucketId, amount: 500 });
		await waitFor(() => kinds(docs.alice).includes('funded'), 'funded notification');
		const told = notifications(docs.alice).filter((n) => n.bucketId === bucketId);
		expect(told).toMatchObject([{ kind: 'received', amount: 500 }, { kind: 'funded' }]);
		const text = JSON.stringify(notifications(docs.alice));
		expect(text).not.toContain(bob.memberId);
		expect(text).not.toContain('Bob');
		// Numbered 1, 2, 3… for the read mark.
		expect(notifications(docs.alice).map((n) => n.n)).toEqual(notifications(docs.alice).map((_, i) => i + 1));
		expect(kinds(docs.bob)).not.toContain('received');
		// Who raised a flag is as private as who funded what: the replica's flag entry has no memberId.
		await ok(docs.facilitator, { type: 'defineGuideline', guideline: { id: 'guideline_local', title: 'Local', text: '' } });
		const flag = send(docs.bob, { type: 'raiseFlag', bucketId, guidelineId: 'guideline_local', text: 'Far away' });
		expect(await receiptOf(docs.bob, flag)).toMatchObject({ ok: true });
		const flagEntry = () => aliceRound.doc.getArray<Record<string, unknown>>('ledger').toArray().find((e) => e.type === 'flag');
		await waitFor(() => kinds(docs.alice).includes('flag') && flagEntry() !== undefined, 'flag notification and entry');
		const entry = flagEntry();
		expect(entry).toMatchObject({ commandId: flag, bucketId, text: 'Far away' });
		expect(entry).not.toHaveProperty('memberId');
	});

	it('§12 a comment tells the bucket’s owner once, not its author; a flag and its resolution tell owner and raiser', async () => {
		const { alice, bob, aliceRound, bucketId, docs } = await setUp('named');
		const bobRound = await open(roundClient(server, bob));
		await waitFor(() => bobRound.doc.getMap('comments').get(bucketId) instanceof Y.Array, 'thread');
		(aliceRound.doc.getMap('comments').get(bucketId) as Y.Array<unknown>).push([{ id: 'comment_by_owner', author: alice.memberId, text: 'Mine', at: 1 }]);
		(bobRound.doc.getMap('comments').get(bucketId) as Y.Array<unknown>).push([{ id: 'comment_by_bob1', author: bob.memberId, text: 'Bravo', at: 2 }]);
		await waitFor(() => kinds(docs.alice).includes('comment'), 'comment notification');
		await ok(docs.facilitator, { type: 'defineGuideline', guideline: { id: 'guideline_local', title: 'Local', text: '' } });
		const flag = send(docs.bob, { type: 'raiseFlag', bucketId, guidelineId: 'guideline_local', text: 'Bought far away' });
		expect(await receiptOf(docs.bob, flag)).toMatchObject({ ok: true });
		await waitFor(() => kinds(docs.alice).includes('flag'), 'flag notification');
		await ok(docs.facilitator, { type: 'resolveFlag', flagId: flag, text: 'Fine' });
		await waitFor(() => kinds(docs.alice).includes('resolved') && kinds(docs.bob).includes('resolved'), 'resolved notifications');
		expect(kinds(docs.alice).filter((k) => k === 'comment')).toHaveLength(1);
		expect(kinds(docs.bob)).not.toContain('comment');
	});

	it(`§12 a member doc keeps the last ${NOTIFICATIONS_KEPT} notifications`, async () => {
		const { bob, docs } = await setUp('named');
		for (let i = 0; i < NOTIFICATIONS_KEPT + 5; i++) send(docs.facilitator, { type: 'allocate', memberId: bob.memberId, amount: 1, mode: 'add' });
		// Joining (an allocation) and the move to funding came first: KEPT + 7 in all.
		await waitFor(() => notifications(docs.bob).at(-1)?.n === NOTIFICATIONS_KEPT + 7, 'every allocation told');
		const list = notifications(docs.bob);
		expect(list).toHaveLength(NOTIFICATIONS_KEPT);
		expect(list.map((n) => n.n)).toEqual(list.map((_, i) => (list[0]!.n as number) + i));
	});
});
