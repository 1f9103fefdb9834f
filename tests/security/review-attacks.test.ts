// DESIGN §12 with §11: the member-writable read mark (`seen`) takes a number under a declared key
// and nothing else, the server-written `notifications` root refuses members, and hostile review
// commands are answered with a refusal that costs nobody anything. Stock y-websocket clients
// against the real server; each refused write closes with 4403 and the reason code.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
	Client,
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
	type Member,
	type TestServer
} from '../server/helpers.js';

let server: TestServer;
let facilitator: Member;
let alice: Member;
let bob: Member;
let bucketId: string;
let clients: Client[] = [];

async function open(client: Client): Promise<Client> {
	clients.push(client);
	return client.synced();
}

/** `attack` on a fresh client of `member`'s doc (or another's): refused with 4403 and `code`. */
async function expectRefused(member: Member, code: string, attack: (doc: Y.Doc) => void, of = member.memberId): Promise<void> {
	const hostile = await open(memberClient(server, member, of));
	attack(hostile.doc);
	const closed = await hostile.refused();
	expect(closed.code).toBe(4403);
	expect(closed.reason.split(':')[0]).toBe(code);
}

/** What a fresh client of Bob's own doc sees in `seen` (closed again afterwards). */
async function seenOnServer(): Promise<unknown> {
	const view = await memberClient(server, bob).synced();
	try {
		return view.doc.getMap('seen').toJSON();
	} finally {
		view.destroy();
	}
}

beforeAll(async () => {
	server = await startTestServer();
	facilitator = await createRound(server);
	alice = await invite(server, facilitator, 'Alice');
	bob = await invite(server, facilitator, 'Bob');
	const aliceRound = await open(roundClient(server, alice));
	bucketId = createBucket(aliceRound, [{ label: 'Peinture', min: 500 }], 'Fresque');
	await waitFor(() => bucketState(aliceRound, bucketId)?.minGoal === 500, 'goals');
});

afterEach(() => {
	for (const client of clients) client.destroy();
	clients = [];
});

afterAll(() => stopTestServer(server));

describe('§12 read marks and notifications are guarded', () => {
	it('§12 a member writing its own notifications root is refused (server_root)', async () => {
		await expectRefused(bob, 'server_root', (doc) => doc.getArray('notifications').push([{ n: 1, at: 1, kind: 'funded' }]));
	});

	it('§12 seen takes a whole number ≥ 0 under a declared key only (seen_shape)', async () => {
		await expectRefused(bob, 'seen_shape', (doc) => doc.getMap('seen').set('notifications', 'all'));
		await expectRefused(bob, 'seen_shape', (doc) => doc.getMap('seen').set('notifications', -1));
		await expectRefused(bob, 'seen_shape', (doc) => doc.getMap('seen').set('notifications', 1.5));
		await expectRefused(bob, 'seen_shape', (doc) => doc.getMap('seen').set('notifications', new Y.Map()));
		await expectRefused(bob, 'seen_shape', (doc) => doc.getMap('seen').set('receipts', 3));
		await expectRefused(bob, 'seen_shape', (doc) => {
			const nested = new Y.Map();
			doc.getMap('seen').set('notifications', nested);
			nested.set('x', 1);
		});
		expect(await seenOnServer()).toEqual({});
	});

	it('§12 another member’s read mark is refused, also from a facilitator who may read that doc (other_member_doc)', async () => {
		await expectRefused(facilitator, 'other_member_doc', (doc) => doc.getMap('seen').set('notifications', 3), bob.memberId);
	});

	it('§12 the member moves its own read mark, also twice in one update (the first value replaced)', async () => {
		const own = await open(memberClient(server, bob));
		own.doc.getMap('seen').set('notifications', 2);
		own.doc.transact(() => {
			own.doc.getMap('seen').set('notifications', 4);
			own.doc.getMap('seen').set('notifications', 7);
		});
		// Until the server has it: a fresh view of the doc shows 7 (a refusal would close `own`).
		while (own.closedWith === undefined && JSON.stringify(await seenOnServer()) !== JSON.stringify({ notifications: 7 }));
		expect(own.closedWith).toBeUndefined();
		expect(await seenOnServer()).toEqual({ notifications: 7 });
	});
});

describe('§12 hostile review commands cost nobody anything', () => {
	it('§12 a flag with an overlong comment is invalid; a tag nobody defined is unknown_tag; a member defining tags is not_facilitator', async () => {
		const bobDoc = await open(memberClient(server, bob));
		const aliceDoc = await open(memberClient(server, alice));
		const long = send(bobDoc, { type: 'raiseFlag', bucketId, guidelineId: 'guideline_none', text: 'x'.repeat(10_000) });
		expect(await receiptOf(bobDoc, long)).toMatchObject({ ok: false, reason: 'invalid' });
		const unknown = send(aliceDoc, { type: 'tagBucket', bucketId, tags: ['tag_nobody_made'] });
		expect(await receiptOf(aliceDoc, unknown)).toMatchObject({ ok: false, reason: 'unknown_tag' });
		const self = send(bobDoc, { type: 'defineTag', tag: { id: 'tag_bob_makes', name: 'Mine', colour: 'red' } });
		expect(await receiptOf(bobDoc, self)).toMatchObject({ ok: false, reason: 'not_facilitator' });
		const colour = send(bobDoc, { type: 'defineTag', tag: { id: 'tag_bob_makes', name: 'Mine', colour: 'javascript:alert(1)' } });
		expect(await receiptOf(bobDoc, colour)).toMatchObject({ ok: false, reason: 'invalid' });
		const round = await open(roundClient(server, bob));
		expect(bucketState(round, bucketId)?.tags).toEqual([]);
	});
});
