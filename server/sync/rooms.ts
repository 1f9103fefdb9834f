// The set of loaded rooms: loads a room from the store on first use, persists every change
// (batched per turn, in one transaction) BEFORE broadcasting it, compacts the update log, and
// unloads a room once it has had no connection for `idleMs`.
//
// Persisting first matters: a client that received a struct the server then lost in a crash
// would send it back after the restart, authored by someone else or by the server, and be refused.
//
// One turn is one commit: the turn's work (the sequencer: ledger and command rows, then the
// documents it writes) and every document update of the turn share the transaction, and nothing
// of it is sent before the commit. Each commit is an fsync; at a steady rate a turn carries
// about one command, so separate commits would multiply the cost per command. Turns run one at a
// time; what arrives while one commits goes into the next.
//
// With several processes (DESIGN §14) a `Fanout` relays each committed update, and each local
// awareness change, to the other processes that have the room loaded: the same bytes that local
// clients receive. What another process relayed is applied with REMOTE_ORIGIN: it is stored
// already, so it is only shown to this process's clients.
import { AsyncResource } from 'node:async_hooks';
import * as decoding from 'lib0/decoding';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import type { Log } from '../log.js';
import type { RoomStore } from '../store/index.js';
import { CLOSE, MESSAGE_AWARENESS, MESSAGE_READ_STORE, MESSAGE_SYNC, SYNC_STEP2, SYNC_UPDATE, updateMessage } from './protocol.js';
import { REMOTE_ORIGIN, Room, type Peer, type RoomKind } from './room.js';

export interface RoomLifecycle {
	/** A room was just read from the store (before any connection or write uses it). */
	loaded(room: Room): Promise<void>;
	unloading(room: Room): void;
}

/** Work committed in the same transaction as a turn's document updates (the sequencer). */
export interface TurnWork {
	/** Whether work is queued: a turn runs for it even without document updates. */
	queued(): boolean;
	/** Runs inside the turn's transaction, before the document updates are written; may write documents. */
	run(): Promise<void>;
	/** The turn's transaction failed: forget what `run` did in memory. */
	rollback(): Promise<void>;
	/** The turn committed: tell what must be told only after a commit. */
	committed(): void;
}

/** Carries rooms' committed updates and awareness between processes (server/cluster/fanout.ts). */
export interface Fanout {
	/** Starts relaying the room's messages from other processes to `Rooms.relayed` (before the room is read). */
	subscribe(room: string): Promise<void>;
	unsubscribe(room: string): void;
	/** Sends a committed update's message, or a local awareness message, to the other processes. */
	publish(room: string, message: Uint8Array): void;
}

/** Rows written with a turn's updates, what to tell once they committed, and what to undo if they did not. */
interface Extra {
	write: () => Promise<void>;
	committed?: () => void;
	failed?: () => void;
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
	private readonly loading = new Map<string, { promise: Promise<Room>; early: { message: Uint8Array; from?: string }[] }>();
	/**
	 * Rooms of turns whose commit failed. It may have happened all the same (a connection lost
	 * during COMMIT), and then the other processes' copies lack its updates, which were never
	 * relayed: once the store answers again they are told to read these rooms from it.
	 */
	private readonly unsure = new Set<string>();
	/** Per loaded room, the process each relayed presence came from (so that a dead process's presences can go). */
	private readonly presenceFrom = new Map<string, Map<number, string>>();
	private readonly stored = new Map<string, number>();
	private readonly idle = new Map<string, NodeJS.Timeout>();
	private pending: PendingUpdate[] = [];
	/** Rows written with the next turn's updates (clientID bindings, bucket creators), and what to tell after its commit. */
	private extras: Extra[] = [];
	private flushScheduled = false;
	private closing = false;
	private turn: Promise<void> = Promise.resolve();
	/** The message being relayed from another process, shown as received (encoded once). */
	private relaying: Uint8Array | undefined;
	lifecycle: RoomLifecycle = { loaded: async () => {}, unloading: () => {} };
	work: TurnWork = { queued: () => false, run: async () => {}, rollback: async () => {}, committed: () => {} };
	fanout: Fanout | undefined;
	/**
	 * Runs a function outside whatever transaction its caller is in: a turn is scheduled from
	 * request handlers, some inside a transaction of theirs, and must run in a transaction of its own.
	 */
	private readonly detached = AsyncResource.bind(<T>(fn: () => T): T => fn());

	constructor(
		private readonly store: RoomStore,
		private readonly transaction: (fn: () => Promise<void>) => Promise<void>,
		private readonly options: RoomsOptions,
		private readonly log: Log
	) {}

	/** The room, read from the store (and reconciled by the lifecycle) on first use. */
	get(name: string, info: RoomKind): Promise<Room> {
		const existing = this.loaded.get(name);
		if (existing) return Promise.resolve(existing);
		const inFlight = this.loading.get(name);
		if (inFlight) return inFlight.promise;
		const entry = { promise: this.load(name, info), early: [] as { message: Uint8Array; from?: string }[] };
		this.loading.set(name, entry);
		entry.promise.then(
			() => this.loading.delete(name),
			() => this.loading.delete(name)
		);
		return entry.promise;
	}

	private async load(name: string, info: RoomKind): Promise<Room> {
		// Subscribe before reading: what another process commits meanwhile arrives either in the
		// stored rows or as a relayed message kept until the room exists (applying twice is harmless).
		await this.fanout?.subscribe(name);
		try {
			const updates = await this.store.loadRoom(name);
			const room = new Room(
				name,
				info,
				updates,
				(changed, update, origin) => this.persist(changed, update, origin),
				(changed, message, origin) => {
					if (origin !== REMOTE_ORIGIN) this.fanout?.publish(changed.name, message);
				}
			);
			this.stored.set(name, updates.length);
			await this.lifecycle.loaded(room);
			this.loaded.set(name, room);
			for (const { message, from } of this.loading.get(name)?.early ?? []) this.apply(room, message, from);
			this.scheduleIdle(room);
			return room;
		} catch (error) {
			this.fanout?.unsubscribe(name);
			this.stored.delete(name);
			throw error;
		}
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

	/** A message process `from` relayed for `name` (a committed update or an awareness change). */
	relayed(name: string, message: Uint8Array, from?: string): void {
		const room = this.loaded.get(name);
		if (room) return this.apply(room, message, from);
		this.loading.get(name)?.early.push({ message, from });
	}

	/** The rooms of failed turns since the last call (see `unsure`): the caller tells the other processes. */
	takeUnsure(): string[] {
		const names = [...this.unsure];
		this.unsure.clear();
		return names;
	}

	/** Processes that are gone: the presences they relayed are removed now, not at the awareness timeout (30 s). */
	forgetProcesses(nodes: readonly string[]): void {
		const gone = new Set(nodes);
		for (const room of this.loaded.values()) {
			const from = this.presenceFrom.get(room.name);
			if (!from) continue;
			const ids = [...from].filter(([, node]) => gone.has(node)).map(([clientId]) => clientId);
			for (const clientId of ids) from.delete(clientId);
			if (ids.length > 0) awarenessProtocol.removeAwarenessStates(room.awareness, ids, REMOTE_ORIGIN);
		}
	}

	/** Remembers which process each presence of a relayed awareness update came from (a null state: it left). */
	private notePresence(room: Room, update: Uint8Array, node: string): void {
		let from = this.presenceFrom.get(room.name);
		if (!from) this.presenceFrom.set(room.name, (from = new Map()));
		const decoder = decoding.createDecoder(update);
		const count = decoding.readVarUint(decoder);
		for (let i = 0; i < count; i++) {
			const clientId = decoding.readVarUint(decoder);
			decoding.readVarUint(decoder);
			if (decoding.readVarString(decoder) === 'null') from.delete(clientId);
			else from.set(clientId, node);
		}
	}

	private apply(room: Room, message: Uint8Array, from?: string): void {
		try {
			const decoder = decoding.createDecoder(message);
			const type = decoding.readVarUint(decoder);
			if (type === MESSAGE_SYNC) {
				const step = decoding.readVarUint(decoder);
				if (step !== SYNC_UPDATE && step !== SYNC_STEP2) return;
				this.relaying = message;
				try {
					Y.applyUpdate(room.doc, decoding.readVarUint8Array(decoder), REMOTE_ORIGIN);
				} finally {
					this.relaying = undefined;
				}
			} else if (type === MESSAGE_READ_STORE) {
				this.merge(room).catch((error: unknown) => this.log('warn', 'room not read again from the store', { room: room.name, error: String(error) }));
			} else if (type === MESSAGE_AWARENESS) {
				const update = decoding.readVarUint8Array(decoder);
				awarenessProtocol.applyAwarenessUpdate(room.awareness, update, REMOTE_ORIGIN);
				if (from !== undefined) this.notePresence(room, update, from);
			}
		} catch (error) {
			this.log('error', 'relayed message not applied', { room: room.name, error: String(error) });
		}
	}

	/**
	 * Merges into every loaded room (of the round, if given) what the store holds, after relays
	 * from other processes may have been lost; what was new is shown to this process's clients.
	 */
	async resync(roundId?: string): Promise<void> {
		for (const room of [...this.loaded.values()]) {
			if (roundId === undefined || room.info.roundId === roundId) await this.merge(room);
		}
	}

	/** `resync` of one room, if it is loaded (a room read later reads the store anyway). */
	async resyncRoom(name: string): Promise<void> {
		const room = this.loaded.get(name);
		if (room) await this.merge(room);
	}

	private async merge(room: Room): Promise<void> {
		const updates = await this.store.loadRoom(room.name);
		if (this.loaded.get(room.name) !== room) return;
		Y.transact(room.doc, () => {
			for (const update of updates) Y.applyUpdate(room.doc, update, REMOTE_ORIGIN);
		}, REMOTE_ORIGIN);
	}

	/**
	 * Rows to write in the next turn's transaction, what to do once it committed, and what to undo
	 * if it failed. A `write` that throws fails the whole turn: none of its updates is kept.
	 */
	alsoWrite(write: () => Promise<void>, committed?: () => void, failed?: () => void): void {
		this.extras.push({ write, committed, failed });
		this.schedule();
	}

	/**
	 * Runs a turn after the ones already running: the queued work and every pending update in one
	 * transaction, then broadcasts the updates, then compacts rooms whose log grew long. Resolves
	 * once everything pending when it was called is committed. If the commit fails, the rooms
	 * whose changes were lost are dropped from memory (their clients reconnect and resync from
	 * what is durable) and it rejects.
	 */
	flush(): Promise<void> {
		const next = this.turn.then(() => this.detached(() => this.runTurn()));
		this.turn = next.catch(() => {});
		return next;
	}

	private async runTurn(): Promise<void> {
		this.flushScheduled = false;
		if (this.pending.length === 0 && this.extras.length === 0 && !this.work.queued()) return;
		let batch: PendingUpdate[] = [];
		const extras = this.extras;
		this.extras = [];
		try {
			await this.transaction(async () => {
				for (const extra of extras) await extra.write();
				await this.work.run();
				batch = this.pending;
				this.pending = [];
				await this.store.appendUpdates(batch.map(({ room, update }) => ({ room: room.name, update })));
				// Writes the work's own publishing queued meanwhile (its rows are in this commit too).
				const late = this.extras;
				this.extras = [];
				extras.push(...late);
				for (const extra of late) await extra.write();
			});
		} catch (error) {
			await this.work.rollback();
			for (const extra of extras) extra.failed?.();
			const lost = new Set([...batch, ...this.pending].map(({ room }) => room));
			if (this.fanout) for (const room of lost) this.unsure.add(room.name);
			this.pending = [];
			for (const room of lost) if (this.loaded.get(room.name) === room) this.discard(room);
			throw error;
		}
		// What the other processes are told, in an order they receive it in through one Redis
		// connection: first the extras' notices (clientID and creator bindings, which their guards
		// need before they see structs of those clientIDs), then the updates, then the work's notices
		// ("jobs are waiting", ledger entries), so that a holder woken for jobs has, by then, usually
		// applied the edits they came from (the sequencer does not rely on it: it reads the round doc
		// from the store for another process's bucket jobs).
		for (const extra of extras) extra.committed?.();
		for (const { room, update, origin } of batch) {
			this.stored.set(room.name, (this.stored.get(room.name) ?? 0) + 1);
			const message = updateMessage(update);
			this.fanout?.publish(room.name, message);
			if (this.loaded.get(room.name) === room) room.broadcast(message, origin);
		}
		this.work.committed();
		for (const room of new Set(batch.map(({ room }) => room))) {
			if ((this.stored.get(room.name) ?? 0) >= this.options.compactEvery && this.loaded.get(room.name) === room) {
				await this.compact(room);
			}
		}
	}

	/** Runs a turn once this event-loop turn's I/O is handled (a no-op if one is already due). */
	schedule(): void {
		if (this.flushScheduled) return;
		this.flushScheduled = true;
		setImmediate(() => this.detached(() => void this.safeFlush()));
	}

	/** Persists everything and unloads every room (shutdown). */
	async closeAll(): Promise<void> {
		// No idle unload may run after this (it would compact on a store about to close).
		this.closing = true;
		for (const timer of this.idle.values()) clearTimeout(timer);
		this.idle.clear();
		await this.flush();
		for (const room of [...this.loaded.values()]) await this.unload(room);
	}

	private persist(room: Room, update: Uint8Array, origin: unknown): void {
		if (origin === REMOTE_ORIGIN) {
			// Committed by another process: shown to this process's clients, not stored again.
			if (this.loaded.get(room.name) === room) room.broadcast(this.relaying ?? updateMessage(update));
			return;
		}
		this.pending.push({ room, update, origin });
		this.schedule();
	}

	/** `flush`, logging a failure instead of rejecting (the rooms it concerned are dropped). */
	async safeFlush(): Promise<void> {
		try {
			await this.flush();
		} catch (error) {
			this.log('error', 'room persistence failed', { error: String(error) });
		}
	}

	private async compact(room: Room): Promise<void> {
		try {
			await this.store.compact(room.name, room.encodedState());
			this.stored.set(room.name, 1);
		} catch (error) {
			this.log('warn', 'room compaction failed', { room: room.name, error: String(error) });
		}
	}

	private scheduleIdle(room: Room): void {
		if (this.closing || room.peers.size > 0 || this.idle.has(room.name)) return;
		// Detached: a room may load inside a turn's transaction, which is long over when this runs.
		const timer = setTimeout(
			() =>
				this.detached(() => {
					this.idle.delete(room.name);
					if (room.peers.size === 0 && this.loaded.get(room.name) === room) {
						this.flush()
							.then(() => (room.peers.size === 0 && this.loaded.get(room.name) === room ? this.unload(room) : undefined))
							.catch((error: unknown) => this.log('error', 'room unload failed', { room: room.name, error: String(error) }));
					}
				}),
			this.options.idleMs
		);
		timer.unref();
		this.idle.set(room.name, timer);
	}

	private async unload(room: Room): Promise<void> {
		if ((this.stored.get(room.name) ?? 0) > 1) await this.compact(room);
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
		this.presenceFrom.delete(room.name);
		this.fanout?.unsubscribe(room.name);
		room.destroy();
	}
}
