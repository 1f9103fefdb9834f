// Missing dependencies are waited for, not refused (PROTOCOL §2 Held updates): a client that wrote
// offline and writes again the instant its socket opens sends an update depending on structs the
// server has not received yet. The server holds it, asks for what it lacks, and applies it once
// the client's sync step 2 brought them; only what stays unresolvable is refused.
import * as encoding from 'lib0/encoding';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import * as Y from 'yjs';
import {
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
	type Member,
	type TestServer
} from './helpers.js';

const HELD_UPDATES = 4;
let server: TestServer;
let facilitator: Member;
let alice: Member;
const clients: Client[] = [];

beforeAll(async () => {
	server = await startTestServer(undefined, { budgets: { heldUpdates: HELD_UPDATES } });
	facilitator = await createRound(server);
	alice = await invite(server, facilitator, 'Alice');
});

afterAll(() => stopTestServer(server, clients));

const track = <T extends Client>(client: T): T => {
	clients.push(client);
	return client;
};

/** Disconnects, runs `offline`, reconnects and runs `atOpen` the instant the socket opens (before any sync message). */
async function reconnectWriting(client: Client, offline: () => void, atOpen: () => void): Promise<void> {
	client.provider.disconnect();
	await waitFor(() => !client.provider.wsconnected, 'offline');
	offline();
	const opened = ({ status }: { status: string }): void => {
		if (status !== 'connected') return;
		client.provider.off('status', opened);
		// The stock provider sends a document update as soon as it is made once connected:
		// this one leaves before the client's sync step 1 and long before the server's step 2.
		atOpen();
	};
	client.provider.on('status', opened);
	client.provider.connect();
	await waitFor(() => client.provider.synced, 'resync');
}

describe('§2 held updates', () => {
	it('§2 commands written offline and at the instant of reconnection are all sequenced, nothing refused', async () => {
		const doc = track(await memberClient(server, alice).synced());
		const offline: string[] = [];
		const atOpen: string[] = [];
		await reconnectWriting(
			doc,
			() => {
				for (let i = 0; i < 3; i++) offline.push(send(doc, { type: 'allocate', memberId: alice.memberId, amount: 1, mode: 'add' }));
			},
			() => {
				for (let i = 0; i < 2; i++) atOpen.push(send(doc, { type: 'allocate', memberId: alice.memberId, amount: 1, mode: 'add' }));
			}
		);
		for (const id of [...offline, ...atOpen]) expect(await receiptOf(doc, id)).toMatchObject({ commandId: id });
		expect(doc.closedWith).toBeUndefined();
		expect(server.logs.filter((line) => line.msg === 'update refused')).toEqual([]);
	});

	it('§2 a bucket edited offline and again at the instant of reconnection: every edit reaches the others', async () => {
		const writer = track(await roundClient(server, facilitator).synced());
		const reader = track(await roundClient(server, facilitator).synced());
		const bucketId = createBucket(writer, [{ label: 'Bois', min: 1_000 }], 'Cabane');
		await waitFor(() => reader.doc.getMap('buckets').has(bucketId), 'bucket at the reader');
		const bucket = writer.doc.getMap('buckets').get(bucketId) as Y.Map<unknown>;
		const description = bucket.get('description') as Y.Text;
		await reconnectWriting(
			writer,
			() => {
				bucket.set('title', 'Cabane à outils');
				description.insert(description.length, ' Hors ligne.');
			},
			() => description.insert(description.length, ' Au retour.')
		);
		const seen = () => reader.doc.getMap('buckets').get(bucketId) as Y.Map<unknown>;
		await waitFor(() => (seen().get('description') as Y.Text).toString().endsWith(' Hors ligne. Au retour.'), 'both edits at the reader');
		expect(seen().get('title')).toBe('Cabane à outils');
		expect(writer.closedWith).toBeUndefined();
	});
});

/** A raw socket on Alice's member doc. */
async function rawMemberSocket(): Promise<{ ws: WebSocket; closed: Promise<{ code: number; reason: string }>; step2s: () => number }> {
	const ws = new WebSocket(`${server.url.replace('http', 'ws')}/sync/${alice.roundId}/members/${alice.memberId}?token=${alice.token}`);
	let step2s = 0;
	ws.on('message', (data: Buffer) => {
		if (data[0] === 0 && data[1] === 1) step2s += 1;
	});
	const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
	await new Promise((resolve, reject) => {
		ws.once('open', resolve);
		ws.once('error', reject);
	});
	return { ws, closed, step2s: () => step2s };
}

function syncMessage(step: number, payload: Uint8Array): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, 0);
	encoding.writeVarUint(encoder, step);
	encoding.writeVarUint8Array(encoder, payload);
	return encoding.toUint8Array(encoder);
}

/** Updates each depending on the one before, the first of which never reaches the server. */
function chainWithoutItsStart(length: number): Uint8Array[] {
	const doc = new Y.Doc();
	const commands = doc.getArray('commands');
	const updates: Uint8Array[] = [];
	for (let i = 0; i <= length; i++) {
		const before = Y.encodeStateVector(doc);
		commands.push([{ id: `cmd_chain_${i}_${doc.clientID}`, type: 'allocate', amount: 1, at: 1 }]);
		updates.push(Y.encodeStateAsUpdate(doc, before));
	}
	return updates.slice(1);
}

describe('§2 held updates: bounds', () => {
	it('§2 past the count of held updates the connection is refused with 4403', async () => {
		const { ws, closed } = await rawMemberSocket();
		for (const update of chainWithoutItsStart(HELD_UPDATES + 1)) ws.send(syncMessage(2, update));
		expect(await closed).toMatchObject({ code: 4403, reason: expect.stringMatching(/waiting for missing structs/) });
	});

	it('§2 a held update still missing its structs after the client answered our sync step 1 is refused with 4403', async () => {
		const { ws, closed } = await rawMemberSocket();
		const [update] = chainWithoutItsStart(1);
		ws.send(syncMessage(2, update!));
		ws.send(syncMessage(1, Y.encodeStateAsUpdate(new Y.Doc())));
		expect(await closed).toMatchObject({ code: 4403, reason: expect.stringMatching(/never sent/) });
	});

	it('§2 under the count nothing is refused while the client has not answered', async () => {
		const { ws, closed, step2s } = await rawMemberSocket();
		for (const update of chainWithoutItsStart(HELD_UPDATES)) ws.send(syncMessage(2, update));
		// The answer to a sync step 1 sent after them proves they were handled: the socket is still open.
		ws.send(syncMessage(0, Y.encodeStateVector(new Y.Doc())));
		await waitFor(() => step2s() === 1, 'sync step 2');
		expect(ws.readyState).toBe(WebSocket.OPEN);
		ws.close();
		await closed;
	});
});
