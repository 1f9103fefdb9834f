// The store's ports (DESIGN §14): every read and write of the server goes through these
// asynchronous interfaces, so that a network database (PostgreSQL) can stand where the embedded
// one (SQLite) does. Both implementations pass one contract suite (tests/server/store.contract.ts).
//
// Transactions are ambient: inside `store.transaction(fn)`, every call made by `fn` (and by what
// it awaits) joins the transaction; a nested `transaction` is a savepoint, so that its failure
// undoes only its own writes. Outside a transaction every call is its own commit.
import type { LedgerEntry } from '../../src/lib/domain/types.js';
import type { Accounts } from './accounts.js';
import type { BlobIndex, BlobStore } from './blobs.js';
import type { CommandRow, Ledger } from './ledger.js';
import type { Publications } from './publications.js';
import type { Schedules } from './schedules.js';

/** The same methods, each answering a promise. */
export type Async<T> = {
	[K in keyof T]: T[K] extends (...args: infer A) => infer R ? (...args: A) => Promise<Awaited<R>> : never;
};

/** Groups, rounds, members, tokens, device links, invites, bucket creators and Yjs clientID bindings. */
export type AccountsPort = Async<Accounts>;
/** Which round stored which blob. */
export type BlobIndexPort = Async<BlobIndex>;
export type PublicationsPort = Async<Publications>;
export type SchedulesPort = Async<Schedules>;

export interface LedgerPort extends Async<Ledger> {
	/** The round's entries with `seq` above `afterSeq`, in order (catching up a copy of the state). */
	entriesAfter(roundId: string, afterSeq: number): Promise<LedgerEntry[]>;
}

export type { CommandRow };

export interface RoomStore {
	/** Every stored update of the room, oldest first (a compacted room yields one snapshot). */
	loadRoom(room: string): Promise<Uint8Array[]>;
	appendUpdate(room: string, update: Uint8Array): Promise<void>;
	/** Several rooms' updates, stored in this order (a turn's: one statement with PostgreSQL). */
	appendUpdates(updates: readonly { room: string; update: Uint8Array }[]): Promise<void>;
	/** Replaces every stored update of the room with `snapshot`, which must contain them all. */
	compact(room: string, snapshot: Uint8Array): Promise<void>;
	/** How many updates are stored for the room (the compaction trigger). */
	countUpdates(room: string): Promise<number>;
}

/**
 * Who sequences a round (PROTOCOL §17): a lease row per round with a fencing token that grows at
 * every change of holder. Times are the database's, so that processes need not agree on a clock.
 */
export interface LeasePort {
	/** Takes the round's lease if it is free or expired (or already ours): the new token, else undefined. */
	acquire(roundId: string, holder: string, ttlMs: number): Promise<number | undefined>;
	/** Extends our lease; false when it is no longer ours (expired and taken, or released). */
	renew(roundId: string, holder: string, token: number, ttlMs: number): Promise<boolean>;
	/**
	 * Inside a transaction: locks the round's lease row until the commit and answers whether it is
	 * still ours with this token. A sequencer commits nothing when it answers false.
	 */
	fence(roundId: string, holder: string, token: number): Promise<boolean>;
	/** Gives the lease up (clean shutdown) so that another process takes it at once. */
	release(roundId: string, holder: string, token: number): Promise<void>;
	/** The current holder and token, if any lease row is live. */
	holder(roundId: string): Promise<{ holder: string; token: number; expiresInMs: number } | undefined>;
}

/** The processes sharing the store, each alive while it renews its row (the database's clock decides). */
export interface NodesPort {
	/** Marks `node` alive for `ttlMs` more, and deletes the rows of nodes gone for long. */
	beat(node: string, ttlMs: number): Promise<void>;
	/** The nodes alive now. */
	live(): Promise<string[]>;
	/** A clean shutdown: `node` is gone at once. */
	leave(node: string): Promise<void>;
}

/** Work for a round's sequencer, written by whichever process saw it, taken once by the lease holder. */
export interface InboxPort {
	/** Adds jobs (JSON values) for the round; call inside the transaction that stored what they came from. */
	add(roundId: string, jobs: unknown[]): Promise<void>;
	/** Inside the holder's fenced transaction: removes and returns up to `limit` oldest jobs. */
	take(roundId: string, limit: number): Promise<unknown[]>;
	/** Rounds that have jobs waiting. */
	rounds(): Promise<string[]>;
}

export interface Store {
	readonly kind: 'sqlite' | 'postgres';
	accounts: AccountsPort;
	ledger: LedgerPort;
	rooms: RoomStore;
	schedules: SchedulesPort;
	blobs: BlobIndexPort;
	/** The bytes of uploaded files (DATA_DIR/blobs with SQLite, a table with PostgreSQL). */
	files: BlobStore;
	publications: PublicationsPort;
	/** Present on a store shared by several processes (PostgreSQL). */
	cluster?: { leases: LeasePort; inbox: InboxPort; nodes: NodesPort };
	/** Runs `fn` in one transaction (ambient; nested calls are savepoints). */
	transaction<T>(fn: () => Promise<T>): Promise<T>;
	/** Reads the database (rejects when it cannot): the health check. */
	check(): Promise<{ rounds: number }>;
	close(): Promise<void>;
}
