// One loaded Yjs document with its live connections. Changes go to `onUpdate` (the rooms persist
// them, then broadcast them: nobody receives a struct the server could lose in a crash); every
// broadcast is encoded once and the same bytes are sent to every connection.
import * as awarenessProtocol from 'y-protocols/awareness';
import * as Y from 'yjs';
import { awarenessMessage, syncStep2Message, updateStep2Message } from './protocol.js';

export type RoomKind = { kind: 'round'; roundId: string } | { kind: 'member'; roundId: string; memberId: string };

/** What a room needs from a connection. */
export interface Peer {
	readonly memberId: string;
	send(message: Uint8Array): void;
	close(code: number, reason: string): void;
}

/** Origin of the server's own writes: they bypass the guard. */
export const SERVER_ORIGIN = Symbol('server');
/** Origin of what another process committed and relayed (distributed setup): stored already, only shown. */
export const REMOTE_ORIGIN = Symbol('remote');

export class Room {
	readonly doc = new Y.Doc();
	readonly awareness: awarenessProtocol.Awareness;
	readonly peers = new Set<Peer>();
	/**
	 * The peer that last announced each awareness clientID: only its leaving removes that state.
	 * A reconnecting client keeps its clientID, and its old socket may close after the new one
	 * has announced it (a dead socket is noticed seconds later).
	 */
	private readonly announcers = new Map<number, Peer>();
	/**
	 * The whole document encoded (and its sync step 2 message), kept until the document next
	 * changes: encoding a large round doc costs tens of ms, and clients arrive in crowds.
	 */
	private snapshot: { update: Uint8Array; step2?: Uint8Array } | undefined;

	constructor(
		readonly name: string,
		readonly info: RoomKind,
		stored: Uint8Array[],
		onUpdate: (room: Room, update: Uint8Array, origin: unknown) => void,
		/** Told of every awareness message this room broadcasts (the other processes get local ones). */
		onAwareness: (room: Room, message: Uint8Array, origin: unknown) => void = () => {}
	) {
		Y.transact(this.doc, () => {
			for (const update of stored) Y.applyUpdate(this.doc, update);
		});
		// A single stored row is a compacted snapshot: the encoded state itself, until a change.
		if (stored.length === 1) this.snapshot = { update: stored[0]! };
		this.awareness = new awarenessProtocol.Awareness(this.doc);
		this.awareness.setLocalState(null);
		this.doc.on('update', (update: Uint8Array, origin: unknown) => {
			this.snapshot = undefined;
			onUpdate(this, update, origin);
		});
		this.awareness.on(
			'update',
			({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) => {
				const changed = [...added, ...updated, ...removed];
				if (changed.length === 0) return;
				const message = awarenessMessage(this.awareness, changed);
				this.broadcast(message, origin);
				onAwareness(this, message, origin);
			}
		);
	}

	/** The whole document as one update (what compaction stores). */
	encodedState(): Uint8Array {
		return this.currentSnapshot().update;
	}

	/** The answer to a client's sync step 1: what it lacks of the document. */
	syncStep2(stateVector: Uint8Array): Uint8Array {
		if (Y.decodeStateVector(stateVector).size > 0) return syncStep2Message(this.doc, stateVector);
		const snapshot = this.currentSnapshot();
		snapshot.step2 ??= updateStep2Message(snapshot.update);
		return snapshot.step2;
	}

	private currentSnapshot(): { update: Uint8Array; step2?: Uint8Array } {
		this.snapshot ??= { update: Y.encodeStateAsUpdate(this.doc) };
		return this.snapshot;
	}

	/** Writes with the server origin (never guarded). */
	write(fn: () => void): void {
		Y.transact(this.doc, fn, SERVER_ORIGIN);
	}

	broadcast(message: Uint8Array, except?: unknown): void {
		for (const peer of this.peers) if (peer !== except) peer.send(message);
	}

	/** Records that `peer` speaks for these awareness clientIDs (whether or not their states changed). */
	announce(peer: Peer, clientIds: number[]): void {
		for (const clientId of clientIds) this.announcers.set(clientId, peer);
	}

	/** Removes the peer and the awareness states that no other peer announced since it did. */
	leave(peer: Peer): void {
		this.peers.delete(peer);
		const gone: number[] = [];
		for (const [clientId, announcer] of this.announcers) {
			if (announcer === peer) gone.push(clientId);
		}
		for (const clientId of gone) this.announcers.delete(clientId);
		if (gone.length > 0) awarenessProtocol.removeAwarenessStates(this.awareness, gone, peer);
	}

	destroy(): void {
		this.awareness.destroy();
		this.doc.destroy();
	}
}

/** `<roundId>` or `<roundId>/members/<memberId>`; undefined for anything else. */
export function parseRoomName(name: string): RoomKind | undefined {
	const parts = name.split('/');
	const id = /^[A-Za-z0-9_-]{10,64}$/;
	if (parts.length === 1 && id.test(parts[0]!)) return { kind: 'round', roundId: parts[0]! };
	if (parts.length === 3 && parts[1] === 'members' && id.test(parts[0]!) && id.test(parts[2]!)) {
		return { kind: 'member', roundId: parts[0]!, memberId: parts[2]! };
	}
	return undefined;
}

export const roundRoom = (roundId: string): string => roundId;
export const memberRoom = (roundId: string, memberId: string): string => `${roundId}/members/${memberId}`;
