// Where a cold load's time goes: the steps the server takes when the first client opens a round
// doc (rooms.ts get → sequencer roomLoaded → the sync step 2 answer), each timed on its own with
// the server's own modules on the stopped server's database, plus the client applying the answer.
import { performance } from 'node:perf_hooks';
import * as Y from 'yjs';
import { repairLedger } from '../server/sequencer/projection.js';
import { openStore } from '../server/store/index.js';
import { Room } from '../server/sync/index.js';
import { replay } from '../src/lib/domain/reducer.js';

export function coldLoadParts(dataDir: string, roundId: string): [string, number][] {
	const store = openStore(dataDir);
	const parts: [string, number][] = [];
	const time = <T>(what: string, step: () => T): T => {
		const started = performance.now();
		const result = step();
		parts.push([what, performance.now() - started]);
		return result;
	};
	try {
		const stored = time('read the stored round doc (room_updates)', () => store.rooms.loadRoom(roundId));
		const room = time('apply it to a new Y.Doc (new Room)', () => new Room(roundId, { kind: 'round', roundId }, stored, () => {}));
		const ledger = time('read and parse the SQLite ledger', () => store.ledger.entries(roundId));
		const state = time('replay the ledger (domain)', () => replay(ledger));
		time('read and parse the ledger again (roundDocLoaded)', () => store.ledger.entries(roundId));
		time('compare replica and ledger (repairLedger)', () => room.write(() => repairLedger(room, state, ledger)));
		const update = time('encode sync step 2 (encodeStateAsUpdate)', () => Y.encodeStateAsUpdate(room.doc));
		time('client: apply sync step 2', () => Y.applyUpdate(new Y.Doc(), update));
		room.destroy();
		return parts;
	} finally {
		store.close();
	}
}
