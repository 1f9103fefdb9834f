// Presence follows live connections: a socket that stops answering pings is terminated and its
// awareness removed (the heartbeat), and an old socket closing does not remove the presence a
// newer connection of the same client has taken over.
import * as encoding from 'lib0/encoding';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createRound, invite, roundClient, startTestServer, stopTestServer, waitFor, type Client, type Member, type TestServer } from './helpers.js';

const HEARTBEAT_MS = 100;

let server: TestServer;
let facilitator: Member;
let alice: Member;

beforeAll(async () => {
	server = await startTestServer(undefined, { heartbeatMs: HEARTBEAT_MS });
	facilitator = await createRound(server);
	alice = await invite(server, facilitator, 'Alice');
});

afterAll(() => stopTestServer(server));

interface RawSocket {
	ws: WebSocket;
	closed: Promise<{ code: number; at: number }>;
	/** Sync step 2 messages received so far: the answers to our sync step 1. */
	step2s: () => number;
}

/** A raw socket on Alice's round room; `autoPong: false` makes it a socket that never answers pings. */
async function rawSocket(member: Member, autoPong = true): Promise<RawSocket> {
	const ws = new WebSocket(`${server.url.replace('http', 'ws')}/sync/${member.roundId}?token=${member.token}`, { autoPong });
	let step2s = 0;
	ws.on('message', (data: Buffer) => {
		if (data[0] === 0 && data[1] === 1) step2s += 1;
	});
	const closed = new Promise<{ code: number; at: number }>((resolve) => ws.on('close', (code) => resolve({ code, at: Date.now() })));
	await new Promise((resolve, reject) => {
		ws.once('open', resolve);
		ws.once('error', reject);
	});
	return { ws, closed, step2s: () => step2s };
}

/** An awareness message (type 1) carrying these states, as a y-websocket client sends them. */
function awarenessMessage(entries: { clientId: number; clock: number; state: unknown }[]): Uint8Array {
	const update = encoding.createEncoder();
	encoding.writeVarUint(update, entries.length);
	for (const { clientId, clock, state } of entries) {
		encoding.writeVarUint(update, clientId);
		encoding.writeVarUint(update, clock);
		encoding.writeVarString(update, JSON.stringify(state));
	}
	const message = encoding.createEncoder();
	encoding.writeVarUint(message, 1);
	encoding.writeVarUint8Array(message, encoding.toUint8Array(update));
	return encoding.toUint8Array(message);
}

/** Sends presence, then a sync step 1 whose answer (the only step 2 the server sends) proves it was handled. */
async function announce(socket: RawSocket, entries: { clientId: number; clock: number; state: unknown }[]): Promise<void> {
	const before = socket.step2s();
	socket.ws.send(awarenessMessage(entries));
	socket.ws.send(new Uint8Array([0, 0, 1, 0]));
	await waitFor(() => socket.step2s() > before, 'answer to the sync step 1');
}

const presence = (watcher: Client, clientId: number): unknown => watcher.provider.awareness.getStates().get(clientId);

/** A fresh random clientID (what a new Y.Doc would pick). */
const newClientId = (): number => Math.floor(Math.random() * 2 ** 31);

describe('§4 presence: heartbeat', () => {
	it('§4 a socket that stops answering pings is terminated and its presence removed after one or two intervals, not the 30 s awareness timeout', async () => {
		const watcher = await roundClient(server, facilitator).synced();
		let watcherDrops = 0;
		watcher.provider.on('connection-close', () => (watcherDrops += 1));
		const silent = await rawSocket(alice, false);
		const clientId = newClientId();
		await announce(silent, [{ clientId, clock: 1, state: { user: { name: 'Alice' } } }]);
		await waitFor(() => presence(watcher, clientId) !== undefined, 'presence of Alice');

		// From here on the socket answers nothing, like a phone that lost its network.
		const quiet = Date.now();
		await waitFor(() => presence(watcher, clientId) === undefined, 'removal of the silent presence', 20 * HEARTBEAT_MS);
		const removedAfter = Date.now() - quiet;
		expect(removedAfter).toBeLessThan(20 * HEARTBEAT_MS);
		expect((await silent.closed).code).toBe(1006);
		expect(server.logs).toContainEqual(expect.objectContaining({ msg: 'unresponsive socket terminated', memberId: alice.memberId }));
		// The stock client answers pings: it stayed connected through every one of those intervals.
		expect(watcherDrops).toBe(0);
		expect(watcher.provider.wsconnected).toBe(true);
		watcher.destroy();
	});

	it('§4 a socket that answers pings stays open while it sends nothing', async () => {
		const idle = await rawSocket(alice);
		let pings = 0;
		idle.ws.on('ping', () => (pings += 1));
		await waitFor(() => pings >= 5, 'five pings');
		expect(idle.ws.readyState).toBe(WebSocket.OPEN);
		idle.ws.close();
		await idle.closed;
	});
});

describe('§4 presence: reconnection', () => {
	it('§4 an old socket closing keeps the presence its client announced again on a newer connection', async () => {
		const watcher = await roundClient(server, facilitator).synced();
		// A1 speaks for the client that reconnects and for one that does not.
		const reconnecting = newClientId();
		const leaving = newClientId();
		const first = await rawSocket(alice);
		await announce(first, [
			{ clientId: reconnecting, clock: 1, state: { user: { name: 'Alice' } } },
			{ clientId: leaving, clock: 1, state: { user: { name: 'Alice (autre onglet)' } } }
		]);
		await waitFor(() => presence(watcher, reconnecting) !== undefined && presence(watcher, leaving) !== undefined, 'both presences');

		// A2: the stock client resends its unchanged state with the same clock on reconnection.
		const second = await rawSocket(alice);
		await announce(second, [{ clientId: reconnecting, clock: 1, state: { user: { name: 'Alice' } } }]);

		first.ws.close();
		// Both states of A1 would go in the same removal: once `leaving` is gone, it has been sent.
		await waitFor(() => presence(watcher, leaving) === undefined, 'removal of the presence only A1 announced');
		expect(presence(watcher, reconnecting)).toEqual({ user: { name: 'Alice' }, memberId: alice.memberId });

		// The presence now belongs to A2: its closing removes it.
		second.ws.close();
		await waitFor(() => presence(watcher, reconnecting) === undefined, 'removal once A2 closes');
		watcher.destroy();
	});
});
