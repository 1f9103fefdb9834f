// The RoomStore contract (DESIGN §9): every implementation (SQLite now, PostgreSQL later) runs
// this suite. Results are awaited so that an asynchronous implementation can pass it unchanged.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { RoomStore } from '../../server/store/index.js';

export interface RoomStoreHarness {
	/** A store over empty storage. */
	create(): Promise<RoomStore> | RoomStore;
	/** A new store instance over the same storage as `store` (a restart), if the backend persists. */
	reopen?(store: RoomStore): Promise<RoomStore> | RoomStore;
	dispose?(store: RoomStore): Promise<void> | void;
}

function docFrom(updates: Uint8Array[]): Y.Doc {
	const doc = new Y.Doc();
	for (const update of updates) Y.applyUpdate(doc, update);
	return doc;
}

export function roomStoreContract(name: string, harness: RoomStoreHarness): void {
	describe(`RoomStore contract: ${name}`, () => {
		const withStore = async (test: (store: RoomStore) => Promise<void> | void) => {
			const store = await harness.create();
			try {
				await test(store);
			} finally {
				await harness.dispose?.(store);
			}
		};

		it('§6 an unknown room loads as no updates', () =>
			withStore(async (store) => {
				expect(await store.loadRoom('nothing-here')).toEqual([]);
				expect(await store.countUpdates('nothing-here')).toBe(0);
			}));

		it('§6 appended updates load back in order, byte for byte, per room', () =>
			withStore(async (store) => {
				const updates = [new Uint8Array([1, 2, 3]), new Uint8Array([]), new Uint8Array([255, 0, 7])];
				for (const update of updates) await store.appendUpdate('round-a', update);
				await store.appendUpdate('round-a/members/m1', new Uint8Array([9]));
				expect(await store.loadRoom('round-a')).toEqual(updates);
				expect(await store.loadRoom('round-a/members/m1')).toEqual([new Uint8Array([9])]);
				expect(await store.countUpdates('round-a')).toBe(3);
			}));

		it('§6 compaction replaces the log with one snapshot that rebuilds the same document', () =>
			withStore(async (store) => {
				const doc = new Y.Doc();
				doc.on('update', (update: Uint8Array) => void store.appendUpdate('room', update));
				doc.getMap('round').set('name', 'Coop');
				doc.getArray('ledger').push([{ seq: 1 }, { seq: 2 }]);
				doc.getArray('ledger').delete(0, 1);
				expect(await store.countUpdates('room')).toBe(3);
				await store.compact('room', Y.encodeStateAsUpdate(doc));
				expect(await store.countUpdates('room')).toBe(1);
				const loaded = docFrom(await store.loadRoom('room'));
				expect(loaded.getMap('round').toJSON()).toEqual({ name: 'Coop' });
				expect(loaded.getArray('ledger').toJSON()).toEqual([{ seq: 2 }]);
				await store.appendUpdate('room', new Uint8Array([0, 0]));
				expect(await store.countUpdates('room')).toBe(2);
			}));

		it('§6 a stored byte array is a copy: later changes to the caller buffer do not leak in', () =>
			withStore(async (store) => {
				const update = new Uint8Array([1, 2, 3]);
				await store.appendUpdate('copy', update);
				update[0] = 42;
				expect(await store.loadRoom('copy')).toEqual([new Uint8Array([1, 2, 3])]);
			}));

		if (harness.reopen) {
			const reopen = harness.reopen;
			it('§6 updates survive reopening the store', async () => {
				const store = await harness.create();
				await store.appendUpdate('durable', new Uint8Array([5, 6]));
				const again = await reopen(store);
				try {
					expect(await again.loadRoom('durable')).toEqual([new Uint8Array([5, 6])]);
				} finally {
					await harness.dispose?.(again);
				}
			});
		}
	});
}
