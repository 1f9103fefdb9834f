// Opens the SQLite database: WAL, and synchronous=FULL so that an acknowledged command survives kill -9.
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Accounts } from './accounts.js';
import { BlobIndex } from './blobs.js';
import { Ledger } from './ledger.js';
import { SqliteRoomStore, type RoomStore } from './room-store.js';
import { migrate } from './migrations.js';
import { Schedules } from './schedules.js';
import { Publications } from './publications.js';

export type { GroupMemberRow, InviteRow, MemberRow, RoundRow } from './accounts.js';
export type { CommandRow } from './ledger.js';
export type { RoomStore } from './room-store.js';
export type { Scheduled } from './schedules.js';
export type { PublicationRow } from './publications.js';
export { Accounts, BlobIndex, Ledger, Publications };
export { FileBlobStore, type BlobStore } from './blobs.js';

export interface Store {
	accounts: Accounts;
	ledger: Ledger;
	rooms: RoomStore;
	schedules: Schedules;
	blobs: BlobIndex;
	publications: Publications;
	/** Runs `fn` in one SQLite transaction (nested calls join the outer one). */
	transaction<T>(fn: () => T): T;
	/** Reads the database (throws when it cannot): the health check. */
	check(): { rounds: number };
	close(): void;
}

/** The database file cannot be used; `message` is one sentence for the person starting the server. */
export class DamagedDatabase extends Error {}

/**
 * Refuses a database with damaged pages at start (SQLite's quick_check: every page and index is
 * read), rather than serving until the first request touches a bad page.
 */
function checkIntegrity(db: Database.Database, path: string): void {
	let problems: string[];
	try {
		const rows = db.pragma('quick_check') as { quick_check: unknown }[];
		problems = rows.map((row) => String(row.quick_check)).filter((line) => line !== 'ok');
	} catch (error) {
		problems = [error instanceof Error ? error.message : String(error)];
	}
	if (problems.length > 0) {
		db.close();
		throw new DamagedDatabase(
			`the database ${path} is damaged (${problems[0]}); restore it from a backup or move it away to start empty.`
		);
	}
}


export function openStore(dataDir: string): Store {
	mkdirSync(dataDir, { recursive: true });
	const path = join(dataDir, 'tirelire.db');
	let db: Database.Database;
	try {
		db = new Database(path);
		db.pragma('journal_mode = WAL');
	} catch (error) {
		throw new DamagedDatabase(`the database ${path} cannot be opened (${error instanceof Error ? error.message : String(error)}).`);
	}
	checkIntegrity(db, path);
	db.pragma('synchronous = FULL');
	db.pragma('foreign_keys = ON');
	try {
		migrate(db);
	} catch (error) {
		db.close();
		throw error;
	}
	const countRounds = db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM rounds');
	return {
		accounts: new Accounts(db),
		ledger: new Ledger(db),
		rooms: new SqliteRoomStore(db),
		schedules: new Schedules(db),
		blobs: new BlobIndex(db),
		publications: new Publications(db),
		transaction: (fn) => db.transaction(fn)(),
		check: () => ({ rounds: countRounds.get()!.n }),
		close: () => db.close()
	};
}
