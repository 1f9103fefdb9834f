// Awareness updates are relayed only for clientIDs bound to the sending member, so nobody can
// impersonate someone else's presence.
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

/** Keeps the entries of an awareness update whose clientID passes `allowed`; returns them re-encoded. */
export function filterAwareness(
	update: Uint8Array,
	allowed: (clientId: number) => boolean
): { update: Uint8Array; clients: number[] } {
	const decoder = decoding.createDecoder(update);
	const count = decoding.readVarUint(decoder);
	const kept: { clientId: number; clock: number; state: string }[] = [];
	for (let i = 0; i < count; i++) {
		const clientId = decoding.readVarUint(decoder);
		const clock = decoding.readVarUint(decoder);
		const state = decoding.readVarString(decoder);
		if (allowed(clientId)) kept.push({ clientId, clock, state });
	}
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, kept.length);
	for (const entry of kept) {
		encoding.writeVarUint(encoder, entry.clientId);
		encoding.writeVarUint(encoder, entry.clock);
		encoding.writeVarString(encoder, entry.state);
	}
	return { update: encoding.toUint8Array(encoder), clients: kept.map((entry) => entry.clientId) };
}
