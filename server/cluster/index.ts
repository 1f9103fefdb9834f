// The distributed setup (DESIGN §14, PROTOCOL §17): several processes share one PostgreSQL store
// and talk through Redis. This module holds a process's part in it:
// - the fan-out of rooms: each committed update and each local awareness change goes to the
//   other processes that have the room loaded (channel `tirelire:room:<room>`), as the bytes
//   clients receive;
// - the rounds' leases: a process holds a round's lease to sequence it, renews it every third of
//   its time, and takes a lease that expired (its holder died) when the round has work waiting;
// - the round's notices (channel `tirelire:round:<roundId>`, JSON): ledger entries the holder
//   committed, clientID and bucket-creator bindings, and "jobs are waiting in the inbox";
// - the processes' rows (`cluster_nodes`): each renews its own with its leases; when another's
//   row runs out (it died, perhaps between a commit and its relay), this process reads its loaded
//   rooms and states again from the store.
// Redis may lose messages (a restart, a cut): every decision is taken on the store, and after a
// reconnection each process reads again what it shows.
import { hostname } from 'node:os';
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';
import type { LedgerEntry } from '../../src/lib/domain/types.js';
import type { Log } from '../log.js';
import { randomId } from '../secrets.js';
import type { Sequencer } from '../sequencer/index.js';
import type { InboxPort, LeasePort, NodesPort, Store } from '../store/index.js';
import { parseRoomName, type Fanout, type Rooms } from '../sync/index.js';
import { MESSAGE_READ_STORE } from '../sync/protocol.js';
import { Bus } from './bus.js';

export interface ClusterOptions {
	/** How long a lease lasts without renewal (default 3 s): a dead holder's rounds wait at most this long. */
	leaseTtlMs: number;
	/** How often the inbox and the leases are looked at (default 500 ms). */
	pollMs: number;
	/** Names this process in the leases (`<nodeId>/<random>`) and in logs. */
	nodeId: string;
}

export const DEFAULT_CLUSTER: Omit<ClusterOptions, 'nodeId'> = { leaseTtlMs: 3000, pollMs: 500 };

type Notice =
	| { from: string; kind: 'entries'; entries: LedgerEntry[] }
	| { from: string; kind: 'jobs' }
	| { from: string; kind: 'holder' }
	| { from: string; kind: 'bindings'; clients: [number, string][]; creators: [string, string][] };

const roomChannel = (room: string): string => `tirelire:room:${room}`;
const READ_STORE = Uint8Array.of(MESSAGE_READ_STORE);
const roundChannel = (roundId: string): string => `tirelire:round:${roundId}`;

export class Cluster implements Fanout {
	readonly id: string;
	readonly leases: LeasePort;
	readonly inbox: InboxPort;
	private readonly nodes: NodesPort;
	/** The processes alive at the last look (undefined before the first). */
	private alive: Set<string> | undefined;
	private readonly bus: Bus;
	/** Rounds this process holds: token and when the lease runs out by this process's clock. */
	private readonly held = new Map<string, { token: number; until: number }>();
	/** Why each round channel is subscribed: loaded rooms of the round, and holding its lease. */
	private readonly roundUsers = new Map<string, number>();
	private readonly lastAttempt = new Map<string, number>();
	private timer: NodeJS.Timeout | undefined;
	private lastRenew = 0;
	private polling = false;
	private closed = false;
	private sequencer: Sequencer | undefined;
	private rooms: Rooms | undefined;

	constructor(
		private readonly store: Store,
		redisUrl: string,
		private readonly options: ClusterOptions,
		private readonly log: Log
	) {
		if (!store.cluster) throw new Error('the distributed setup needs a shared store (DATABASE_URL)');
		this.leases = store.cluster.leases;
		this.inbox = store.cluster.inbox;
		this.nodes = store.cluster.nodes;
		this.id = `${options.nodeId || hostname()}/${randomId().slice(0, 8)}`;
		this.bus = new Bus(redisUrl, log);
		this.bus.onReconnect = () => void this.resync();
	}

	/** Connects to Redis and starts looking after leases. */
	async start(sequencer: Sequencer, rooms: Rooms): Promise<void> {
		this.sequencer = sequencer;
		this.rooms = rooms;
		await this.bus.connect();
		this.timer = setInterval(() => void this.poll(), this.options.pollMs);
		this.timer.unref();
		await this.poll();
	}

	holds(roundId: string): boolean {
		const lease = this.held.get(roundId);
		return lease !== undefined && lease.until > Date.now();
	}

	/** This process's lease of the round while it believes it holds one (the fence decides). */
	lease(roundId: string): { holder: string; token: number } | undefined {
		const lease = this.held.get(roundId);
		return lease && lease.until > Date.now() ? { holder: this.id, token: lease.token } : undefined;
	}

	/** The fence refused this token: someone else holds the round now. */
	lost(roundId: string, token: number): void {
		if (this.held.get(roundId)?.token !== token) return;
		this.held.delete(roundId);
		this.unuseRound(roundId);
	}

	/** Jobs for the round were committed to its inbox: wake its holder, or take the lease if nobody holds it. */
	wake(roundId: string): void {
		this.notify(roundId, { from: this.id, kind: 'jobs' });
		void this.tryAcquire(roundId);
	}

	publishEntries(roundId: string, entries: LedgerEntry[]): void {
		this.notify(roundId, { from: this.id, kind: 'entries', entries });
	}

	publishBindings(roundId: string, clients: [number, string][], creators: [string, string][]): void {
		if (clients.length > 0 || creators.length > 0) this.notify(roundId, { from: this.id, kind: 'bindings', clients, creators });
	}

	// Fanout (the rooms' side).

	async subscribe(room: string): Promise<void> {
		const info = parseRoomName(room);
		await Promise.all([this.bus.subscribe(roomChannel(room), this.roomHandler(room)), info ? this.useRound(info.roundId) : undefined]);
	}

	unsubscribe(room: string): void {
		this.bus.unsubscribe(roomChannel(room), this.roomHandler(room));
		const info = parseRoomName(room);
		if (info) this.unuseRound(info.roundId);
	}

	publish(room: string, message: Uint8Array): void {
		const encoder = encoding.createEncoder();
		encoding.writeVarString(encoder, this.id);
		encoding.writeVarUint8Array(encoder, message);
		this.bus.publish(roomChannel(room), encoding.toUint8Array(encoder));
	}

	/** Gives up every lease (clean shutdown: another process takes over at once) and leaves Redis. */
	async close(): Promise<void> {
		this.closed = true;
		clearInterval(this.timer);
		for (const [roundId, lease] of this.held) {
			await this.leases.release(roundId, this.id, lease.token).catch(() => {});
		}
		this.held.clear();
		await this.nodes.leave(this.id).catch(() => {});
		await this.bus.close();
	}

	private readonly roomHandlers = new Map<string, (payload: Buffer) => void>();

	/** One handler per room (the same function unsubscribes it). */
	private roomHandler(room: string): (payload: Buffer) => void {
		let handler = this.roomHandlers.get(room);
		if (!handler) {
			handler = (payload) => {
				const decoder = decoding.createDecoder(payload);
				const from = decoding.readVarString(decoder);
				if (from === this.id) return;
				this.rooms?.relayed(room, decoding.readVarUint8Array(decoder), from);
			};
			this.roomHandlers.set(room, handler);
		}
		return handler;
	}

	private readonly roundHandler = new Map<string, (payload: Buffer) => void>();

	private async useRound(roundId: string): Promise<void> {
		const users = (this.roundUsers.get(roundId) ?? 0) + 1;
		this.roundUsers.set(roundId, users);
		if (users > 1) return;
		const handler = (payload: Buffer): void => this.onNotice(roundId, payload);
		this.roundHandler.set(roundId, handler);
		await this.bus.subscribe(roundChannel(roundId), handler);
	}

	private unuseRound(roundId: string): void {
		const users = (this.roundUsers.get(roundId) ?? 0) - 1;
		if (users > 0) {
			this.roundUsers.set(roundId, users);
			return;
		}
		this.roundUsers.delete(roundId);
		const handler = this.roundHandler.get(roundId);
		this.roundHandler.delete(roundId);
		if (handler) this.bus.unsubscribe(roundChannel(roundId), handler);
	}

	private notify(roundId: string, notice: Notice): void {
		this.bus.publish(roundChannel(roundId), Buffer.from(JSON.stringify(notice)));
	}

	private onNotice(roundId: string, payload: Buffer): void {
		let notice: Notice;
		try {
			notice = JSON.parse(payload.toString()) as Notice;
		} catch {
			return;
		}
		if (notice.from === this.id) return;
		if (notice.kind === 'jobs') {
			if (this.holds(roundId)) this.sequencer?.poke(roundId);
		} else if (notice.kind === 'entries') {
			this.sequencer?.entriesCommitted(roundId, notice.entries);
		} else if (notice.kind === 'holder') {
			// The previous holder may have died between a commit and its relay: read the round again.
			void this.catchUpRound(roundId);
		} else if (notice.kind === 'bindings') {
			this.sequencer?.bindingsCommitted(roundId, notice.clients, notice.creators);
		}
	}

	/** Takes the round's lease if it is free (or expired); once held, its inbox is drained. */
	private async tryAcquire(roundId: string): Promise<void> {
		if (this.closed || this.holds(roundId)) return;
		const now = Date.now();
		if ((this.lastAttempt.get(roundId) ?? 0) > now - this.options.pollMs / 2) return;
		this.lastAttempt.set(roundId, now);
		try {
			const token = await this.leases.acquire(roundId, this.id, this.options.leaseTtlMs);
			if (token === undefined || this.closed) return;
			if (!this.held.has(roundId)) {
				await this.useRound(roundId);
				// The previous holder may have died between a commit and its relay: this process's
				// copies of the round's documents are brought up to date before it writes to them,
				// and the others are told to do the same.
				await this.catchUpRound(roundId);
				this.notify(roundId, { from: this.id, kind: 'holder' });
				this.log('info', 'lease taken', { roundId, token });
			}
			this.held.set(roundId, { token, until: now + this.options.leaseTtlMs });
			this.sequencer?.poke(roundId);
		} catch (error) {
			this.log('warn', 'lease not taken', { roundId, error: String(error) });
		}
	}

	/** Renews held leases, and takes those of rounds with waiting jobs whose holder is gone. */
	private async poll(): Promise<void> {
		if (this.polling || this.closed) return;
		this.polling = true;
		try {
			const now = Date.now();
			if (now - this.lastRenew >= this.options.leaseTtlMs / 3) {
				this.lastRenew = now;
				for (const [roundId, lease] of [...this.held]) {
					const ok = await this.leases.renew(roundId, this.id, lease.token, this.options.leaseTtlMs).catch(() => undefined);
					if (ok === true) lease.until = now + this.options.leaseTtlMs;
					else if (ok === false) {
						this.log('warn', 'lease lost', { roundId, token: lease.token });
						this.lost(roundId, lease.token);
					}
				}
				await this.lookAtNodes();
			}
			const rounds = await this.inbox.rounds();
			// The store answers again: rooms whose turn failed here are read again by the others.
			for (const room of this.rooms?.takeUnsure() ?? []) this.publish(room, READ_STORE);
			for (const roundId of rounds) {
				if (this.holds(roundId)) this.sequencer?.poke(roundId);
				else await this.tryAcquire(roundId);
			}
		} catch (error) {
			this.log('warn', 'cluster poll failed', { error: String(error) });
		} finally {
			this.polling = false;
		}
	}

	/**
	 * Renews this process's row and reads the others'. A process whose row ran out may have died
	 * between a commit and its relay: what it committed is read from the store. (One that only
	 * stalled past its time comes back with the same row; reading the store again is harmless.)
	 */
	private async lookAtNodes(): Promise<void> {
		await this.nodes.beat(this.id, this.options.leaseTtlMs);
		const live = new Set(await this.nodes.live());
		const gone = this.alive ? [...this.alive].filter((node) => !live.has(node)) : [];
		this.alive = live;
		if (gone.length === 0) return;
		this.log('info', 'processes gone: reading what they committed from the store', { nodes: gone });
		this.rooms?.forgetProcesses(gone);
		await this.resync();
	}

	private async catchUpRound(roundId: string): Promise<void> {
		try {
			await this.rooms?.resync(roundId);
			await this.sequencer?.catchUpRound(roundId);
		} catch (error) {
			this.log('warn', 'round not caught up', { roundId, error: String(error) });
		}
	}

	/** After Redis came back, or a process went: what the relays may have missed is read from the store. */
	private async resync(): Promise<void> {
		try {
			await this.rooms?.resync();
			await this.sequencer?.catchUpAll();
			for (const roundId of this.held.keys()) this.sequencer?.poke(roundId);
		} catch (error) {
			this.log('warn', 'resync from the store failed', { error: String(error) });
		}
	}
}
