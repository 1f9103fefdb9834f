// Persistence of Yjs rooms as an append log of updates, compacted into one snapshot row.
// Kept behind this small interface so that another backend (PostgreSQL) can pass the same
// contract suite (tests/server/roomstore.contract.ts).
import type { Database } from 'better-sqlite3';

export interface RoomStore {
	/** Every stored update of the room, oldest first (a compacted room yields one snapshot). */
	loadRoom(room: string): Uint8Array[];
	appendUpdate(room: string, update: Uint8Array): void;
	/** Replaces every stored update of the room with `snapshot`, which must contain them all. */
	compact(room: string, snapshot: Uint8Array): void;
	/** How many updates are stored for the room (the compaction trigger). */
	countUpdates(room: string): number;
}

export class SqliteRoomStore implements RoomStore {
	private readonly load;
	private readonly append;
	private readonly remove;
	private readonly count;
	private readonly compactTx;

	constructor(db: Database) {
		this.load = db.prepare<[string], { data: Buffer }>('SELECT data FROM room_updates WHERE room = ? ORDER BY id');
		this.append = db.prepare<[string, Buffer]>('INSERT INTO room_updates (room, data) VALUES (?, ?)');
		this.remove = db.prepare<[string]>('DELETE FROM room_updates WHERE room = ?');
		this.count = db.prepare<[string], { n: number }>('SELECT COUNT(*) AS n FROM room_updates WHERE room = ?');
		this.compactTx = db.transaction((room: string, snapshot: Uint8Array) => {
			this.remove.run(room);
			this.append.run(room, toBuffer(snapshot));
		});
	}

	loadRoom(room: string): Uint8Array[] {
		return this.load.all(room).map((row) => new Uint8Array(row.data));
	}

	appendUpdate(room: string, update: Uint8Array): void {
		this.append.run(room, toBuffer(update));
	}

	compact(room: string, snapshot: Uint8Array): void {
		this.compactTx(room, snapshot);
	}

	countUpdates(room: string): number {
		return this.count.get(room)?.n ?? 0;
	}
}

/** A process-local store for tests and throwaway servers. */
export class MemoryRoomStore implements RoomStore {
	private readonly rooms = new Map<string, Uint8Array[]>();

	loadRoom(room: string): Uint8Array[] {
		return (this.rooms.get(room) ?? []).map((update) => update.slice());
	}

	appendUpdate(room: string, update: Uint8Array): void {
		const updates = this.rooms.get(room) ?? [];
		updates.push(update.slice());
		this.rooms.set(room, updates);
	}

	compact(room: string, snapshot: Uint8Array): void {
		this.rooms.set(room, [snapshot.slice()]);
	}

	countUpdates(room: string): number {
		return this.rooms.get(room)?.length ?? 0;
	}
}

function toBuffer(bytes: Uint8Array): Buffer {
	return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
