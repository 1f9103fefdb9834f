// What the cluster committed, read from PostgreSQL over a connection of the test's own (never
// through the relay it cuts). Column types are read loosely (a bigint arrives as a string, `ok`
// may be a boolean or 0/1): the suite checks the values, not the schema.
import type pg from 'pg';
import type { LedgerEntry } from '../../src/lib/domain/types.js';

type Queryable = Pick<pg.Pool, 'query'>;

export interface StoredCommand {
	id: string;
	memberId: string | null;
	type: string;
	ok: boolean;
	accepted: number | null;
	reason: string | null;
	seq: number | null;
}

interface CommandRow {
	id: string;
	member_id: string | null;
	type: string;
	ok: unknown;
	accepted: string | number | null;
	reason: string | null;
	seq: string | number | null;
}

const nullableNumber = (value: string | number | null): number | null => (value === null ? null : Number(value));

function command(row: CommandRow): StoredCommand {
	return {
		id: row.id,
		memberId: row.member_id,
		type: row.type,
		ok: row.ok === true || Number(row.ok) === 1,
		accepted: nullableNumber(row.accepted),
		reason: row.reason,
		seq: nullableNumber(row.seq)
	};
}

const COMMAND_COLUMNS = 'id, member_id, type, ok, accepted, reason, seq';

export async function storedCommands(db: Queryable, roundId: string): Promise<StoredCommand[]> {
	const result = await db.query<CommandRow>(`SELECT ${COMMAND_COLUMNS} FROM commands WHERE round_id = $1`, [roundId]);
	return result.rows.map(command);
}

/** Every row of `commands` with this id in the round (the primary key allows one; the suite counts). */
export async function storedCommand(db: Queryable, roundId: string, id: string): Promise<StoredCommand[]> {
	const result = await db.query<CommandRow>(`SELECT ${COMMAND_COLUMNS} FROM commands WHERE round_id = $1 AND id = $2`, [roundId, id]);
	return result.rows.map(command);
}

/** The round's ledger in seq order: the row's seq and its parsed entry. */
export async function storedLedger(db: Queryable, roundId: string): Promise<{ seq: number; entry: LedgerEntry }[]> {
	const result = await db.query<{ seq: string | number; entry: unknown }>(
		'SELECT seq, entry FROM ledger WHERE round_id = $1 ORDER BY seq',
		[roundId]
	);
	return result.rows.map((row) => ({
		seq: Number(row.seq),
		entry: (typeof row.entry === 'string' ? JSON.parse(row.entry) : row.entry) as LedgerEntry
	}));
}

export interface Lease {
	holder: string;
	token: string;
}

export async function leaseOf(db: Queryable, roundId: string): Promise<Lease | undefined> {
	const result = await db.query<{ holder: string; token: unknown }>('SELECT holder, token FROM round_leases WHERE round_id = $1', [
		roundId
	]);
	const row = result.rows[0];
	return row && { holder: row.holder, token: String(row.token) };
}

/** Accepted contributions committed in the round (what a benchmark counts as durably done). */
export async function committedContributions(db: Queryable, roundId: string): Promise<number> {
	const result = await db.query<{ n: string }>(
		"SELECT count(*) AS n FROM commands WHERE round_id = $1 AND type = 'contribute' AND ok::int = 1",
		[roundId]
	);
	return Number(result.rows[0]?.n ?? 0);
}
