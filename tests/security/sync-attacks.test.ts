// Budgets per member and per message (PROTOCOL §2 Budgets): each attack below stalled the server,
// broke honest reconnection or filled the disk before its budget existed. Each is refused with its
// close code, for the cost of reading the message, and the round keeps working for the others.
import * as encoding from 'lib0/encoding';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import * as Y from 'yjs';
import { awarenessFlood, freshClientsUpdate, mapSets, syncUpdate } from '../../bench/attack-payloads.js';
import { encodeAwareness } from '../../server/sync/awareness.js';
import { DEFAULT_BUDGETS } from '../../server/sync/budgets.js';
import {
	Client,
	createBucket,
	createRound,
	invite,
	memberClient,
	roundClient,
	startTestServer,
	stopTestServer,
	waitFor,
	type Member,
	type TestServer
} from '../server/helpers.js';

let server: TestServer;
let facilitator: Member;
const clients: Client[] = [];

beforeAll(async () => {
	server = await startTestServer();
	facilitator = await createRound(server);
});

afterAll(() => stopTestServer(server, clients));

const track = <T extends Client>(client: T): T => {
	clients.push(client);
	return client;
};

interface Raw {
	ws: WebSocket;
	opened: Promise<boolean>;
	closed: Promise<{ code: number; reason: string }>;
}

function rawSocket(member: Member, room = member.roundId): Raw {
	const ws = new WebSocket(`${server.url.replace('http', 'ws')}/sync/${room}?token=${member.token}`);
	const opened = new Promise<boolean>((resolve) => {
		ws.once('open', () => resolve(true));
		ws.once('error', () => resolve(false));
	});
	const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
	return { ws, opened, closed };
}

let nextClient = 1_000_000;
const freshClientId = (): number => (nextClient += 1);

/** An honest member's edit still reaches another member once the attack was refused. */
async function honestEditArrives(): Promise<void> {
	const writer = track(await roundClient(server, facilitator).synced());
	const reader = track(await roundClient(server, facilitator).synced());
	const bucketId = createBucket(writer, [{ label: 'Toit', min: 100 }], 'Après');
	await waitFor(() => reader.doc.getMap('buckets').has(bucketId), 'honest edit at the reader');
	expect(Y.encodeStateVector(reader.doc).byteLength).toBeLessThan(1_024);
}

async function newMember(name: string): Promise<Member> {
	return invite(server, facilitator, name);
}

async function ownBucket(name: string): Promise<{ member: Member; parent: Y.ID }> {
	const member = await newMember(name);
	const own = track(await roundClient(server, member).synced());
	const bucketId = createBucket(own, [{ label: 'Rien', min: 100 }]);
	await waitFor(() => own.doc.getMap('bucketState').has(bucketId), 'bucket sequenced');
	return { member, parent: (own.doc.getMap('buckets').get(bucketId) as Y.Map<unknown>)._item!.id };
}

describe('§2 budgets: clientIDs and structs', () => {
	it('§2 one 529 KiB update whose structs come from 25,000 fresh clientIDs, each setting a key of its own bucket, closes with 4421', async () => {
		const { member, parent } = await ownBucket('Mallory');
		const update = mapSets(25_000, parent, freshClientId);
		expect(update.byteLength).toBeGreaterThan(400 * 1024);
		const raw = rawSocket(member);
		await raw.opened;
		raw.ws.send(syncUpdate(update));
		expect(await raw.closed).toMatchObject({ code: 4421 });
		// Past a budget the member pauses: a new socket is closed before anything is read.
		const retry = rawSocket(member);
		expect(await retry.closed).toMatchObject({ code: 4423, reason: 'paused after exceeding a budget' });
		await honestEditArrives();
	});

	it('§2 the same with 10,000 fresh clientIDs, under the struct budget, closes with 4420', async () => {
		const { member, parent } = await ownBucket('Mallory 10k');
		const raw = rawSocket(member);
		await raw.opened;
		raw.ws.send(syncUpdate(mapSets(10_000, parent, freshClientId)));
		expect(await raw.closed).toMatchObject({ code: 4420 });
		await honestEditArrives();
	});

	it('§2 210,000 fresh clientIDs of GC structs, sent in messages under the size and struct limits, close with 4420 at the first', async () => {
		const mallory = await newMember('Mallory GC');
		const raw = rawSocket(mallory);
		await raw.opened;
		for (let part = 0; part < 11; part++) {
			raw.ws.send(
				syncUpdate(
					freshClientsUpdate(19_100, freshClientId, (encoder) => {
						encoding.writeUint8(encoder, 0);
						encoding.writeVarUint(encoder, 1);
					})
				)
			);
		}
		expect(await raw.closed).toMatchObject({ code: 4420 });
		await honestEditArrives();
	});

	it('§2 awareness with 20,000 fresh clientIDs closes with 4422 and binds none of them', async () => {
		const mallory = await newMember('Mallory presence');
		const raw = rawSocket(mallory);
		await raw.opened;
		const flood = awarenessFlood(20_000, freshClientId);
		raw.ws.send(flood.message);
		expect(await raw.closed).toMatchObject({ code: 4422 });
		// None was bound: another member may still use the first of those clientIDs.
		const other = await newMember('Autre');
		const doc = new Y.Doc();
		doc.clientID = flood.first;
		const client = track(new Client(server, other.roundId, other.token, doc));
		await client.synced();
		createBucket(client, [{ label: 'Libre', min: 100 }]);
		const reader = track(await roundClient(server, facilitator).synced());
		await waitFor(() => [...reader.doc.getMap('buckets').keys()].length > 0 && client.closedWith === undefined, 'bucket with that clientID');
		expect(client.closedWith).toBeUndefined();
	});
});

describe('§2 budgets: per-minute rates and bytes', () => {
	it('§2 a stream of 10,000-character comments from one connection closes with 4423 after the burst', async () => {
		const mallory = await newMember('Mallory bavard');
		const writer = track(await roundClient(server, mallory).synced());
		const bucketId = createBucket(writer, [{ label: 'Bla', min: 100 }]);
		await waitFor(() => writer.doc.getMap('comments').has(bucketId), 'comment array');
		const thread = writer.doc.getMap('comments').get(bucketId) as Y.Array<unknown>;
		const text = 'x'.repeat(10_000);
		// 2,300 comments of 10,000 characters: 23 MiB, as fast as the socket takes them.
		for (let i = 0; i < 2_300 && writer.closedWith === undefined; i++) {
			thread.push([{ id: `comment_${i}_${writer.doc.clientID}`, author: mallory.memberId, text, at: Date.now() }]);
			if (i % 50 === 49) await new Promise((resolve) => setImmediate(resolve));
		}
		expect(await writer.refused()).toMatchObject({ code: 4423 });
		const reader = track(await roundClient(server, facilitator).synced());
		const stored = (reader.doc.getMap('comments').get(bucketId) as Y.Array<unknown>).length;
		expect(stored).toBeLessThanOrEqual(DEFAULT_BUDGETS.comments.burst + 2);
	});

	it('§2 one update creating 5,000 buckets closes with 4423 and creates none', async () => {
		const mallory = await newMember('Mallory bâtisseur');
		const writer = track(await roundClient(server, mallory).synced());
		writer.doc.transact(() => {
			for (let i = 0; i < 5_000; i++) {
				const bucket = new Y.Map<unknown>();
				bucket.set('title', `B${i}`);
				writer.doc.getMap('buckets').set(`bkt_flood_${String(i).padStart(6, '0')}`, bucket);
			}
		});
		expect(await writer.refused()).toMatchObject({ code: 4423 });
		const reader = track(await roundClient(server, facilitator).synced());
		expect([...reader.doc.getMap('buckets').keys()].filter((id) => id.startsWith('bkt_flood_'))).toEqual([]);
	});

	it('§2 past the bytes a member may add to a round, the connection closes with 4424', async () => {
		const local = await startTestServer(undefined, { budgets: { roundBytesPerMember: 8 * 1024 } });
		try {
			const owner = await createRound(local);
			const writer = new Client(local, owner.roundId, owner.token);
			await writer.synced();
			const bucketId = createBucket(writer, [{ label: 'Texte', min: 100 }]);
			const description = (writer.doc.getMap('buckets').get(bucketId) as Y.Map<unknown>).get('description') as Y.Text;
			for (let i = 0; i < 20 && writer.closedWith === undefined; i++) {
				// 2,000 characters a time: past the budget well before the description's own limit.
				description.insert(description.length, 'y'.repeat(2_000));
				await new Promise((resolve) => setImmediate(resolve));
			}
			expect(await writer.refused()).toMatchObject({ code: 4424 });
			writer.destroy();
		} finally {
			await stopTestServer(local);
		}
	});
});

describe('§2 budgets: sockets and logs', () => {
	it('§2 1,000 sockets from one member: 32 stay open, the others close with 4425', async () => {
		const mallory = await newMember('Mallory sockets');
		const sockets = Array.from({ length: 1_000 }, () => rawSocket(mallory));
		const codes: number[] = [];
		for (const socket of sockets) void socket.closed.then(({ code }) => codes.push(code));
		await Promise.all(sockets.map((socket) => socket.opened));
		await waitFor(() => codes.length >= 1_000 - DEFAULT_BUDGETS.socketsPerMember, 'refusals', 20_000);
		// The refusals are sent at once at setup: a query answered on every open socket proves none is pending.
		const open = sockets.filter((socket) => socket.ws.readyState === WebSocket.OPEN);
		await Promise.all(
			open.map(
				(socket) =>
					new Promise((resolve) => {
						socket.ws.on('message', (data: Buffer) => data[0] === 1 && resolve(true));
						socket.ws.send(new Uint8Array([3]));
					})
			)
		);
		expect(codes.filter((code) => code === 4425)).toHaveLength(1_000 - DEFAULT_BUDGETS.socketsPerMember);
		expect(open).toHaveLength(DEFAULT_BUDGETS.socketsPerMember);
		for (const socket of sockets) socket.ws.close();
		await Promise.all(sockets.map((socket) => socket.closed));
		// Closing gives the budget back.
		const again = track(await memberClient(server, mallory).synced());
		expect(again.closedWith).toBeUndefined();
	});

	it('§2 a 195 KiB member-doc update of 100,000 commands closes with 4421 and logs one line', async () => {
		const mallory = await newMember('Mallory journal');
		const raw = rawSocket(mallory, `${mallory.roundId}/members/${mallory.memberId}`);
		await raw.opened;
		const doc = new Y.Doc();
		doc.getArray('commands').push(Array.from({ length: 100_000 }, () => ({})));
		const update = Y.encodeStateAsUpdate(doc);
		expect(update.byteLength).toBeGreaterThan(190 * 1024);
		const linesBefore = server.logs.length;
		raw.ws.send(syncUpdate(update));
		expect(await raw.closed).toMatchObject({ code: 4421 });
		expect(server.logs.length - linesBefore).toBe(1);
	});

	it('§2 15,000 commands without an id in one update, under the struct budget, are refused with one log line', async () => {
		const mallory = await newMember('Mallory sans id');
		const commands = track(await memberClient(server, mallory).synced());
		const linesBefore = server.logs.length;
		commands.doc.getArray('commands').push(Array.from({ length: 15_000 }, () => ({ type: 'allocate' })));
		expect(await commands.refused()).toMatchObject({ code: 4403 });
		expect(server.logs.length - linesBefore).toBe(1);
	});
});

describe('§2 presence is bound to the connection', () => {
	it("§2 a presence claiming another member's memberId shows the sender's member instead", async () => {
		const mallory = await newMember('Mallory masque');
		const watcher = track(await roundClient(server, facilitator).synced());
		const raw = rawSocket(mallory);
		await raw.opened;
		const clientId = freshClientId();
		const encoder = encoding.createEncoder();
		encoding.writeVarUint(encoder, 1);
		encoding.writeVarUint8Array(encoder, encodeAwareness([{ clientId, clock: 1, state: JSON.stringify({ memberId: facilitator.memberId }) }]));
		raw.ws.send(encoding.toUint8Array(encoder));
		await waitFor(() => watcher.provider.awareness.getStates().has(clientId), 'presence relayed');
		expect(watcher.provider.awareness.getStates().get(clientId)).toEqual({ memberId: mallory.memberId });
		raw.ws.close();
		await raw.closed;
	});
});
