// Persistence of Yjs rooms in SQLite as an append log of updates, compacted into one snapshot row
// (the asynchronous port is RoomStore in ports.ts).
import type { Database } from 'better-sqlite3';

export class SqliteRoomStore {
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

	appendUpdates(updates: readonly { room: string; update: Uint8Array }[]): void {
		for (const { room, update } of updates) this.append.run(room, toBuffer(update));
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

/** A copy: the call is queued behind any open transaction, and the caller may reuse its buffer meanwhile. */
function toBuffer(bytes: Uint8Array): Buffer {
	return Buffer.from(bytes);
}
