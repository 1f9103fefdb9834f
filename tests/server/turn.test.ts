// DESIGN §6, §10: one SQLite commit per event-loop turn covers the incoming update that carried a
// command, the ledger and command rows, and the round and member doc updates that publish the
// outcome; nothing of the turn is sent before that commit.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { roomsAndSequencer } from '../../server/app.js';
import { writeAuthority } from '../../server/authority.js';
import type { Log } from '../../server/log.js';
import { openStore, type Store } from '../../server/store/index.js';
import { memberRoom, roundRoom, Rooms, type Room } from '../../server/sync/index.js';
import { MESSAGE_READ_STORE } from '../../server/sync/protocol.js';
import type { Peer } from '../../server/sync/room.js';
import type { Amount, MemberId, Receipt } from '../../src/lib/domain/types.js';
import { commandId, removeDir, tempDir, waitFor } from './helpers.js';

const ROUND = 'round_turn_test';
const FACILITATOR = 'facilitator_1';

let dir: string;
let store: Store;
/** A second SQLite connection: it sees only what is committed, and answers at once (read in `send`). */
let observer: Database.Database;
const observed = {
	command: (id: string): unknown => observer.prepare('SELECT 1 FROM commands WHERE round_id = ? AND id = ?').get(ROUND, id),
	entries: (): { type: string }[] =>
		observer
			.prepare<[string], { entry: string }>('SELECT entry FROM ledger WHERE round_id = ? ORDER BY seq')
			.all(ROUND)
			.map((row) => JSON.parse(row.entry) as { type: string }),
	room: (name: string): Uint8Array[] =>
		observer
			.prepare<[string], { data: Buffer }>('SELECT data FROM room_updates WHERE room = ? ORDER BY id')
			.all(name)
			.map((row) => new Uint8Array(row.data))
};
let commits: number;
/** Makes the next stored document update fail, as a full disk would. */
let failNextAppend: boolean;
/** Makes the next turn's transaction report a failure after it committed, as a connection lost during COMMIT would. */
let failAfterCommit: boolean;
let logs: { level: string; msg: string }[];
let wired: ReturnType<typeof roomsAndSequencer>;

beforeEach(async () => {
	dir = tempDir();
	store = openStore(dir);
	observer = new Database(join(dir, 'tirelire.db'), { readonly: true });
	commits = 0;
	failNextAppend = false;
	failAfterCommit = false;
	logs = [];
	let depth = 0;
	const roomStore = store.rooms;
	const counted: Store = {
		...store,
		rooms: {
			loadRoom: (room) => roomStore.loadRoom(room),
			compact: (room, snapshot) => roomStore.compact(room, snapshot),
			countUpdates: (room) => roomStore.countUpdates(room),
			appendUpdates: (updates) => {
				if (failNextAppend) {
					failNextAppend = false;
					return Promise.reject(new Error('disk full'));
				}
				return roomStore.appendUpdates(updates);
			},
			appendUpdate: (room, update) => {
				if (failNextAppend) {
					failNextAppend = false;
					return Promise.reject(new Error('disk full'));
				}
				return roomStore.appendUpdate(room, update);
			}
		},
		transaction: async (fn) => {
			depth += 1;
			try {
				const result = await store.transaction(fn);
				if (depth === 1 && failAfterCommit) {
					failAfterCommit = false;
					throw new Error('connection lost during COMMIT');
				}
				return result;
			} finally {
				depth -= 1;
				if (depth === 0) commits += 1;
			}
		}
	};
	const log: Log = (level, msg) => logs.push({ level, msg });
	wired = roomsAndSequencer(counted, log, 60_000);
	await store.accounts.createGroup(ROUND, 'Tour', Date.now());
	await store.accounts.createRound(ROUND, 'Tour', Date.now(), ROUND);
	await store.accounts.addMember({ roundId: ROUND, id: FACILITATOR, name: 'Fatou', role: 'facilitator' }, Date.now());
	wired.sequencer.submitSystem(ROUND, {
		type: 'open',
		settings: {
			name: 'Tour',
			currency: 'EUR',
			locale: 'fr',
			phase: 'proposing',
			defaultAllocation: 1_000 as Amount,
			maxPerMemberPerBucket: null,
			transparency: 'named',
			requireApproval: false
		}
	});
	wired.sequencer.submitSystem(ROUND, { type: 'join', memberId: FACILITATOR as MemberId });
	await wired.sequencer.flush();
});

afterEach(async () => {
	await wired.rooms.closeAll();
	observer.close();
	await store.close();
	removeDir(dir);
});

/** A connection stand-in that checks, at each send, what a second SQLite connection can already read. */
function recordingPeer(check: () => boolean): Peer & { sent: boolean[] } {
	const sent: boolean[] = [];
	return { memberId: FACILITATOR, sent, send: () => sent.push(check()), close: () => {} };
}

describe('§6 one commit per turn', () => {
	it('§6 a command, its outcome and its receipt are committed together, once, before anything is sent', async () => {
		const memberDoc = await wired.rooms.get(memberRoom(ROUND, FACILITATOR), { kind: 'member', roundId: ROUND, memberId: FACILITATOR });
		const roundDoc = await wired.rooms.get(roundRoom(ROUND), { kind: 'round', roundId: ROUND });
		await new Promise((resolve) => setImmediate(resolve));
		const id = commandId();
		const committed = (): boolean => observed.command(id) !== undefined && observed.entries().length === 3;
		const memberPeer = recordingPeer(committed);
		const roundPeer = recordingPeer(committed);
		wired.rooms.join(memberDoc, memberPeer);
		wired.rooms.join(roundDoc, roundPeer);
		commits = 0;

		const client = new Y.Doc();
		client.getArray('commands').push([{ id, at: Date.now(), type: 'allocate', memberId: FACILITATOR, amount: 500, mode: 'add' }]);
		Y.applyUpdate(memberDoc.doc, Y.encodeStateAsUpdate(client), 'client');
		expect(committed()).toBe(false);

		await waitFor(() => receiptIn(memberDoc, id) !== undefined, 'the receipt');
		expect(receiptIn(memberDoc, id)).toMatchObject({ ok: true, seq: 3 });
		expect(commits).toBe(1);
		// The command's own update, the receipt and wallet (member doc); the ledger entry (round doc).
		expect(memberPeer.sent.length).toBeGreaterThanOrEqual(2);
		expect(roundPeer.sent.length).toBeGreaterThanOrEqual(1);
		expect([...memberPeer.sent, ...roundPeer.sent].every(Boolean)).toBe(true);
		// Every update of the turn is in the durable log: a fresh load has the command and its receipt.
		const reloaded = new Y.Doc();
		for (const update of observed.room(memberRoom(ROUND, FACILITATOR))) Y.applyUpdate(reloaded, update);
		expect(reloaded.getArray('commands').length).toBe(1);
		expect(reloaded.getArray<Receipt>('receipts').toArray().map((receipt) => receipt.commandId)).toContain(id);
	});
});

describe('§6 a failed commit', () => {
	it('§6 nothing of the turn is sent or kept; the clients resync and the command is sequenced once', async () => {
		const name = memberRoom(ROUND, FACILITATOR);
		const memberDoc = await wired.rooms.get(name, { kind: 'member', roundId: ROUND, memberId: FACILITATOR });
		await new Promise((resolve) => setImmediate(resolve));
		const closes: number[] = [];
		const peer: Peer = { ...recordingPeer(() => true), close: (code) => closes.push(code) };
		wired.rooms.join(memberDoc, peer);

		const id = commandId();
		const client = new Y.Doc();
		client.getArray('commands').push([{ id, at: Date.now(), type: 'allocate', memberId: FACILITATOR, amount: 500, mode: 'add' }]);
		failNextAppend = true;
		Y.applyUpdate(memberDoc.doc, Y.encodeStateAsUpdate(client), 'client');
		await waitFor(() => closes.length > 0, 'the connection closed');

		expect(closes).toEqual([1011]);
		expect(logs).toContainEqual({ level: 'error', msg: 'room persistence failed' });
		expect(wired.rooms.peek(name)).toBeUndefined();
		expect(observed.command(id)).toBeUndefined();
		expect((await wired.sequencer.runtime(ROUND)).state.members.get(FACILITATOR as MemberId)?.allocated).toBe(1_000);

		// The client reconnects and its resync carries the command again.
		const reopened = await wired.rooms.get(name, { kind: 'member', roundId: ROUND, memberId: FACILITATOR });
		expect(reopened.doc.getArray('commands').length).toBe(0);
		Y.applyUpdate(reopened.doc, Y.encodeStateAsUpdate(client), 'client');
		await waitFor(() => receiptIn(reopened, id) !== undefined, 'the receipt');
		expect(receiptIn(reopened, id)).toMatchObject({ ok: true, seq: 3 });
		expect(observed.entries().filter((entry) => entry.type === 'allocate')).toHaveLength(2);
		expect((await wired.sequencer.runtime(ROUND)).state.members.get(FACILITATOR as MemberId)?.allocated).toBe(1_500);
	});
});

describe('§17 a commit that may have happened', () => {
	it('§17 the rooms of a turn whose commit failed are named for the other processes, whose copies then read them from the store', async () => {
		const name = roundRoom(ROUND);
		const published: Uint8Array[] = [];
		wired.rooms.fanout = { subscribe: async () => {}, unsubscribe: () => {}, publish: (_room, message) => published.push(message) };
		const room = await wired.rooms.get(name, { kind: 'round', roundId: ROUND });
		// Another process's copy of the room, loaded before the turn.
		const other = new Rooms(store.rooms, (fn) => store.transaction(fn), { idleMs: 60_000, compactEvery: 1_000 }, () => {});
		const copy = await other.get(name, { kind: 'round', roundId: ROUND });
		// What the load itself wrote (the server's repair of the doc) is committed and relayed first.
		await wired.rooms.flush();
		published.length = 0;

		const client = new Y.Doc();
		Y.applyUpdate(client, Y.encodeStateAsUpdate(room.doc));
		client.getMap('buckets').set('bucket_ambiguous', 'x');
		failAfterCommit = true;
		Y.applyUpdate(room.doc, Y.encodeStateAsUpdate(client, Y.encodeStateVector(room.doc)), 'client');
		await waitFor(() => logs.some((line) => line.msg === 'room persistence failed'), 'the failed turn');
		// (Awareness messages, type 1, may go; no document update, type 0, does.)
		expect(
			published.filter((message) => message[0] === 0),
			'no update relayed after a failed commit'
		).toEqual([]);
		expect(wired.rooms.takeUnsure()).toEqual([name]);
		expect(wired.rooms.takeUnsure()).toEqual([]);

		// It did commit: the other copy lacks it until it is told to read the store.
		expect(copy.doc.getMap('buckets').has('bucket_ambiguous')).toBe(false);
		other.relayed(name, Uint8Array.of(MESSAGE_READ_STORE), 'p_other');
		await waitFor(() => copy.doc.getMap('buckets').has('bucket_ambiguous'), 'the update read from the store');
		await other.closeAll();
	});
});

describe('§6 §17 clientID bindings are written with the turn', () => {
	const bound = async (): Promise<{ room: Room; bind: (clientId: number) => void; owner: (clientId: number) => string | undefined }> => {
		const authority = writeAuthority(store, wired.sequencer, wired.rooms);
		const room = await wired.rooms.get(roundRoom(ROUND), { kind: 'round', roundId: ROUND });
		const member = (await store.accounts.member(ROUND, FACILITATOR))!;
		return { room, bind: (clientId) => authority.bindClients(room, member, [clientId]), owner: (clientId) => authority.clientOwner(room, clientId) };
	};
	const failedTurn = (): Promise<void> => waitFor(() => logs.some((line) => line.msg === 'room persistence failed'), 'the failed turn');

	it('§6 a turn that fails forgets the clientIDs it bound, so that the next one binding them writes them', async () => {
		const { bind, owner } = await bound();
		failNextAppend = true;
		bind(4242);
		expect(owner(4242)).toBe(FACILITATOR);
		await failedTurn();
		expect(await store.accounts.clientOwner(ROUND, 4242)).toBeUndefined();
		expect(owner(4242)).toBeUndefined();
		bind(4242);
		await wired.rooms.flush();
		expect(await store.accounts.clientOwner(ROUND, 4242)).toBe(FACILITATOR);
	});

	it('§17 a clientID the store already gives to another member (bound by another process): the claiming turn fails and the owner is known from then on', async () => {
		const { bind, owner } = await bound();
		await store.accounts.addMember({ roundId: ROUND, id: 'member_bea', name: 'Bea', role: 'member' }, Date.now());
		// What another process committed and has not told this one yet.
		await store.accounts.bindClient(ROUND, 777, 'member_bea');
		bind(777);
		await failedTurn();
		expect(owner(777)).toBe('member_bea');
		expect(await store.accounts.clientOwner(ROUND, 777)).toBe('member_bea');
	});
});

function receiptIn(room: Room, id: string): Receipt | undefined {
	return room.doc
		.getArray<Receipt>('receipts')
		.toArray()
		.find((receipt) => receipt.commandId === id);
}
