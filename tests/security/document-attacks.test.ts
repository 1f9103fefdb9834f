// DESIGN §11: values a member writes into the round doc must have the shape the schema
// (src/lib/domain/document.ts) declares, and what funders see cannot disappear. Each attack goes
// through a stock y-websocket client against the real server; each is refused with 4403 and the
// reason code, the server's document is unchanged, and the honest members' pages keep working.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import {
	Client,
	bucketState,
	createBucket,
	createRound,
	invite,
	memberClient,
	receipt,
	receiptOf,
	roundClient,
	roundJson,
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
let clients: Client[] = [];
/** A bucket of Alice's that Bob funded: it holds money. */
let funded: string;

async function open(client: Client): Promise<Client> {
	clients.push(client);
	return client.synced();
}

/** The round as a fresh client of the facilitator sees it; the client is closed again (a member has a budget of sockets). */
async function serverView(): Promise<Record<string, unknown>> {
	const view = await roundClient(server, facilitator).synced();
	try {
		return roundJson(view);
	} finally {
		view.destroy();
	}
}

async function ok(client: Client, command: Record<string, unknown>): Promise<void> {
	const id = send(client, command);
	expect(await receiptOf(client, id), JSON.stringify(command)).toMatchObject({ ok: true });
}

/** Runs `attack` on a fresh client of `member`: refused with 4403 and `code`, and nothing changed on the server. */
async function expectRefused(member: Member, code: string, attack: (doc: Y.Doc) => void, room: 'round' | 'member' = 'round'): Promise<void> {
	const before = room === 'round' ? await serverView() : undefined;
	const hostile = await open(room === 'round' ? roundClient(server, member) : memberClient(server, member));
	attack(hostile.doc);
	const closed = await hostile.refused();
	expect(closed.code).toBe(4403);
	expect(closed.reason.split(':')[0]).toBe(code);
	if (before) expect(await serverView()).toEqual(before);
}

function bucketOf(doc: Y.Doc, id: string): Y.Map<unknown> {
	return doc.getMap('buckets').get(id) as Y.Map<unknown>;
}

function threadOf(doc: Y.Doc, id: string): Y.Array<unknown> {
	return doc.getMap('comments').get(id) as Y.Array<unknown>;
}

beforeAll(async () => {
	server = await startTestServer();
	facilitator = await createRound(server);
	alice = await invite(server, facilitator, 'Alice');
	bob = await invite(server, facilitator, 'Bob');
	const aliceRound = await open(roundClient(server, alice));
	funded = createBucket(aliceRound, [{ label: 'Peinture', min: 500 }], 'Fresque');
	await waitFor(() => bucketState(aliceRound, funded)?.minGoal === 500, 'goals');
	await ok(await open(memberClient(server, facilitator)), { type: 'setPhase', phase: 'funding' });
	await ok(await open(memberClient(server, alice)), { type: 'publish', bucketId: funded });
	await ok(await open(memberClient(server, bob)), { type: 'contribute', bucketId: funded, amount: 500 });
	await waitFor(() => bucketState(aliceRound, funded)?.status === 'funded', 'funded');
	for (const client of clients) client.destroy();
	clients = [];
});

afterEach(() => {
	for (const client of clients) client.destroy();
	clients = [];
});

afterAll(() => stopTestServer(server));

describe('§11 a member cannot break a round with a value', () => {
	it('§11 a Y.Text as a new bucket is refused (bucket_shape)', async () => {
		await expectRefused(bob, 'bucket_shape', (doc) => doc.getMap('buckets').set('bucket_text_01', new Y.Text('boom')));
	});

	it('§11 a bucket field of the wrong kind or too long is refused', async () => {
		await expectRefused(alice, 'bucket_shape', (doc) => bucketOf(doc, funded).set('title', 42));
		await expectRefused(alice, 'bucket_field', (doc) => bucketOf(doc, funded).set('title', 'x'.repeat(201)));
		await expectRefused(alice, 'bucket_field', (doc) => bucketOf(doc, funded).set('color', 'red'));
		await expectRefused(alice, 'bucket_shape', (doc) => bucketOf(doc, funded).set('description', 'plain string'));
		await expectRefused(alice, 'bucket_item', (doc) => (bucketOf(doc, funded).get('items') as Y.Array<unknown>).push([{ label: 'x', min: -5 }]));
		await expectRefused(alice, 'bucket_field', (doc) => (bucketOf(doc, funded).get('description') as Y.Text).insert(0, 'x'.repeat(20_001)));
	});

	it('§11 a comment without a numeric at, with a non-string text, or of another author is refused (comment_shape)', async () => {
		await expectRefused(bob, 'comment_shape', (doc) => threadOf(doc, funded).push([{ id: 'comment_no_at', author: bob.memberId, text: 'hi' }]));
		await expectRefused(bob, 'comment_shape', (doc) => threadOf(doc, funded).push([{ id: 'comment_bad_at', author: bob.memberId, text: 'hi', at: '1' }]));
		await expectRefused(bob, 'comment_shape', (doc) => threadOf(doc, funded).push([{ id: 'comment_obj_tx', author: bob.memberId, text: {}, at: 1 }]));
		await expectRefused(bob, 'comment_shape', (doc) => threadOf(doc, funded).push([{ id: 'comment_longer', author: bob.memberId, text: 'x'.repeat(10_001), at: 1 }]));
	});

	it('§11 a comment id already in the thread, or twice in one update, is refused (comment_duplicate)', async () => {
		const honest = await open(roundClient(server, alice));
		threadOf(honest.doc, funded).push([{ id: 'comment_first', author: alice.memberId, text: 'Bravo', at: 1 }]);
		await waitFor(() => JSON.stringify(roundJson(honest).comments).includes('comment_first'), 'honest comment');
		await serverView();
		await expectRefused(bob, 'comment_duplicate', (doc) => threadOf(doc, funded).push([{ id: 'comment_first', author: bob.memberId, text: 'me', at: 2 }]));
		const twice = { id: 'comment_twice', author: bob.memberId, text: 'again', at: 3 };
		await expectRefused(bob, 'comment_duplicate', (doc) => threadOf(doc, funded).push([twice, twice]));
	});

	it('§11 a whole comment thread cannot be deleted nor replaced (thread)', async () => {
		await expectRefused(alice, 'thread', (doc) => doc.getMap('comments').delete(funded));
		await expectRefused(alice, 'thread', (doc) => doc.getMap('comments').set(funded, new Y.Array()));
	});

	it('§11 a bucket key is never deleted nor replaced, even by its owner (bucket_deleted)', async () => {
		await expectRefused(alice, 'bucket_deleted', (doc) => doc.getMap('buckets').delete(funded));
		await expectRefused(alice, 'bucket_deleted', (doc) => doc.getMap('buckets').set(funded, new Y.Map()));
	});

	it("§11 a funded bucket's title, description and items stay: deleting one is refused (field_deleted), replacing the title is not", async () => {
		await expectRefused(alice, 'field_deleted', (doc) => bucketOf(doc, funded).delete('title'));
		await expectRefused(alice, 'field_deleted', (doc) => bucketOf(doc, funded).delete('items'));
		await expectRefused(alice, 'field_deleted', (doc) => bucketOf(doc, funded).delete('description'));
		const owner = await open(roundClient(server, alice));
		bucketOf(owner.doc, funded).set('title', 'Fresque du préau');
		const observer = await open(roundClient(server, bob));
		await waitFor(() => bucketOf(observer.doc, funded)?.get('title') === 'Fresque du préau', 'renamed title');
		expect(owner.closedWith).toBeUndefined();
	});

	it('§11 a server root does not accept a new key from a member (server_root)', async () => {
		await expectRefused(bob, 'server_root', (doc) => doc.getMap('members').set('member_new_key', { name: 'X', role: 'facilitator', active: true }));
		await expectRefused(bob, 'server_root', (doc) => doc.getMap('bucketState').set('bucket_new_key', { status: 'funded' }));
	});

	it('§11 a member doc takes no nested key nor a value without an id (command_shape)', async () => {
		await expectRefused(bob, 'command_shape', (doc) => doc.getMap('commands').set('nested_key', { id: 'command_nested', type: 'contribute' }), 'member');
		await expectRefused(bob, 'command_shape', (doc) => doc.getArray('commands').push(['not an object']), 'member');
	});
});

describe('§11 one receipt per command id', () => {
	it('§11 one command id twice in one update gets ONE receipt', async () => {
		const bobDoc = await open(memberClient(server, bob));
		const command = { id: 'command_twice_1', at: Date.now(), type: 'withdraw', bucketId: funded, amount: 1 };
		bobDoc.doc.getArray('commands').push([command, command]);
		await receiptOf(bobDoc, command.id);
		// A later command is sequenced after both copies: by its receipt, the second copy has been judged.
		const later = send(bobDoc, { type: 'withdraw', bucketId: funded, amount: 1 });
		await receiptOf(bobDoc, later);
		const receipts = bobDoc.doc.getArray<{ commandId: string }>('receipts').toArray();
		expect(receipts.filter((r) => r.commandId === command.id)).toHaveLength(1);
		expect(receipt(bobDoc, command.id)).toMatchObject({ ok: false });
	});
});
