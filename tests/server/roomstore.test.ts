// Runs the RoomStore contract against every implementation.
import { openStore, type RoomStore, type Store } from '../../server/store/index.js';
import { MemoryRoomStore } from '../../server/store/room-store.js';
import { removeDir, tempDir } from './helpers.js';
import { roomStoreContract } from './roomstore.contract.js';

const opened = new Map<RoomStore, { store: Store; dir: string }>();

function open(dir: string): RoomStore {
	const store = openStore(dir);
	opened.set(store.rooms, { store, dir });
	return store.rooms;
}

roomStoreContract('SQLite', {
	create: () => open(tempDir()),
	reopen: (rooms) => {
		const { store, dir } = opened.get(rooms)!;
		store.close();
		opened.delete(rooms);
		return open(dir);
	},
	dispose: (rooms) => {
		const entry = opened.get(rooms);
		if (!entry) return;
		entry.store.close();
		opened.delete(rooms);
		removeDir(entry.dir);
	}
});

roomStoreContract('in memory', { create: () => new MemoryRoomStore() });
