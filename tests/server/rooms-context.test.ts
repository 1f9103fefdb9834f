// A room read inside a transaction (the sequencer loads member docs while its turn commits) is
// unloaded and compacted later, outside it: the idle timer must not run in the context of a
// transaction that is long over (with PostgreSQL, its connection is back in the pool).
import { afterAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { Log } from '../../server/log.js';
import { openPgStore } from '../../server/store/pg/index.js';
import { Rooms } from '../../server/sync/index.js';
import { freshDatabase, servicesFor } from '../support/services.js';
import { waitFor } from './helpers.js';

const ready = await servicesFor('PostgreSQL store tests', ['postgres']);

describe.skipIf(!ready)('§6 rooms and transactions', () => {
	const cleanups: (() => Promise<void>)[] = [];
	afterAll(async () => {
		for (const cleanup of cleanups.reverse()) await cleanup();
	});

	it('§6 a room first read inside a transaction unloads and compacts after it, on a connection of its own', async () => {
		const database = await freshDatabase();
		// One connection: the transaction below holds it while the room's idle unload comes due.
		const store = await openPgStore(database.url, { poolSize: 1 });
		cleanups.push(() => database.drop(), () => store.close());
		const logs: { level: string; msg: string }[] = [];
		const log: Log = (level, msg) => logs.push({ level, msg });
		const rooms = new Rooms(store.rooms, (fn) => store.transaction(fn), { idleMs: 50, compactEvery: 1000 }, log);
		const name = 'round_context_test';
		const doc = new Y.Doc();
		for (let i = 0; i < 3; i++) {
			const before = Y.encodeStateVector(doc);
			doc.getMap('buckets').set(`b${i}`, i);
			await store.rooms.appendUpdate(name, Y.encodeStateAsUpdate(doc, before));
		}
		await store.transaction(async () => {
			await rooms.get(name, { kind: 'round', roundId: name });
		});
		// Another request's transaction, open across the unload and rolled back: a compaction that
		// ran in the first transaction's context would land in it and vanish with it.
		const other = store
			.transaction(async () => {
				await store.rooms.countUpdates('another_room');
				await new Promise((resolve) => setTimeout(resolve, 300));
				throw new Error('rolled back');
			})
			.catch(() => undefined);
		await waitFor(() => rooms.peek(name) === undefined, 'the idle unload');
		await other;
		await waitFor(async () => (await store.rooms.countUpdates(name)) === 1, 'the compaction');
		expect(logs.filter((line) => line.level !== 'info')).toEqual([]);
		const reloaded = new Y.Doc();
		for (const update of await store.rooms.loadRoom(name)) Y.applyUpdate(reloaded, update);
		expect(reloaded.getMap('buckets').toJSON()).toEqual({ b0: 0, b1: 1, b2: 2 });
	});
});
