// DESIGN §10: a new client's sync step 2 for an empty state vector is encoded once per document
// change, not once per client; clients that already hold part of the document get a diff.
import * as decoding from 'lib0/decoding';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { repairLedger } from '../../server/sequencer/projection.js';
import { Room } from '../../server/sync/index.js';
import { MESSAGE_SYNC, SYNC_STEP2 } from '../../server/sync/protocol.js';
import { emptyState } from '../../src/lib/domain/reducer.js';
import type { LedgerEntry } from '../../src/lib/domain/types.js';

const EMPTY_STATE_VECTOR = Y.encodeStateVector(new Y.Doc());

function room(stored: Uint8Array[] = []): Room {
	return new Room('round_room_test', { kind: 'round', roundId: 'round_room_test' }, stored, () => {});
}

/** The update inside a sync step 2 message. */
function step2Update(message: Uint8Array): Uint8Array {
	const decoder = decoding.createDecoder(message);
	expect(decoding.readVarUint(decoder)).toBe(MESSAGE_SYNC);
	expect(decoding.readVarUint(decoder)).toBe(SYNC_STEP2);
	return decoding.readVarUint8Array(decoder);
}

function docOf(...updates: Uint8Array[]): Y.Doc {
	const doc = new Y.Doc();
	for (const update of updates) Y.applyUpdate(doc, update);
	return doc;
}

describe('§10 full state for new clients', () => {
	it('§10 the same bytes go to every new client until the document changes', () => {
		const r = room();
		r.write(() => r.doc.getArray('ledger').push([{ seq: 1 }]));
		const first = r.syncStep2(EMPTY_STATE_VECTOR);
		expect(r.syncStep2(EMPTY_STATE_VECTOR)).toBe(first);
		expect(docOf(step2Update(first)).getArray('ledger').toJSON()).toEqual([{ seq: 1 }]);

		r.write(() => r.doc.getArray('ledger').push([{ seq: 2 }]));
		const second = r.syncStep2(EMPTY_STATE_VECTOR);
		expect(second).not.toBe(first);
		expect(docOf(step2Update(second)).getArray('ledger').toJSON()).toEqual([{ seq: 1 }, { seq: 2 }]);
		r.destroy();
	});

	it('§10 a deletion also renews the cached state', () => {
		const r = room();
		r.write(() => r.doc.getArray('ledger').push([{ seq: 1 }, { seq: 2 }]));
		const before = r.syncStep2(EMPTY_STATE_VECTOR);
		r.write(() => r.doc.getArray('ledger').delete(0, 1));
		expect(docOf(step2Update(r.syncStep2(EMPTY_STATE_VECTOR))).getArray('ledger').toJSON()).toEqual([{ seq: 2 }]);
		expect(r.syncStep2(EMPTY_STATE_VECTOR)).not.toBe(before);
		r.destroy();
	});

	it('§10 a room loaded from one stored snapshot answers with that snapshot, then with the changed state', () => {
		const source = new Y.Doc();
		source.getMap('round').set('name', 'Assemblée');
		const snapshot = Y.encodeStateAsUpdate(source);
		const r = room([snapshot]);
		expect(step2Update(r.syncStep2(EMPTY_STATE_VECTOR))).toEqual(snapshot);
		r.write(() => r.doc.getMap('round').set('phase', 'funding'));
		expect(docOf(step2Update(r.syncStep2(EMPTY_STATE_VECTOR))).getMap('round').toJSON()).toEqual({ name: 'Assemblée', phase: 'funding' });
		r.destroy();
	});

	it('§10 a client holding part of the document gets only what it lacks', () => {
		const r = room();
		r.write(() => r.doc.getArray('ledger').push([{ seq: 1 }]));
		const client = docOf(step2Update(r.syncStep2(EMPTY_STATE_VECTOR)));
		r.write(() => r.doc.getArray('ledger').push([{ seq: 2 }]));
		const diff = step2Update(r.syncStep2(Y.encodeStateVector(client)));
		expect(diff.byteLength).toBeLessThan(Y.encodeStateAsUpdate(r.doc).byteLength);
		Y.applyUpdate(client, diff);
		expect(client.getArray('ledger').toJSON()).toEqual([{ seq: 1 }, { seq: 2 }]);
		r.destroy();
	});
});

describe('§6 ledger replica check at load', () => {
	const entries = [
		{ seq: 1, type: 'open', at: 1, settings: { name: 'Tour', currency: 'EUR' } },
		{ seq: 2, type: 'allocate', at: 2, memberId: 'member_one', amount: 100 }
	] as unknown as LedgerEntry[];

	it('§6 a replica equal to SQLite is left alone, even when its entries hold undefined fields', () => {
		const r = room();
		r.write(() => r.doc.getArray('ledger').push([entries[0], { ...entries[1], partial: undefined }]));
		expect(r.doc.getArray('ledger').get(1)).toHaveProperty('partial', undefined);
		r.write(() => expect(repairLedger(r, emptyState(), entries)).toBe('none'));
		r.destroy();
	});

	it('§6 a replica behind SQLite is completed, one that differs in a nested field is rebuilt', () => {
		const behind = room();
		behind.write(() => behind.doc.getArray('ledger').push([entries[0]]));
		behind.write(() => expect(repairLedger(behind, emptyState(), entries)).toBe('appended'));
		expect(behind.doc.getArray('ledger').toJSON()).toEqual(entries);
		behind.destroy();

		const differs = room();
		differs.write(() => differs.doc.getArray('ledger').push([{ ...entries[0], settings: { name: 'Tour', currency: 'CHF' } }, entries[1]]));
		differs.write(() => expect(repairLedger(differs, emptyState(), entries)).toBe('rebuilt'));
		expect(differs.doc.getArray('ledger').toJSON()).toEqual(entries);
		differs.destroy();
	});
});
