// One WebSocket client in one room: speaks the y-websocket protocol, guards every update,
// filters awareness, and enforces the size and rate limits. Every handler is wrapped: garbage
// closes this connection at worst, never the process.
import * as decoding from 'lib0/decoding';
import type { WebSocket } from 'ws';
import * as Y from 'yjs';
import type { Log } from '../log.js';
import { TokenBucket } from '../rate-limit.js';
import type { MemberRow } from '../store/index.js';
import { filterAwareness } from './awareness.js';
import { checkUpdate, type GuardContext, type Verdict } from './guard.js';
import * as awarenessProtocol from 'y-protocols/awareness';
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
import type { Peer, Room } from './room.js';

export interface ConnectionLimits {
	maxMessageBytes: number;
	messagesPerSecond: number;
	messageBurst: number;
}

/** What the connection asks of the rest of the server about the round. */
export interface WriteAuthority {
	guardContext(room: Room, writer: MemberRow): GuardContext;
	/** Called after the guard accepted and before the update is applied. */
	accept(room: Room, writer: MemberRow, verdict: Extract<Verdict, { ok: true }>): void;
	/** Called once the update is applied. */
	applied(room: Room, writer: MemberRow, verdict: Extract<Verdict, { ok: true }>): void;
	/** Whether `writer` may speak for this awareness clientID (binding it if it is new). */
	claimClient(room: Room, writer: MemberRow, clientId: number): boolean;
}

export class Connection implements Peer {
	private readonly rate: TokenBucket;
	private closed = false;

	constructor(
		private readonly socket: WebSocket,
		readonly member: MemberRow,
		readonly room: Room,
		private readonly authority: WriteAuthority,
		private readonly limits: ConnectionLimits,
		private readonly log: Log,
		/** Makes pending changes durable (they must be before this client may receive them); never throws. */
		private readonly persistPending: () => void
	) {
		this.rate = new TokenBucket(limits.messageBurst, limits.messagesPerSecond);
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
		this.socket.close(code, reason.slice(0, 120));
	}

	receive(data: Uint8Array): void {
		if (this.closed) return;
		if (data.byteLength > this.limits.maxMessageBytes) return this.close(CLOSE.tooBig, 'message too big');
		if (!this.rate.take()) return this.close(CLOSE.tooMany, 'too many messages');
		try {
			this.dispatch(decoding.createDecoder(data));
		} catch (error) {
			this.log('warn', 'malformed message', { room: this.room.name, memberId: this.member.id, error: String(error) });
			this.close(CLOSE.forbidden, 'malformed message');
		}
	}

	private dispatch(decoder: decoding.Decoder): void {
		const type = decoding.readVarUint(decoder);
		if (type === MESSAGE_SYNC) return this.sync(decoder);
		if (type === MESSAGE_AWARENESS) return this.awareness(decoding.readVarUint8Array(decoder));
		if (type === MESSAGE_QUERY_AWARENESS) {
			this.send(awarenessMessage(this.room.awareness, [...this.room.awareness.getStates().keys()]));
		}
		// Auth messages and unknown types carry nothing the server acts on.
	}

	private sync(decoder: decoding.Decoder): void {
		const step = decoding.readVarUint(decoder);
		const payload = decoding.readVarUint8Array(decoder);
		if (step === SYNC_STEP1) {
			this.persistPending();
			// A failed commit that concerned this room dropped it and closed this connection.
			if (this.closed) return;
			return this.send(this.room.syncStep2(payload));
		}
		if (step === SYNC_STEP2 || step === SYNC_UPDATE) return this.update(payload);
		throw new Error(`unknown sync step ${step}`);
	}

	private update(update: Uint8Array): void {
		const verdict = checkUpdate(this.room.doc, update, this.authority.guardContext(this.room, this.member));
		if (!verdict.ok) {
			this.log('warn', 'update refused', { room: this.room.name, memberId: this.member.id, reason: verdict.reason });
			return this.close(CLOSE.forbidden, verdict.reason);
		}
		if (!verdict.changes) return;
		this.authority.accept(this.room, this.member, verdict);
		Y.applyUpdate(this.room.doc, update, this);
		if (this.room.doc.store.pendingStructs !== null || this.room.doc.store.pendingDs !== null) {
			// The guard refuses updates with missing dependencies, so this means it missed one.
			this.log('error', 'accepted update left pending structs', { room: this.room.name, memberId: this.member.id });
		}
		this.authority.applied(this.room, this.member, verdict);
	}

	private awareness(update: Uint8Array): void {
		const allowed = filterAwareness(update, (clientId) => this.authority.claimClient(this.room, this.member, clientId));
		this.room.announce(this, allowed.clients);
		if (allowed.clients.length > 0) awarenessProtocol.applyAwarenessUpdate(this.room.awareness, allowed.update, this);
	}
}
