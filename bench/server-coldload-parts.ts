// Where a cold load's time goes: the steps the server takes when the first client opens a round
// doc (rooms.ts get → sequencer roomLoaded → the sync step 2 answer), each timed on its own with
// the server's own modules on the stopped server's database, plus the client applying the answer.
import { performance } from 'node:perf_hooks';
import * as Y from 'yjs';
import { repairLedger } from '../server/sequencer/projection.js';
import { openStore } from '../server/store/index.js';
import { Room } from '../server/sync/index.js';
import { replay } from '../src/lib/domain/reducer.js';

export async function coldLoadParts(dataDir: string, roundId: string): Promise<[string, number][]> {
	const store = openStore(dataDir);
	const parts: [string, number][] = [];
	const time = async <T>(what: string, step: () => T | Promise<T>): Promise<T> => {
		const started = performance.now();
		const result = await step();
		parts.push([what, performance.now() - started]);
		return result;
	};
	try {
		const stored = await time('read the stored round doc (room_updates)', () => store.rooms.loadRoom(roundId));
		const room = await time('apply it to a new Y.Doc (new Room)', () => new Room(roundId, { kind: 'round', roundId }, stored, () => {}));
		const ledger = await time('read and parse the SQLite ledger', () => store.ledger.entries(roundId));
		const state = await time('replay the ledger (domain)', () => replay(ledger));
		await time('read and parse the ledger again (roundDocLoaded)', () => store.ledger.entries(roundId));
		await time('compare replica and ledger (repairLedger)', () => room.write(() => repairLedger(room, state, ledger)));
		const update = await time('encode sync step 2 (encodeStateAsUpdate)', () => Y.encodeStateAsUpdate(room.doc));
		await time('client: apply sync step 2', () => Y.applyUpdate(new Y.Doc(), update));
		room.destroy();
		return parts;
	} finally {
		await store.close();
	}
}
