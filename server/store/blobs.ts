// Uploaded files, content-addressed (PROTOCOL §9): a blob's name is the SHA-256 of its bytes, so a
// name never changes meaning and a copy is served forever (immutable). The bytes live behind
// `BlobStore`, small and asynchronous so that another backend (PostgreSQL's large objects, an
// object store) can take the file system's place; which round stored which blob, and who, is a
// SQLite table (`BlobIndex`), read synchronously by the sequencer and the upload budget.
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Database } from 'better-sqlite3';

export const HASH = /^[0-9a-f]{64}$/;

export function sha256(bytes: Uint8Array): string {
	return createHash('sha256').update(bytes).digest('hex');
}

export interface BlobStore {
	/** Stores `bytes` under their SHA-256 (returned); storing the same bytes again is a no-op. */
	put(bytes: Uint8Array): Promise<string>;
	/** The bytes of `hash`, or undefined when none are stored. */
	get(hash: string): Promise<Buffer | undefined>;
}

/**
 * `DATA_DIR/blobs/<first 2 hex digits>/<hash>`: 256 folders keep directories small. A blob is
 * written to a temporary file, flushed to disk, then renamed into place, so that a crash never
 * leaves a half-written file under a real name.
 */
export class FileBlobStore implements BlobStore {
	constructor(private readonly root: string) {}

	private path(hash: string): string {
		return join(this.root, hash.slice(0, 2), hash);
	}

	async put(bytes: Uint8Array): Promise<string> {
		const hash = sha256(bytes);
		const target = this.path(hash);
		await mkdir(join(this.root, hash.slice(0, 2)), { recursive: true });
		const temporary = `${target}.${randomBytes(6).toString('hex')}.tmp`;
		const file = await open(temporary, 'wx');
		try {
			await file.writeFile(bytes);
			await file.sync();
		} finally {
			await file.close();
		}
		try {
			await rename(temporary, target);
		} catch (error) {
			await rm(temporary, { force: true });
			throw error;
		}
		return hash;
	}

	async get(hash: string): Promise<Buffer | undefined> {
		if (!HASH.test(hash)) return undefined;
		try {
			return await readFile(this.path(hash));
		} catch (error) {
			if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
			throw error;
		}
	}
}

/** Which round stored which blob (and who, when): what commands may name, and each member's upload budget. */
export class BlobIndex {
	private readonly q;

	constructor(db: Database) {
		this.q = {
			add: db.prepare('INSERT OR IGNORE INTO blobs (round_id, hash, member_id, bytes, created_at) VALUES (?, ?, ?, ?, ?)'),
			has: db.prepare<[string, string], { one: number }>('SELECT 1 AS one FROM blobs WHERE round_id = ? AND hash = ?'),
			any: db.prepare<[string], { one: number }>('SELECT 1 AS one FROM blobs WHERE hash = ? LIMIT 1'),
			bytesSince: db.prepare<[string, string, number], { total: number | null }>(
				'SELECT SUM(bytes) AS total FROM blobs WHERE round_id = ? AND member_id = ? AND created_at >= ?'
			)
		};
	}

	add(roundId: string, hash: string, memberId: string, bytes: number, at: number): void {
		this.q.add.run(roundId, hash, memberId, bytes, at);
	}

	/** The round stored this blob (a command of the round may name it). */
	has(roundId: string, hash: string): boolean {
		return this.q.has.get(roundId, hash) !== undefined;
	}

	/** Some round stored this blob (it may be served). */
	known(hash: string): boolean {
		return this.q.any.get(hash) !== undefined;
	}

	/** Bytes a member of a round stored since `since` (ms). */
	bytesSince(roundId: string, memberId: string, since: number): number {
		return this.q.bytesSince.get(roundId, memberId, since)?.total ?? 0;
	}
}
