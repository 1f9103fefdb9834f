// Opens the SQLite database: WAL, and synchronous=FULL so that an acknowledged command survives kill -9.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Accounts } from './accounts.js';
import { Ledger } from './ledger.js';
import { SqliteRoomStore, type RoomStore } from './room-store.js';
import { migrate } from './migrations.js';

export type { MemberRow, InviteRow } from './accounts.js';
export type { CommandRow } from './ledger.js';
export type { RoomStore } from './room-store.js';
export { Accounts, Ledger };

export interface Store {
	accounts: Accounts;
	ledger: Ledger;
	rooms: RoomStore;
	/** Runs `fn` in one SQLite transaction (nested calls join the outer one). */
	transaction<T>(fn: () => T): T;
	close(): void;
}

export function openStore(dataDir: string): Store {
	mkdirSync(dataDir, { recursive: true });
	const db = new Database(join(dataDir, 'tirelire.db'));
	db.pragma('journal_mode = WAL');
	db.pragma('synchronous = FULL');
	db.pragma('foreign_keys = ON');
	try {
		migrate(db);
	} catch (error) {
		db.close();
		throw error;
	}
	return {
		accounts: new Accounts(db),
		ledger: new Ledger(db),
		rooms: new SqliteRoomStore(db),
		transaction: (fn) => db.transaction(fn)(),
		close: () => db.close()
	};
}
