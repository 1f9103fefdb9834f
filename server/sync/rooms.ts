// The set of loaded rooms: loads a room from the store on first use, persists every change
// (batched per event-loop turn, in one SQLite transaction) BEFORE broadcasting it, compacts the
// update log, and unloads a room once it has had no connection for `idleMs`.
//
// Persisting first matters: a client that received a struct the server then lost in a crash
// would send it back after the restart, authored by someone else or by the server, and be refused.
//
// One turn is one commit: the turn's work (the sequencer: ledger and command rows, then the
// documents it writes) and every document update of the turn share the transaction, and nothing
// of it is sent before the commit. Each commit is an fsync; at a steady rate a turn carries
// about one command, so separate commits would multiply the cost per command.
import type { Log } from '../log.js';
import type { RoomStore } from '../store/index.js';
import { CLOSE, updateMessage } from './protocol.js';
import { Room, type Peer, type RoomKind } from './room.js';

export interface RoomLifecycle {
	/** A room was just loaded (before any connection or write uses it). */
	loaded(room: Room): void;
	unloading(room: Room): void;
}

/** Work committed in the same transaction as a turn's document updates (the sequencer). */
export interface TurnWork {
	/** Whether work is queued: a turn runs for it even without document updates. */
	queued(): boolean;
	/** Runs inside the turn's transaction, before the document updates are written; may write documents. */
	run(): void;
	/** The turn's transaction failed: forget what `run` did in memory. */
	rollback(): void;
}

interface PendingUpdate {
	room: Room;
	update: Uint8Array;
	origin: unknown;
}

export interface RoomsOptions {
	idleMs: number;
	/** Compact a room's log into one snapshot once it holds this many updates. */
	compactEvery: number;
}

export class Rooms {
	private readonly loaded = new Map<string, Room>();
	private readonly stored = new Map<string, number>();
	private readonly idle = new Map<string, NodeJS.Timeout>();
	private pending: PendingUpdate[] = [];
	private flushScheduled = false;
	lifecycle: RoomLifecycle = { loaded: () => {}, unloading: () => {} };
	work: TurnWork = { queued: () => false, run: () => {}, rollback: () => {} };

	constructor(
		private readonly store: RoomStore,
		private readonly transaction: (fn: () => void) => void,
		private readonly options: RoomsOptions,
		private readonly log: Log
	) {}

	get(name: string, info: RoomKind): Room {
		const existing = this.loaded.get(name);
		if (existing) return existing;
		const updates = this.store.loadRoom(name);
		const room = new Room(name, info, updates, (changed, update, origin) => this.persist(changed, update, origin));
		this.loaded.set(name, room);
		this.stored.set(name, updates.length);
		this.lifecycle.loaded(room);
		this.scheduleIdle(room);
		return room;
	}

	peek(name: string): Room | undefined {
		return this.loaded.get(name);
	}

	all(): IterableIterator<Room> {
		return this.loaded.values();
	}

	join(room: Room, peer: Peer): void {
		room.peers.add(peer);
		clearTimeout(this.idle.get(room.name));
		this.idle.delete(room.name);
	}

	leave(room: Room, peer: Peer): void {
		room.leave(peer);
		this.scheduleIdle(room);
	}

	/**
	 * Runs the turn: the queued work and every pending update in one transaction, then broadcasts
	 * the updates, then compacts rooms whose log grew long. Synchronous: callers flush before
	 * anything must be durable. If the commit fails, the rooms whose changes were lost are dropped
	 * from memory (their clients reconnect and resync from what is durable) and the error is thrown.
	 */
	flush(): void {
		this.flushScheduled = false;
		if (this.pending.length === 0 && !this.work.queued()) return;
		let batch: PendingUpdate[] = [];
		try {
			this.transaction(() => {
				this.work.run();
				batch = this.pending;
				this.pending = [];
				for (const { room, update } of batch) this.store.appendUpdate(room.name, update);
			});
		} catch (error) {
			this.work.rollback();
			const lost = new Set([...batch, ...this.pending].map(({ room }) => room));
			this.pending = [];
			for (const room of lost) if (this.loaded.get(room.name) === room) this.discard(room);
			throw error;
		}
		for (const { room, update, origin } of batch) {
			this.stored.set(room.name, (this.stored.get(room.name) ?? 0) + 1);
			if (this.loaded.get(room.name) === room) room.broadcast(updateMessage(update), origin);
		}
		for (const { room } of batch) {
			if ((this.stored.get(room.name) ?? 0) >= this.options.compactEvery && this.loaded.get(room.name) === room) {
				this.compact(room);
			}
		}
	}

	/** Runs a turn once this event-loop turn's I/O is handled (a no-op if one is already due). */
	schedule(): void {
		if (this.flushScheduled) return;
		this.flushScheduled = true;
		setImmediate(() => this.safeFlush());
	}

	/** Persists everything and unloads every room (shutdown). */
	closeAll(): void {
		this.flush();
		for (const room of [...this.loaded.values()]) this.unload(room);
	}

	private persist(room: Room, update: Uint8Array, origin: unknown): void {
		this.pending.push({ room, update, origin });
		this.schedule();
	}

	/** `flush`, logging a failure instead of throwing it (the rooms it concerned are dropped). */
	safeFlush(): void {
		try {
			this.flush();
		} catch (error) {
			this.log('error', 'room persistence failed', { error: String(error) });
		}
	}

	private compact(room: Room): void {
		this.store.compact(room.name, room.encodedState());
		this.stored.set(room.name, 1);
	}

	private scheduleIdle(room: Room): void {
		if (room.peers.size > 0 || this.idle.has(room.name)) return;
		const timer = setTimeout(() => {
			this.idle.delete(room.name);
			if (room.peers.size === 0 && this.loaded.get(room.name) === room) {
				try {
					this.flush();
					this.unload(room);
				} catch (error) {
					this.log('error', 'room unload failed', { room: room.name, error: String(error) });
				}
			}
		}, this.options.idleMs);
		timer.unref();
		this.idle.set(room.name, timer);
	}

	private unload(room: Room): void {
		if ((this.stored.get(room.name) ?? 0) > 1) this.compact(room);
		this.drop(room);
	}

	/** Drops a room whose in-memory changes could not be persisted. */
	private discard(room: Room): void {
		this.log('error', 'room dropped after a failed commit', { room: room.name });
		for (const peer of room.peers) peer.close(CLOSE.serverError, 'server error');
		this.drop(room);
	}

	private drop(room: Room): void {
		clearTimeout(this.idle.get(room.name));
		this.idle.delete(room.name);
		this.lifecycle.unloading(room);
		this.loaded.delete(room.name);
		this.stored.delete(room.name);
		room.destroy();
	}
}
