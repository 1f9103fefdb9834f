// One WebSocket client in one room: speaks the y-websocket protocol, guards every update, holds
// updates whose dependencies have not arrived yet, filters awareness, and enforces the budgets
// (budgets.ts). Every handler is wrapped: garbage closes this connection at worst, never the process.
import * as decoding from 'lib0/decoding';
import type { WebSocket } from 'ws';
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import type { Log } from '../log.js';
import { TokenBucket } from '../rate-limit.js';
import { StoreUnavailable } from '../store/errors.js';
import type { MemberRow } from '../store/index.js';
import { AwarenessRefusal, encodeAwareness, readAwareness } from './awareness.js';
import type { Budgets } from './budgets.js';
import { checkUpdate, type GuardContext, type Verdict } from './guard.js';
import {
	CLOSE,
	MESSAGE_AWARENESS,
	MESSAGE_QUERY_AWARENESS,
	MESSAGE_SYNC,
	SYNC_STEP1,
	SYNC_STEP2,
	SYNC_UPDATE,
	awarenessMessage,
	syncStep1Message
} from './protocol.js';
import type { MemberQuota } from './quotas.js';
import type { Peer, Room } from './room.js';

export type Accepted = Extract<Verdict, { ok: true }>;

/** What the connection asks of the rest of the server about the round. */
export interface WriteAuthority {
	/** Loads what the guard reads synchronously for the room's round (before a connection uses it). */
	prepare(room: Room): Promise<void>;
	guardContext(room: Room, writer: MemberRow): GuardContext;
	/** Called after the guard accepted and before the update is applied. */
	accept(room: Room, writer: MemberRow, verdict: Accepted): void;
	/** Called once the update is applied. */
	applied(room: Room, writer: MemberRow, verdict: Accepted): void;
	/** Who first used this clientID in the round ('server' for the server's own), if anyone. */
	clientOwner(room: Room, clientId: number): string | undefined;
	/** Binds these unbound clientIDs to `writer` (stored with the next turn). */
	bindClients(room: Room, writer: MemberRow, clientIds: readonly number[]): void;
	/** How long to wait before applying this member's offline batch (anonymous rounds); 0 applies it now. */
	batchDelayMs(room: Room): number;
}

/** An update waiting for the structs it depends on. */
interface Held {
	update: Uint8Array;
	needs: Y.ID;
	/** Sync step 2 messages received before it was held. */
	step2s: number;
}

/** Close codes of the message budgets: the member's new sockets wait budgetPauseMs after one. */
const BUDGET_CODES = new Set<number>([CLOSE.tooManyClients, CLOSE.tooManyStructs, CLOSE.awareness, CLOSE.tooFast, CLOSE.roundQuota]);

export class Connection implements Peer {
	private readonly rate: TokenBucket;
	private closed = false;
	private readonly held: Held[] = [];
	private heldBytes = 0;
	private heldTimer: NodeJS.Timeout | undefined;
	/** Whether a sync step 1 asking for the missing structs went out since the last hold began. */
	private asked = false;
	private step2s = 0;
	private stopWatching: (() => void) | undefined;
	/** Sync messages waiting behind a delayed offline batch, in order. */
	private deferred: { update: Uint8Array; step2: boolean }[] | undefined;
	private deferTimer: NodeJS.Timeout | undefined;
	private firstStep2 = true;
	/** Awareness clientIDs this connection has spoken for. */
	private readonly speaksFor = new Set<number>();
	/** Messages are handled one after another: a sync step 1 waits for the pending commit. */
	private chain: Promise<void> = Promise.resolve();

	constructor(
		private readonly socket: WebSocket,
		readonly member: MemberRow,
		readonly room: Room,
		private readonly authority: WriteAuthority,
		private readonly budgets: Budgets,
		private readonly quota: MemberQuota,
		private readonly log: Log,
		/** Makes pending changes durable (they must be before this client may receive them); never rejects. */
		private readonly persistPending: () => Promise<void>
	) {
		this.rate = new TokenBucket(budgets.messageBurst, budgets.messagesPerSecond);
	}

	get memberId(): string {
		return this.member.id;
	}

	start(): void {
		this.send(syncStep1Message(this.room.doc));
		const states = [...this.room.awareness.getStates().keys()];
		if (states.length > 0) this.send(awarenessMessage(this.room.awareness, states));
	}

	send(message: Uint8Array): void {
		if (this.closed || this.socket.readyState !== this.socket.OPEN) return;
		this.socket.send(message, (error) => {
			if (error) this.close(CLOSE.shutdown, 'send failed');
		});
	}

	close(code: number, reason: string): void {
		if (this.closed) return;
		this.closed = true;
		clearTimeout(this.heldTimer);
		clearTimeout(this.deferTimer);
		this.stopWatching?.();
		this.socket.close(code, reason.slice(0, 120));
	}

	/** Logs the refusal once (not per struct) and closes; past a budget, the member pauses (budgetPauseMs). */
	private refuse(code: number, reason: string): void {
		this.log('warn', 'update refused', { room: this.room.name, memberId: this.member.id, code, reason });
		if (BUDGET_CODES.has(code)) this.quota.pausedUntil = Date.now() + this.budgets.budgetPauseMs;
		this.close(code, reason);
	}

	receive(data: Uint8Array): void {
		if (this.closed) return;
		if (data.byteLength > this.budgets.maxMessageBytes) return this.close(CLOSE.tooBig, 'message too big');
		if (!this.rate.take()) return this.close(CLOSE.tooMany, 'too many messages');
		this.chain = this.chain.then(() => this.handle(data));
	}

	private async handle(data: Uint8Array): Promise<void> {
		if (this.closed) return;
		try {
			await this.dispatch(decoding.createDecoder(data));
		} catch (error) {
			if (error instanceof StoreUnavailable) {
				// The server's fault, not the message's: the client reconnects and sends it again.
				this.log('error', 'message not handled', { room: this.room.name, memberId: this.member.id, error: String(error) });
				return this.close(CLOSE.serverError, 'server error');
			}
			this.log('warn', 'malformed message', { room: this.room.name, memberId: this.member.id, error: String(error) });
			this.close(CLOSE.forbidden, 'malformed message');
		}
	}

	private async dispatch(decoder: decoding.Decoder): Promise<void> {
		const type = decoding.readVarUint(decoder);
		if (type === MESSAGE_SYNC) return this.sync(decoder);
		if (type === MESSAGE_AWARENESS) return this.awareness(decoding.readVarUint8Array(decoder));
		if (type === MESSAGE_QUERY_AWARENESS) {
			this.send(awarenessMessage(this.room.awareness, [...this.room.awareness.getStates().keys()]));
		}
		// Auth messages and unknown types carry nothing the server acts on.
	}

	private async sync(decoder: decoding.Decoder): Promise<void> {
		const step = decoding.readVarUint(decoder);
		const payload = decoding.readVarUint8Array(decoder);
		if (step === SYNC_STEP1) {
			await this.persistPending();
			// A failed commit that concerned this room dropped it and closed this connection.
			if (this.closed) return;
			return this.send(this.room.syncStep2(payload));
		}
		if (step === SYNC_STEP2 || step === SYNC_UPDATE) return this.update(payload, step === SYNC_STEP2);
		throw new Error(`unknown sync step ${step}`);
	}

	private update(update: Uint8Array, step2: boolean): void {
		if (this.deferred) {
			if (!this.reserve(update)) return;
			this.deferred.push({ update, step2 });
			return;
		}
		if (step2) this.step2s += 1;
		const verdict = this.judge(update);
		if (verdict === undefined) return;
		if (!verdict.ok) {
			this.hold(update, verdict.needs);
		} else if (step2 && this.firstStep2 && verdict.changes && this.deferBatch(update)) {
			return;
		} else {
			this.apply(update, verdict);
		}
		if (step2) this.firstStep2 = false;
		this.retryHeld();
		if (step2) this.refuseUnanswered();
	}

	/**
	 * Guards `update` within this member's budgets. Returns the accepted verdict, a missing one (to
	 * hold), or undefined once the connection is closed for a refusal.
	 */
	private judge(update: Uint8Array): Accepted | Extract<Verdict, { kind: 'missing' }> | undefined {
		const context = this.authority.guardContext(this.room, this.member);
		context.limits = { newClients: this.quota.clients.available(), structs: this.budgets.structsPerMessage };
		const verdict = checkUpdate(this.room.doc, update, context);
		if (!verdict.ok) {
			if (verdict.kind === 'missing') return verdict;
			const code = verdict.kind === 'refused' ? CLOSE.forbidden : verdict.budget === 'clients' ? CLOSE.tooManyClients : CLOSE.tooManyStructs;
			this.refuse(code, verdict.reason);
			return undefined;
		}
		if (!verdict.changes) return verdict;
		const comments = verdict.comments.length;
		const buckets = verdict.newBuckets.size;
		if (this.quota.bytes + update.byteLength > this.budgets.roundBytesPerMember) {
			this.refuse(CLOSE.roundQuota, 'this member added too much to this round');
			return undefined;
		}
		if (this.quota.comments.available() < comments || this.quota.buckets.available() < buckets) {
			this.refuse(CLOSE.tooFast, comments > 0 ? 'too many comments per minute' : 'too many new buckets per minute');
			return undefined;
		}
		return verdict;
	}

	private apply(update: Uint8Array, verdict: Accepted): void {
		if (!verdict.changes) return;
		this.quota.clients.take(verdict.clients.size);
		this.quota.comments.take(verdict.comments.length);
		this.quota.buckets.take(verdict.newBuckets.size);
		this.quota.bytes += update.byteLength;
		this.authority.accept(this.room, this.member, verdict);
		// With several processes a relayed update may wait for one that Redis lost (until the
		// resync): only what this update left pending is the guard's miss.
		const pendingBefore = this.room.doc.store.pendingStructs !== null || this.room.doc.store.pendingDs !== null;
		Y.applyUpdate(this.room.doc, update, this);
		if (!pendingBefore && (this.room.doc.store.pendingStructs !== null || this.room.doc.store.pendingDs !== null)) {
			// The guard holds updates with missing dependencies, so this means it missed one.
			this.log('error', 'accepted update left pending structs', { room: this.room.name, memberId: this.member.id });
		}
		this.authority.applied(this.room, this.member, verdict);
	}

	/** Counts a waiting update against the held budgets; closes past them. */
	private reserve(update: Uint8Array): boolean {
		const waiting = this.held.length + (this.deferred?.length ?? 0);
		if (waiting >= this.budgets.heldUpdates || this.heldBytes + update.byteLength > this.budgets.heldBytes) {
			this.refuse(CLOSE.forbidden, 'too many updates waiting for missing structs');
			return false;
		}
		this.heldBytes += update.byteLength;
		return true;
	}

	/** Keeps an update whose dependencies are missing and asks the client for what we lack. */
	private hold(update: Uint8Array, needs: Y.ID): void {
		if (!this.reserve(update)) return;
		this.held.push({ update, needs, step2s: this.step2s });
		if (!this.asked) {
			this.asked = true;
			this.send(syncStep1Message(this.room.doc));
		}
		this.heldTimer ??= setTimeout(() => this.refuse(CLOSE.forbidden, 'missing structs never arrived'), this.budgets.heldMs);
		this.heldTimer.unref();
		if (!this.stopWatching) {
			// Another writer (or the server) may bring the missing structs: look again after each change.
			let due = false;
			const changed = (_update: Uint8Array, origin: unknown): void => {
				if (origin === this || due) return;
				due = true;
				queueMicrotask(() => {
					due = false;
					if (!this.closed && !this.deferred) this.retryHeld();
				});
			};
			this.room.doc.on('update', changed);
			this.stopWatching = () => this.room.doc.off('update', changed);
		}
	}

	/** Applies, in order, every held update whose missing struct has arrived (each may unblock the next). */
	private retryHeld(): void {
		let progress = true;
		while (progress && !this.closed) {
			progress = false;
			for (const entry of [...this.held]) {
				if (Y.getState(this.room.doc.store, entry.needs.client) <= entry.needs.clock) continue;
				const verdict = this.judge(entry.update);
				if (verdict === undefined) return;
				if (!verdict.ok) {
					entry.needs = verdict.needs;
					continue;
				}
				this.unhold(entry);
				this.apply(entry.update, verdict);
				progress = true;
			}
		}
		if (this.held.length === 0) this.heldDone();
	}

	private unhold(entry: Held): void {
		this.held.splice(this.held.indexOf(entry), 1);
		this.heldBytes -= entry.update.byteLength;
	}

	private heldDone(): void {
		clearTimeout(this.heldTimer);
		this.heldTimer = undefined;
		this.asked = false;
		this.stopWatching?.();
		this.stopWatching = undefined;
	}

	/**
	 * A sync step 2 answers our request with everything the client has that we lack: an update held
	 * before it that still misses structs depends on structs the client does not have either.
	 */
	private refuseUnanswered(): void {
		if (this.held.some((entry) => entry.step2s < this.step2s)) {
			this.refuse(CLOSE.forbidden, 'unresolvable update: depends on structs the client never sent');
		}
	}

	/**
	 * Anonymous rounds: delays the offline batch (and the sync messages after it) by a random time,
	 * so that its ledger entries do not follow its author's presence. Returns false when no delay applies.
	 */
	private deferBatch(update: Uint8Array): boolean {
		const delay = this.authority.batchDelayMs(this.room);
		if (delay <= 0) return false;
		this.firstStep2 = false;
		this.step2s -= 1; // counted again when it is applied
		this.deferred = [];
		if (!this.reserve(update)) return true;
		this.deferred.push({ update, step2: true });
		this.deferTimer = setTimeout(() => this.release(), delay);
		return true;
	}

	private release(): void {
		const queue = this.deferred ?? [];
		this.deferred = undefined;
		for (const { update, step2 } of queue) {
			if (this.closed) return;
			this.heldBytes -= update.byteLength;
			try {
				this.update(update, step2);
			} catch (error) {
				this.log('error', 'delayed update failed', { room: this.room.name, memberId: this.member.id, error: String(error) });
				this.close(CLOSE.serverError, 'server error');
			}
		}
	}

	private awareness(update: Uint8Array): void {
		let entries;
		try {
			entries = readAwareness(update, this.member.id, this.budgets.awarenessStatesPerConnection, this.budgets.awarenessStateBytes);
		} catch (error) {
			if (error instanceof AwarenessRefusal) return this.refuse(CLOSE.awareness, error.message);
			throw error;
		}
		const fresh = entries.filter((entry) => !this.speaksFor.has(entry.clientId));
		if (this.speaksFor.size + new Set(fresh.map((entry) => entry.clientId)).size > this.budgets.awarenessStatesPerConnection) {
			return this.refuse(CLOSE.awareness, 'too many awareness states');
		}
		const unbound: number[] = [];
		const shown = this.room.awareness.getStates();
		const kept = entries.filter((entry) => {
			const owner = this.authority.clientOwner(this.room, entry.clientId);
			if (owner !== undefined) return owner === this.member.id;
			// A stock client sends back every presence it receives. An unbound clientID whose state
			// the room shows for another connection (here, or relayed by another process that bound
			// it and has not said so yet), or a removal, claims nothing.
			if (!this.speaksFor.has(entry.clientId) && (entry.state === 'null' || shown.has(entry.clientId))) return false;
			if (!unbound.includes(entry.clientId)) unbound.push(entry.clientId);
			return true;
		});
		// Presence alone does not draw on the member's clientID budget: every stock client announces
		// a fresh clientID on each connection, and awareness never enters the documents' state
		// vectors. It is bounded per connection (above) and by the sockets a member may open.
		if (unbound.length > 0) this.authority.bindClients(this.room, this.member, unbound);
		const clients = kept.map((entry) => entry.clientId);
		for (const clientId of clients) this.speaksFor.add(clientId);
		this.room.announce(this, clients);
		if (kept.length > 0) awarenessProtocol.applyAwarenessUpdate(this.room.awareness, encodeAwareness(kept), this);
	}
}
