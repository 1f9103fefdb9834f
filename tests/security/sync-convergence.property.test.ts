// Convergence through the real server (PROTOCOL §2): several members edit one round doc (their own
// buckets, comments) and send commands from their member docs over hand-driven y-websocket
// sockets, while fast-check picks the order each peer's updates leave in, resends some of them and
// closes and reopens sockets mid-run. Once every peer is connected again and has flushed what it
// holds, every peer's doc equals the server's, every command has exactly one receipt and the
// ledger replays. A failure prints the seed and the path that reproduce it.
import fc from 'fast-check';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import * as syncProtocol from 'y-protocols/sync';
import * as Y from 'yjs';
import { replay } from '../../src/lib/domain/reducer.js';
import type { LedgerEntry, Receipt } from '../../src/lib/domain/types.js';
import {
	createRound,
	invite,
	memberJson,
	newBucketId,
	roundJson,
	startTestServer,
	stopTestServer,
	waitFor,
	type Member,
	type TestServer
} from '../server/helpers.js';

const REMOTE = 'remote';
let server: TestServer;

beforeAll(async () => {
	// Generous rates: this test is about convergence, the budgets have their own tests.
	server = await startTestServer(undefined, {
		createRate: { burst: 1_000, perMinute: 1_000 },
		joinRate: { burst: 1_000, perMinute: 1_000 },
		budgets: { comments: { burst: 1_000, perMinute: 1_000 }, buckets: { burst: 1_000, perMinute: 1_000 } }
	});
});

afterAll(() => stopTestServer(server));

/**
 * One y-websocket peer whose outgoing updates wait in an outbox until the schedule sends them,
 * in the order it picks, and whose socket the schedule may close and reopen.
 */
class Peer {
	readonly doc = new Y.Doc();
	readonly outbox: Uint8Array[] = [];
	closed: { code: number; reason: string } | undefined;
	private ws: WebSocket | undefined;

	constructor(
		private readonly room: string,
		private readonly token: string
	) {
		this.doc.on('update', (update: Uint8Array, origin: unknown) => {
			if (origin !== REMOTE) this.outbox.push(update);
		});
	}

	get connected(): boolean {
		return this.ws?.readyState === WebSocket.OPEN;
	}

	async connect(): Promise<void> {
		const ws = new WebSocket(`${server.url.replace('http', 'ws')}/sync/${this.room}?token=${this.token}`);
		this.ws = ws;
		ws.binaryType = 'nodebuffer';
		ws.on('message', (data: Buffer) => this.receive(ws, new Uint8Array(data)));
		ws.on('close', (code, reason) => {
			// A close the schedule did not ask for (1000 from `disconnect`) is a refusal.
			if (code !== 1000 && code !== 1005) this.closed = { code, reason: reason.toString() };
		});
		await new Promise<void>((resolve, reject) => {
			ws.once('open', () => resolve());
			ws.once('error', reject);
		});
		const encoder = encoding.createEncoder();
		encoding.writeVarUint(encoder, 0);
		syncProtocol.writeSyncStep1(encoder, this.doc);
		ws.send(encoding.toUint8Array(encoder));
	}

	async disconnect(): Promise<void> {
		const ws = this.ws;
		if (!ws || ws.readyState === WebSocket.CLOSED) return;
		const gone = new Promise((resolve) => ws.once('close', resolve));
		ws.close(1000);
		await gone;
	}

	/** Sends the outbox in `order` (indices, repeated ones are resends); keeps it all when offline. */
	flush(order: readonly number[]): void {
		if (!this.connected || this.outbox.length === 0) return;
		const updates = this.outbox.splice(0);
		const sent = new Set<number>();
		for (const pick of order) {
			const index = pick % updates.length;
			sent.add(index);
			this.sendUpdate(updates[index]!);
		}
		updates.forEach((update, index) => {
			if (!sent.has(index)) this.sendUpdate(update);
		});
	}

	private sendUpdate(update: Uint8Array): void {
		const encoder = encoding.createEncoder();
		encoding.writeVarUint(encoder, 0);
		syncProtocol.writeUpdate(encoder, update);
		this.ws!.send(encoding.toUint8Array(encoder));
	}

	private receive(ws: WebSocket, message: Uint8Array): void {
		const decoder = decoding.createDecoder(message);
		if (decoding.readVarUint(decoder) !== 0) return; // awareness is not part of this test
		const encoder = encoding.createEncoder();
		encoding.writeVarUint(encoder, 0);
		syncProtocol.readSyncMessage(decoder, encoder, this.doc, REMOTE);
		if (encoding.length(encoder) > 1 && ws.readyState === WebSocket.OPEN) ws.send(encoding.toUint8Array(encoder));
	}

	destroy(): void {
		this.ws?.terminate();
		this.doc.destroy();
	}
}

interface Actor {
	member: Member;
	round: Peer;
	commands: Peer;
	buckets: string[];
}

type Step =
	| { kind: 'bucket'; actor: number }
	| { kind: 'title'; actor: number; text: string }
	| { kind: 'describe'; actor: number; text: string }
	| { kind: 'comment'; actor: number; bucket: number; text: string }
	| { kind: 'command'; actor: number; amount: number }
	| { kind: 'flush'; actor: number; memberDoc: boolean; order: number[] }
	| { kind: 'reconnect'; actor: number; memberDoc: boolean; offlineSteps: number };

const ACTORS = 3;
const actor = fc.nat({ max: ACTORS - 1 });
const text = fc.string({ minLength: 1, maxLength: 12 });
const step: fc.Arbitrary<Step> = fc.oneof(
	fc.record({ kind: fc.constant('bucket' as const), actor }),
	fc.record({ kind: fc.constant('title' as const), actor, text }),
	fc.record({ kind: fc.constant('describe' as const), actor, text }),
	fc.record({ kind: fc.constant('comment' as const), actor, bucket: fc.nat({ max: 8 }), text }),
	fc.record({ kind: fc.constant('command' as const), actor, amount: fc.integer({ min: 1, max: 500 }) }),
	fc.record({
		kind: fc.constant('flush' as const),
		actor,
		memberDoc: fc.boolean(),
		order: fc.array(fc.nat({ max: 20 }), { maxLength: 12 })
	}),
	fc.record({ kind: fc.constant('reconnect' as const), actor, memberDoc: fc.boolean(), offlineSteps: fc.nat({ max: 3 }) })
);

let commentCount = 0;

/** Applies one step to the actors' docs or sockets; a closed socket stays offline for `offlineSteps` steps. */
async function apply(step: Step, actors: Actor[], offline: Map<Peer, number>): Promise<void> {
	const who = actors[step.actor]!;
	const own = (index: number) => who.round.doc.getMap('buckets').get(who.buckets[index % who.buckets.length]!) as Y.Map<unknown> | undefined;
	switch (step.kind) {
		case 'bucket': {
			const id = newBucketId();
			const bucket = new Y.Map<unknown>();
			bucket.set('title', 'Projet');
			bucket.set('summary', '');
			bucket.set('description', new Y.Text(''));
			const items = new Y.Array<unknown>();
			items.push([{ label: 'Bois', min: 100 }]);
			bucket.set('items', items);
			who.round.doc.getMap('buckets').set(id, bucket);
			who.buckets.push(id);
			return;
		}
		case 'title':
			if (who.buckets.length > 0) own(who.buckets.length - 1)?.set('title', step.text);
			return;
		case 'describe': {
			const description = who.buckets.length > 0 ? (own(0)?.get('description') as Y.Text | undefined) : undefined;
			description?.insert(description.length, step.text);
			return;
		}
		case 'comment': {
			// Any member may comment on any bucket whose thread it has already received.
			const threads = who.round.doc.getMap('comments');
			const keys = [...threads.keys()].sort();
			if (keys.length === 0) return;
			const thread = threads.get(keys[step.bucket % keys.length]!) as Y.Array<unknown>;
			commentCount += 1;
			thread.push([{ id: `comment_conv_${commentCount}`, author: who.member.memberId, text: step.text, at: Date.now() }]);
			return;
		}
		case 'command': {
			const target = actors[step.amount % ACTORS]!.member.memberId;
			commentCount += 1;
			who.commands.doc
				.getArray('commands')
				.push([{ id: `cmd_conv_${commentCount}`, at: Date.now(), type: 'allocate', memberId: target, amount: step.amount, mode: 'add' }]);
			return;
		}
		case 'flush':
			(step.memberDoc ? who.commands : who.round).flush(step.order);
			return;
		case 'reconnect': {
			const peer = step.memberDoc ? who.commands : who.round;
			await peer.disconnect();
			offline.set(peer, step.offlineSteps);
			return;
		}
	}
}

/** Reopens every peer whose offline time is over. */
async function tick(offline: Map<Peer, number>): Promise<void> {
	for (const [peer, left] of offline) {
		if (left > 0) {
			offline.set(peer, left - 1);
			continue;
		}
		offline.delete(peer);
		await peer.connect();
	}
}

const json = (doc: Y.Doc, memberDoc: boolean): unknown => (memberDoc ? memberJson({ doc }) : roundJson({ doc }));

/** JSON with object keys sorted: a Y.Map lists its keys in the order they reached that replica. */
const canonical = (value: unknown): string =>
	JSON.stringify(value, (_key, v: unknown) =>
		v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : 1))) : v
	);

const sameState = (a: Y.Doc, b: Y.Doc): boolean => {
	const left = Y.encodeStateVector(a);
	const right = Y.encodeStateVector(b);
	return left.length === right.length && left.every((byte, i) => byte === right[i]);
};

/** Waits until `peer` holds what a fresh client of the same room receives from the server. */
async function converged(peer: Peer, room: string, token: string, memberDoc: boolean): Promise<void> {
	const observer = new Peer(room, token);
	try {
		await observer.connect();
		await waitFor(
			() => sameState(peer.doc, observer.doc) && canonical(json(peer.doc, memberDoc)) === canonical(json(observer.doc, memberDoc)),
			`convergence of ${room}`,
			5_000
		);
	} finally {
		observer.destroy();
	}
}

async function run(steps: Step[]): Promise<void> {
	const facilitator = await createRound(server);
	const members = [facilitator, await invite(server, facilitator, 'Alice'), await invite(server, facilitator, 'Bob')];
	const actors: Actor[] = members.map((member) => ({
		member,
		round: new Peer(member.roundId, member.token),
		commands: new Peer(`${member.roundId}/members/${member.memberId}`, member.token),
		buckets: []
	}));
	const peers = actors.flatMap((a) => [a.round, a.commands]);
	try {
		for (const peer of peers) await peer.connect();
		const offline = new Map<Peer, number>();
		for (const s of steps) {
			await apply(s, actors, offline);
			await tick(offline);
		}
		for (const peer of offline.keys()) await peer.connect();
		for (const peer of peers) peer.flush([]);

		for (const a of actors) {
			await converged(a.commands, `${a.member.roundId}/members/${a.member.memberId}`, a.member.token, true);
			const commands = a.commands.doc.getArray<{ id: string }>('commands').toArray();
			await waitFor(() => a.commands.doc.getArray('receipts').length >= commands.length, 'a receipt per command', 5_000);
			await converged(a.commands, `${a.member.roundId}/members/${a.member.memberId}`, a.member.token, true);
			const receipts = a.commands.doc.getArray<Receipt>('receipts').toArray();
			expect(receipts.map((r) => r.commandId).sort()).toEqual(commands.map((c) => c.id).sort());
		}
		for (const a of actors) await converged(a.round, a.member.roundId, a.member.token, false);
		const ledger = actors[0]!.round.doc.getArray<LedgerEntry>('ledger').toArray();
		expect(ledger.map((entry) => entry.seq)).toEqual(ledger.map((_, i) => i + 1));
		expect(() => replay(ledger)).not.toThrow();
		for (const a of actors) {
			const buckets = a.round.doc.getMap('buckets');
			for (const id of a.buckets) expect(buckets.has(id)).toBe(true);
		}
		for (const peer of peers) expect(peer.closed).toBeUndefined();
	} finally {
		for (const peer of peers) peer.destroy();
	}
}

describe('§2 convergence', () => {
	it('§2 peers reordering, resending and reconnecting all end with the server state, one receipt per command, a valid ledger', async () => {
		await fc.assert(
			fc.asyncProperty(fc.array(step, { minLength: 10, maxLength: 40 }), (steps) => run(steps)),
			{ numRuns: 20, interruptAfterTimeLimit: 60_000, markInterruptAsFailure: true }
		);
	}, 120_000);
});
