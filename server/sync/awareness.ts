// Awareness updates are relayed only for clientIDs bound to the sending member, and the server
// writes who that member is: a state's `memberId` is always the connection's member, whatever the
// client put there, so nobody can show someone else online.
import * as decoding from 'lib0/decoding';
import * as encoding from 'lib0/encoding';

export interface AwarenessEntry {
	clientId: number;
	clock: number;
	/** The state as JSON; `null` removes the client's state. */
	state: string;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

export class AwarenessRefusal extends Error {}

/**
 * Reads an awareness update of at most `maxStates` entries of at most `maxStateBytes` each, and
 * rewrites every state's `memberId` to `memberId`. Throws AwarenessRefusal past a budget (before
 * reading further) and a decoding or JSON error on garbage.
 */
export function readAwareness(update: Uint8Array, memberId: string, maxStates: number, maxStateBytes: number): AwarenessEntry[] {
	const decoder = decoding.createDecoder(update);
	const count = decoding.readVarUint(decoder);
	if (count > maxStates) throw new AwarenessRefusal('too many awareness states');
	const entries: AwarenessEntry[] = [];
	for (let i = 0; i < count; i++) {
		const clientId = decoding.readVarUint(decoder);
		const clock = decoding.readVarUint(decoder);
		const bytes = decoding.readVarUint8Array(decoder);
		if (bytes.byteLength > maxStateBytes) throw new AwarenessRefusal('awareness state too big');
		const state: unknown = JSON.parse(utf8.decode(bytes));
		if (state === null) entries.push({ clientId, clock, state: 'null' });
		else if (typeof state === 'object' && !Array.isArray(state)) {
			entries.push({ clientId, clock, state: JSON.stringify({ ...state, memberId }) });
		} else throw new AwarenessRefusal('an awareness state is an object or null');
	}
	return entries;
}

export function encodeAwareness(entries: readonly AwarenessEntry[]): Uint8Array {
	const encoder = encoding.createEncoder();
	encoding.writeVarUint(encoder, entries.length);
	for (const entry of entries) {
		encoding.writeVarUint(encoder, entry.clientId);
		encoding.writeVarUint(encoder, entry.clock);
		encoding.writeVarString(encoder, entry.state);
	}
	return encoding.toUint8Array(encoder);
}
