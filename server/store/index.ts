// Opens the SQLite database: WAL, and synchronous=FULL so that an acknowledged command survives kill -9.
import Database from 'better-sqlite3';
import { AsyncLocalStorage } from 'node:async_hooks';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Accounts } from './accounts.js';
import { BlobIndex, FileBlobStore } from './blobs.js';
import { Ledger } from './ledger.js';
import type { Async, Store } from './ports.js';
import { SqliteRoomStore } from './room-store.js';
import { migrate } from './migrations.js';
import { Schedules } from './schedules.js';
import { Publications } from './publications.js';

export type { GroupMemberRow, InviteRow, MemberRow, RoundRow } from './accounts.js';
export type { CommandRow } from './ledger.js';
export type { Scheduled } from './schedules.js';
export type { PublicationRow } from './publications.js';
export type * from './ports.js';
export { FileBlobStore, type BlobStore } from './blobs.js';

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

/**
 * The embedded store: one SQLite file behind the asynchronous ports. better-sqlite3 answers at
 * once, so a port call outside a transaction runs when no transaction is open (one queue), and a
 * transaction holds the connection across its awaits: nothing of another request can slip into
 * it, nor read what it has not committed.
 */
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
	const runner = new SqliteRunner(db);
	const run = <R>(fn: () => R): Promise<R> => runner.run(fn);
	return {
		kind: 'sqlite',
		accounts: asyncPort(new Accounts(db), run),
		ledger: asyncPort(new Ledger(db), run),
		rooms: asyncPort(new SqliteRoomStore(db), run),
		schedules: asyncPort(new Schedules(db), run),
		blobs: asyncPort(new BlobIndex(db), run),
		publications: asyncPort(new Publications(db), run),
		files: new FileBlobStore(join(dataDir, 'blobs')),
		transaction: (fn) => runner.transaction(fn),
		check: () => run(() => ({ rounds: countRounds.get()!.n })),
		close: () => runner.close()
	};
}

/** The object's methods, each run by `run` and answering a promise. */
export function asyncPort<T extends object>(target: T, run: <R>(fn: () => R) => Promise<R>): Async<T> {
	const port: Record<string, unknown> = {};
	let proto = Object.getPrototypeOf(target) as object | null;
	for (; proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto) as object | null) {
		for (const key of Object.getOwnPropertyNames(proto)) {
			const method = (target as Record<string, unknown>)[key];
			if (key === 'constructor' || key in port || typeof method !== 'function') continue;
			port[key] = (...args: unknown[]) => run(() => (method as (...a: unknown[]) => unknown).apply(target, args));
		}
	}
	return port as Async<T>;
}

class SqliteRunner {
	private readonly context = new AsyncLocalStorage<{ savepoints: number }>();
	private tail: Promise<unknown> = Promise.resolve();

	constructor(private readonly db: Database.Database) {}

	/** Runs `fn` in the open transaction when called from it, else alone (after any open transaction). */
	run<R>(fn: () => R): Promise<R> {
		if (this.context.getStore()) {
			try {
				return Promise.resolve(fn());
			} catch (error) {
				return Promise.reject(error as Error);
			}
		}
		return this.exclusive(async () => fn());
	}

	/** One transaction, or a savepoint of the open one. Its work must not run in parallel with itself. */
	async transaction<T>(fn: () => Promise<T>): Promise<T> {
		const open = this.context.getStore();
		if (open) {
			const name = `sp${++open.savepoints}`;
			this.db.exec(`SAVEPOINT ${name}`);
			try {
				const result = await fn();
				this.db.exec(`RELEASE ${name}`);
				return result;
			} catch (error) {
				this.db.exec(`ROLLBACK TO ${name}`);
				this.db.exec(`RELEASE ${name}`);
				throw error;
			}
		}
		return this.exclusive(async () => {
			this.db.exec('BEGIN IMMEDIATE');
			try {
				const result = await this.context.run({ savepoints: 0 }, fn);
				this.db.exec('COMMIT');
				return result;
			} catch (error) {
				if (this.db.inTransaction) this.db.exec('ROLLBACK');
				throw error;
			}
		});
	}

	close(): Promise<void> {
		return this.exclusive(async () => {
			if (this.db.open) this.db.close();
		});
	}

	private exclusive<R>(fn: () => Promise<R>): Promise<R> {
		const result = this.tail.then(() => {
			if (!this.db.open) throw new Error('The database is closed.');
			return fn();
		});
		this.tail = result.then(
			() => undefined,
			() => undefined
		);
		return result;
	}
}
