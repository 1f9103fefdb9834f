// Opens the SQLite database: WAL, and synchronous=FULL so that an acknowledged command survives kill -9.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Accounts } from './accounts.js';
import { Ledger } from './ledger.js';
import { SqliteRoomStore, type RoomStore } from './room-store.js';
import { SCHEMA } from './schema.js';

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
	/** Reads the database (throws when it cannot): the health check. */
	check(): { rounds: number };
	close(): void;
}

export function openStore(dataDir: string): Store {
	mkdirSync(dataDir, { recursive: true });
	const db = new Database(join(dataDir, 'tirelire.db'));
	db.pragma('journal_mode = WAL');
	db.pragma('synchronous = FULL');
	db.pragma('foreign_keys = ON');
	db.exec(SCHEMA);
	const countRounds = db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM rounds');
	return {
		accounts: new Accounts(db),
		ledger: new Ledger(db),
		rooms: new SqliteRoomStore(db),
		transaction: (fn) => db.transaction(fn)(),
		check: () => ({ rounds: countRounds.get()!.n }),
		close: () => db.close()
	};
}
