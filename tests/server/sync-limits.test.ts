// DESIGN §4 other limits: message size (4413), message rate (4429), garbage never crashes the
// process; awareness is relayed between members and a forged awareness clientID is dropped.
import * as encoding from 'lib0/encoding';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { api, createRound, invite, roundClient, startTestServer, stopTestServer, waitFor, type Member, type TestServer } from './helpers.js';

let server: TestServer;
let facilitator: Member;
let alice: Member;

beforeAll(async () => {
	server = await startTestServer(undefined, { maxMessageBytes: 4_096, messagesPerSecond: 20, messageBurst: 20 });
	facilitator = await createRound(server);
	alice = await invite(server, facilitator, 'Alice');
});

afterAll(() => stopTestServer(server));

/** A raw socket on a room, recording how it was closed. */
async function rawSocket(
	member: Member
): Promise<{ ws: WebSocket; closed: Promise<{ code: number; reason: string }>; received: Uint8Array[] }> {
	const ws = new WebSocket(`${server.url.replace('http', 'ws')}/sync/${member.roundId}?token=${member.token}`);
	const received: Uint8Array[] = [];
	ws.on('message', (data: Buffer) => received.push(new Uint8Array(data)));
	const closed = new Promise<{ code: number; reason: string }>((resolve) =>
		ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() }))
	);
	await new Promise((resolve, reject) => {
		ws.once('open', resolve);
		ws.once('error', reject);
	});
	return { ws, closed, received };
}

describe('§4 limits', () => {
	it('§4 a message above the size limit closes with 4413', async () => {
		const { ws, closed } = await rawSocket(alice);
		ws.send(new Uint8Array(6_000));
		expect(await closed).toMatchObject({ code: 4413 });
	});

	it('§4 a message above twice the size limit is refused unread by the WebSocket layer with 1009', async () => {
		const { ws, closed } = await rawSocket(alice);
		ws.send(new Uint8Array(10_000));
		expect(await closed).toMatchObject({ code: 1009 });
		expect((await api(server, 'GET', '/api/health')).status).toBe(200);
	});

	it('§4 too many messages per second close with 4429', async () => {
		const { ws, closed } = await rawSocket(alice);
		const query = new Uint8Array([3]);
		for (let i = 0; i < 60; i++) ws.send(query);
		expect(await closed).toMatchObject({ code: 4429 });
	});

	it('§4 garbage closes that connection only; the process keeps serving', async () => {
		const { ws, closed } = await rawSocket(alice);
		ws.send(new Uint8Array([0, 2, 200, 1, 2, 3, 255, 255, 255, 255, 15]));
		expect((await closed).code).toBe(4403);
		const again = await rawSocket(alice);
		again.ws.send(new Uint8Array([0, 7, 1, 0]));
		expect((await again.closed).code).toBe(4403);
		expect((await api(server, 'GET', '/api/health')).status).toBe(200);
		const client = await roundClient(server, facilitator).synced();
		expect(client.doc.getMap('round').get('name')).toBe('Assemblée 2026');
		client.destroy();
	});
});

describe('§4 awareness', () => {
	it('§4 presence is relayed between members; a forged clientID is dropped', async () => {
		const watcher = await roundClient(server, facilitator).synced();
		const speaker = await roundClient(server, alice).synced();
		// A fresh state has clock 0, which receivers ignore: presence starts with the first field set.
		watcher.provider.awareness.setLocalStateField('user', { name: 'Fatou' });
		speaker.provider.awareness.setLocalStateField('user', { name: 'Alice' });
		await waitFor(() => watcher.provider.awareness.getStates().get(speaker.doc.clientID)?.user?.name === 'Alice', 'presence of Alice');
		await waitFor(() => speaker.provider.awareness.getStates().get(watcher.doc.clientID)?.user?.name === 'Fatou', 'presence of Fatou');

		// A raw connection claiming the facilitator's clientID: the server drops that state.
		const { ws, received } = await rawSocket(alice);
		const fake = new awarenessProtocol.Awareness(new Y.Doc());
		fake.clientID = watcher.doc.clientID;
		for (let clock = 0; clock < 5; clock++) fake.setLocalState({ user: { name: 'Imposteur' } });
		const encoder = encoding.createEncoder();
		encoding.writeVarUint(encoder, 1);
		encoding.writeVarUint8Array(encoder, awarenessProtocol.encodeAwarenessUpdate(fake, [fake.clientID]));
		ws.send(encoding.toUint8Array(encoder));
		ws.send(new Uint8Array([3])); // the answer to this query proves the forged message was handled
		// Awareness messages: the states sent on connection, then the answer to the query.
		await waitFor(() => received.filter((message) => message[0] === 1).length >= 2, 'server handled the forged presence');
		speaker.provider.awareness.setLocalStateField('user', { name: 'Alice 2' });
		await waitFor(() => watcher.provider.awareness.getStates().get(speaker.doc.clientID)?.user?.name === 'Alice 2', 'later presence');
		expect(speaker.provider.awareness.getStates().get(watcher.doc.clientID)?.user?.name).toBe('Fatou');
		ws.close();
		watcher.destroy();
		speaker.destroy();
		fake.destroy();
	});
});
