// Hostile y-websocket messages built by hand (building them with Yjs would cost what the attack
// costs the server). Shared by the security tests and the latency-under-attack benchmark.
import * as encoding from 'lib0/encoding';
import type * as Y from 'yjs';
import { encodeAwareness } from '../server/sync/awareness.js';

/** A sync message carrying `update` as an update (y-websocket: type 0, step 2). */
export function syncUpdate(update: Uint8Array): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, 0);
	encoding.writeVarUint(encoder, 2);
	encoding.writeVarUint8Array(encoder, update);
	return encoding.toUint8Array(encoder);
}

/**
 * A V1 update with one struct from each of `count` fresh clientIDs (from `nextClient`):
 * `struct` writes the struct's info byte and body.
 */
export function freshClientsUpdate(count: number, nextClient: () => number, struct: (encoder: encoding.Encoder, i: number) => void): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, count);
	for (let i = 0; i < count; i++) {
		encoding.writeVarUint(encoder, 1);
		encoding.writeVarUint(encoder, nextClient());
		encoding.writeVarUint(encoder, 0);
		struct(encoder, i);
	}
	encoding.writeVarUint(encoder, 0); // no deletions
	return encoding.toUint8Array(encoder);
}

/** Items each setting the `summary` of the bucket map held by `parent` (ContentAny, parent by ID, with a key). */
export function mapSets(count: number, parent: Y.ID, nextClient: () => number): Uint8Array {
	return freshClientsUpdate(count, nextClient, (encoder, i) => {
		encoding.writeUint8(encoder, 8 | 0x20);
		encoding.writeVarUint(encoder, 0);
		encoding.writeVarUint(encoder, parent.client);
		encoding.writeVarUint(encoder, parent.clock);
		encoding.writeVarString(encoder, 'summary');
		encoding.writeVarUint(encoder, 1);
		encoding.writeAny(encoder, `summary ${i}`);
	});
}

/** An awareness message announcing `count` fresh clientIDs. */
export function awarenessFlood(count: number, nextClient: () => number): { message: Uint8Array; first: number } {
	const entries = Array.from({ length: count }, () => ({ clientId: nextClient(), clock: 1, state: '{"user":{}}' }));
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, 1);
	encoding.writeVarUint8Array(encoder, encodeAwareness(entries));
	return { message: encoding.toUint8Array(encoder), first: entries[0]!.clientId };
}
