// The ledger, the processed commands, the Yjs rooms' updates, the schedules, the blob index, the
// public links and the uploaded files' bytes in PostgreSQL: each class answers as its SQLite
// counterpart in ../ does.
//
// Text sorts with COLLATE "C" where an order is part of the answer: byte order, as SQLite's
// BINARY collation, whatever locale the database was created with.
import * as Y from 'yjs';
import { transitionId } from '../../../src/lib/domain/schedule.js';
import { TRANSITIONS, type LedgerEntry, type Reason, type Schedule, type Transition } from '../../../src/lib/domain/types.js';
import { HASH, sha256, type BlobStore } from '../blobs.js';
import type { CommandRow } from '../ledger.js';
import type { BlobIndexPort, LedgerPort, PublicationsPort, RoomStore, SchedulesPort } from '../ports.js';
import { publicationRow, type PublicationRow, type RawPublication } from '../publications.js';
import type { Scheduled } from '../schedules.js';
import type { Sql } from './sql.js';

interface RawCommand {
	id: string;
	member_id: string | null;
	type: string;
	ok: boolean;
	accepted: number | null;
	reason: Reason | null;
	seq: number | null;
}

const COMMAND = 'id, member_id, type, ok, accepted, reason, seq';

const commandRow = (row: RawCommand): CommandRow => ({
	id: row.id,
	memberId: row.member_id,
	type: row.type,
	ok: row.ok,
	accepted: row.accepted,
	reason: row.reason,
	seq: row.seq
});

export class PgLedger implements LedgerPort {
	constructor(private readonly sql: Sql) {}

	async entries(roundId: string): Promise<LedgerEntry[]> {
		const rows = await this.sql.rows<{ entry: string }>('SELECT entry FROM ledger WHERE round_id = $1 ORDER BY seq', [roundId]);
		return rows.map((row) => JSON.parse(row.entry) as LedgerEntry);
	}

	async entriesAfter(roundId: string, afterSeq: number): Promise<LedgerEntry[]> {
		const rows = await this.sql.rows<{ entry: string }>('SELECT entry FROM ledger WHERE round_id = $1 AND seq > $2 ORDER BY seq', [
			roundId,
			afterSeq
		]);
		return rows.map((row) => JSON.parse(row.entry) as LedgerEntry);
	}

	/** The primary key (round_id, seq) refuses a second entry at the same place: two writers cannot both append seq n. */
	async append(roundId: string, entry: LedgerEntry): Promise<void> {
		await this.sql.changes('INSERT INTO ledger (round_id, seq, entry) VALUES ($1, $2, $3)', [roundId, entry.seq, JSON.stringify(entry)]);
	}

	async command(roundId: string, id: string): Promise<CommandRow | undefined> {
		const row = await this.sql.row<RawCommand>(`SELECT ${COMMAND} FROM commands WHERE round_id = $1 AND id = $2`, [roundId, id]);
		return row && commandRow(row);
	}

	async recordCommand(roundId: string, row: CommandRow, at: number): Promise<void> {
		await this.sql.changes(
			'INSERT INTO commands (round_id, id, member_id, type, ok, accepted, reason, seq, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)',
			[roundId, row.id, row.memberId, row.type, row.ok, row.accepted, row.reason, row.seq, at]
		);
	}

	async commandsOf(roundId: string, ids: readonly string[]): Promise<Map<string, CommandRow>> {
		if (ids.length === 0) return new Map();
		const rows = await this.sql.rows<RawCommand>(`SELECT ${COMMAND} FROM commands WHERE round_id = $1 AND id = ANY($2::text[])`, [roundId, [...ids]]);
		return new Map(rows.map((row) => [row.id, commandRow(row)]));
	}

	/** One statement for a drain's entries (the primary key still refuses any seq written before). */
	async appendAll(roundId: string, entries: readonly LedgerEntry[]): Promise<void> {
		if (entries.length === 0) return;
		await this.sql.changes('INSERT INTO ledger (round_id, seq, entry) SELECT $1, seq, entry FROM unnest($2::bigint[], $3::text[]) AS u(seq, entry)', [
			roundId,
			entries.map((entry) => entry.seq),
			entries.map((entry) => JSON.stringify(entry))
		]);
	}

	async recordCommands(roundId: string, rows: readonly { row: CommandRow; at: number }[]): Promise<void> {
		if (rows.length === 0) return;
		await this.sql.changes(
			`INSERT INTO commands (round_id, id, member_id, type, ok, accepted, reason, seq, at)
			 SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::boolean[], $6::bigint[], $7::text[], $8::bigint[], $9::bigint[])`,
			[
				roundId,
				rows.map(({ row }) => row.id),
				rows.map(({ row }) => row.memberId),
				rows.map(({ row }) => row.type),
				rows.map(({ row }) => row.ok),
				rows.map(({ row }) => row.accepted),
				rows.map(({ row }) => row.reason),
				rows.map(({ row }) => row.seq),
				rows.map(({ at }) => at)
			]
		);
	}
}

export class PgRoomStore implements RoomStore {
	constructor(private readonly sql: Sql) {}

	async loadRoom(room: string): Promise<Uint8Array[]> {
		const rows = await this.sql.rows<{ data: Buffer }>('SELECT data FROM room_updates WHERE room = $1 ORDER BY id', [room]);
		return rows.map((row) => new Uint8Array(row.data));
	}

	async appendUpdate(room: string, update: Uint8Array): Promise<void> {
		await this.sql.changes('INSERT INTO room_updates (room, data) VALUES ($1, $2)', [room, toBuffer(update)]);
	}

	/** One round trip for a whole turn; the ids follow the order given (WITH ORDINALITY … ORDER BY). */
	async appendUpdates(updates: readonly { room: string; update: Uint8Array }[]): Promise<void> {
		if (updates.length === 0) return;
		await this.sql.changes(
			`INSERT INTO room_updates (room, data)
			 SELECT room, data FROM unnest($1::text[], $2::bytea[]) WITH ORDINALITY AS u(room, data, n) ORDER BY n`,
			[updates.map((item) => item.room), updates.map((item) => toBuffer(item.update))]
		);
	}

	/**
	 * Several processes append to one room: an update another process committed a moment ago may
	 * not be in this process's snapshot yet. So the rows replaced are exactly those read here
	 * (locked), merged into the snapshot; a row committed meanwhile stays.
	 */
	compact(room: string, snapshot: Uint8Array): Promise<void> {
		return this.sql.atomic(async () => {
			const rows = await this.sql.rows<{ id: number; data: Buffer }>(
				'SELECT id, data FROM room_updates WHERE room = $1 ORDER BY id FOR UPDATE',
				[room]
			);
			const merged = Y.mergeUpdates([snapshot, ...rows.map((row) => new Uint8Array(row.data))]);
			await this.sql.changes('DELETE FROM room_updates WHERE id = ANY($1::bigint[])', [rows.map((row) => row.id)]);
			await this.sql.changes('INSERT INTO room_updates (room, data) VALUES ($1, $2)', [room, toBuffer(merged)]);
		});
	}

	async countUpdates(room: string): Promise<number> {
		const row = await this.sql.row<{ n: number }>('SELECT COUNT(*) AS n FROM room_updates WHERE room = $1', [room]);
		return row?.n ?? 0;
	}
}

export class PgSchedules implements SchedulesPort {
	constructor(private readonly sql: Sql) {}

	/** The round's transitions are now those of `schedule`. Call inside the ledger's transaction. */
	replace(roundId: string, schedule: Schedule): Promise<void> {
		return this.sql.atomic(async () => {
			await this.sql.changes('DELETE FROM schedules WHERE round_id = $1', [roundId]);
			for (const transition of TRANSITIONS) {
				const due = schedule[transition];
				if (due === null) continue;
				await this.sql.changes('INSERT INTO schedules (round_id, transition, due, command_id) VALUES ($1, $2, $3, $4)', [
					roundId,
					transition,
					due,
					transitionId(transition, due)
				]);
			}
		});
	}

	/** Transitions not run yet, soonest first (at one instant, fundingOpens before fundingCloses). */
	async pending(): Promise<Scheduled[]> {
		const rows = await this.sql.rows<{ round_id: string; transition: Transition; due: number; command_id: string }>(
			`SELECT s.round_id, s.transition, s.due, s.command_id FROM schedules s
			 WHERE NOT EXISTS (SELECT 1 FROM commands c WHERE c.round_id = s.round_id AND c.id = s.command_id)
			 ORDER BY s.due, s.round_id COLLATE "C", s.transition COLLATE "C" DESC`
		);
		return rows.map((row) => ({ roundId: row.round_id, transition: row.transition, due: row.due, commandId: row.command_id }));
	}
}

export class PgBlobIndex implements BlobIndexPort {
	constructor(private readonly sql: Sql) {}

	async add(roundId: string, hash: string, memberId: string, bytes: number, at: number): Promise<void> {
		await this.sql.changes(
			'INSERT INTO blobs (round_id, hash, member_id, bytes, created_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING',
			[roundId, hash, memberId, bytes, at]
		);
	}

	async has(roundId: string, hash: string): Promise<boolean> {
		return (await this.sql.row('SELECT 1 AS one FROM blobs WHERE round_id = $1 AND hash = $2', [roundId, hash])) !== undefined;
	}

	async known(hash: string): Promise<boolean> {
		return (await this.sql.row('SELECT 1 AS one FROM blobs WHERE hash = $1 LIMIT 1', [hash])) !== undefined;
	}

	/** SUM of a BIGINT is a NUMERIC, which pg answers as a string: cast back to BIGINT (a number here). */
	async bytesSince(roundId: string, memberId: string, since: number): Promise<number> {
		const row = await this.sql.row<{ total: number }>(
			'SELECT COALESCE(SUM(bytes), 0)::BIGINT AS total FROM blobs WHERE round_id = $1 AND member_id = $2 AND created_at >= $3',
			[roundId, memberId, since]
		);
		return row?.total ?? 0;
	}
}

const PUBLICATION = 'token, round_id, created_at, created_by, revoked_at, revoked_by';

export class PgPublications implements PublicationsPort {
	constructor(private readonly sql: Sql) {}

	async byToken(token: string): Promise<PublicationRow | undefined> {
		const raw = await this.sql.row<RawPublication>(`SELECT ${PUBLICATION} FROM publications WHERE token = $1`, [token]);
		return raw && publicationRow(raw);
	}

	async live(roundId: string): Promise<PublicationRow | undefined> {
		const raw = await this.sql.row<RawPublication>(`SELECT ${PUBLICATION} FROM publications WHERE round_id = $1 AND revoked_at IS NULL`, [
			roundId
		]);
		return raw && publicationRow(raw);
	}

	/** The partial unique index publications_live refuses a second live link for the round. */
	async publish(roundId: string, token: string, memberId: string, at: number): Promise<PublicationRow> {
		await this.sql.changes('INSERT INTO publications (token, round_id, created_at, created_by) VALUES ($1, $2, $3, $4)', [
			token,
			roundId,
			at,
			memberId
		]);
		return { token, roundId, createdAt: at, createdBy: memberId, revokedAt: null, revokedBy: null };
	}

	async revoke(roundId: string, memberId: string, at: number): Promise<boolean> {
		const changed = await this.sql.changes(
			'UPDATE publications SET revoked_at = $1, revoked_by = $2 WHERE round_id = $3 AND revoked_at IS NULL',
			[at, memberId, roundId]
		);
		return changed > 0;
	}
}

/**
 * Uploaded files' bytes in a table, so that every process serves every file. Content-addressed
 * as on disk: a hash names one content forever, so a second put of the same bytes changes nothing.
 */
export class PgFiles implements BlobStore {
	constructor(private readonly sql: Sql) {}

	async put(bytes: Uint8Array): Promise<string> {
		const hash = sha256(bytes);
		await this.sql.changes('INSERT INTO files (hash, data, created_at) VALUES ($1, $2, $3) ON CONFLICT (hash) DO NOTHING', [
			hash,
			toBuffer(bytes),
			Date.now()
		]);
		return hash;
	}

	async get(hash: string): Promise<Buffer | undefined> {
		if (!HASH.test(hash)) return undefined;
		const row = await this.sql.row<{ data: Buffer }>('SELECT data FROM files WHERE hash = $1', [hash]);
		return row?.data;
	}
}

/** A copy: pg reads a parameter when the query leaves, which may be after the caller has reused its buffer. */
function toBuffer(bytes: Uint8Array): Buffer {
	return Buffer.from(bytes);
}
