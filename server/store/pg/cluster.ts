// What several processes over one PostgreSQL database share to sequence each round exactly once
// (DESIGN §14, PROTOCOL §17): a lease row per round with a fencing token, the rounds' inbox of
// jobs, and a row per live process.
//
// Why the fence is safe. A holder writes a turn in one transaction that starts with `fence`:
// `SELECT … FOR UPDATE` locks the round's lease row and compares holder and token. Taking the
// lease (`acquire` by another process) updates that same row, so it waits for the lock: either
// the fenced transaction commits first, and the new holder starts after its writes (it reads
// them when it catches up); or the takeover commits first, and the fence, reading the row after
// it, sees another holder or a larger token and the turn commits nothing. There is no moment when
// an old holder's write can land after a new holder has started, whatever either's clock or
// pauses (a process frozen past its expiry finds out at its next fence). Expiry uses only the
// database's now(), so processes need not agree on the time.
import type { InboxPort, LeasePort, NodesPort } from '../ports.js';
import type { Sql } from './sql.js';

function checkTtl(ttlMs: number): void {
	if (!Number.isSafeInteger(ttlMs) || ttlMs <= 0)
		throw new RangeError(`a lease lasts a positive whole number of milliseconds, not ${ttlMs}`);
}

export class PgLeases implements LeasePort {
	constructor(private readonly sql: Sql) {}

	/**
	 * One statement, so that two processes taking a free lease at once cannot both win: the insert
	 * of one conflicts with the other's row, whose update then sees it live and held by another.
	 * The token grows only when the holder changes; a holder taking its own lease again (renewing
	 * late, or after a release) keeps its token, since nobody wrote in between.
	 */
	async acquire(roundId: string, holder: string, ttlMs: number): Promise<number | undefined> {
		checkTtl(ttlMs);
		const row = await this.sql.row<{ token: number }>(
			`INSERT INTO round_leases AS l (round_id, holder, token, expires_at)
			 VALUES ($1, $2, 1, now() + $3 * INTERVAL '1 millisecond')
			 ON CONFLICT (round_id) DO UPDATE SET
				token = CASE WHEN l.holder = EXCLUDED.holder THEN l.token ELSE l.token + 1 END,
				holder = EXCLUDED.holder,
				expires_at = EXCLUDED.expires_at
			 WHERE l.holder = EXCLUDED.holder OR l.expires_at < now()
			 RETURNING token`,
			[roundId, holder, ttlMs]
		);
		return row?.token;
	}

	/** Only a live lease is renewed: one that expired (even if nobody took it) or was released must be acquired again. */
	async renew(roundId: string, holder: string, token: number, ttlMs: number): Promise<boolean> {
		checkTtl(ttlMs);
		const changed = await this.sql.changes(
			`UPDATE round_leases SET expires_at = now() + $4 * INTERVAL '1 millisecond'
			 WHERE round_id = $1 AND holder = $2 AND token = $3 AND expires_at >= now()`,
			[roundId, holder, token, ttlMs]
		);
		return changed === 1;
	}

	/** See the file's header. Outside a transaction the lock would end with the statement and prove nothing. */
	async fence(roundId: string, holder: string, token: number): Promise<boolean> {
		if (!this.sql.inTransaction) throw new Error('fence must be called inside the transaction that writes the turn');
		const row = await this.sql.row<{ ours: boolean }>(
			'SELECT holder = $2 AND token = $3 AND expires_at >= now() AS ours FROM round_leases WHERE round_id = $1 FOR UPDATE',
			[roundId, holder, token]
		);
		return row?.ours === true;
	}

	/** Expired at once ('-infinity'), so the next `acquire` by anyone succeeds; the row and its token stay, so the next holder's token is larger. */
	async release(roundId: string, holder: string, token: number): Promise<void> {
		await this.sql.changes("UPDATE round_leases SET expires_at = '-infinity' WHERE round_id = $1 AND holder = $2 AND token = $3", [
			roundId,
			holder,
			token
		]);
	}

	async holder(roundId: string): Promise<{ holder: string; token: number; expiresInMs: number } | undefined> {
		const row = await this.sql.row<{ holder: string; token: number; ms: number }>(
			`SELECT holder, token, CEIL(EXTRACT(EPOCH FROM expires_at - now()) * 1000)::BIGINT AS ms
			 FROM round_leases WHERE round_id = $1 AND expires_at >= now()`,
			[roundId]
		);
		return row && { holder: row.holder, token: row.token, expiresInMs: row.ms };
	}
}

export class PgInbox implements InboxPort {
	constructor(private readonly sql: Sql) {}

	/** One statement for all the jobs, in their order (ids follow WITH ORDINALITY). */
	async add(roundId: string, jobs: unknown[]): Promise<void> {
		if (jobs.length === 0) return;
		await this.sql.changes(
			`INSERT INTO round_jobs (round_id, job)
			 SELECT $1, value FROM jsonb_array_elements($2::jsonb) WITH ORDINALITY AS j (value, n) ORDER BY n`,
			[roundId, JSON.stringify(jobs)]
		);
	}

	/**
	 * Exactly once: rows another transaction is taking are skipped (SKIP LOCKED) instead of waited
	 * for or taken twice, and a job leaves the table only when the taker's transaction commits; if
	 * it rolls back, the jobs are there for the next take.
	 */
	async take(roundId: string, limit: number): Promise<unknown[]> {
		if (!Number.isSafeInteger(limit) || limit <= 0) return [];
		const rows = await this.sql.rows<{ job: unknown }>(
			`WITH taken AS (
				DELETE FROM round_jobs WHERE id IN (
					SELECT id FROM round_jobs WHERE round_id = $1 ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED
				) RETURNING id, job
			 )
			 SELECT job FROM taken ORDER BY id`,
			[roundId, limit]
		);
		return rows.map((row) => row.job);
	}

	async rounds(): Promise<string[]> {
		const rows = await this.sql.rows<{ round_id: string }>('SELECT DISTINCT round_id COLLATE "C" AS round_id FROM round_jobs ORDER BY 1');
		return rows.map((row) => row.round_id);
	}
}

/** How long the row of a process that stopped renewing it is kept (others may be slow to look). */
const GONE_KEPT = "INTERVAL '1 hour'";

export class PgNodes implements NodesPort {
	constructor(private readonly sql: Sql) {}

	async beat(node: string, ttlMs: number): Promise<void> {
		checkTtl(ttlMs);
		await this.sql.changes(
			`INSERT INTO cluster_nodes (node_id, expires_at) VALUES ($1, now() + $2 * INTERVAL '1 millisecond')
			 ON CONFLICT (node_id) DO UPDATE SET expires_at = EXCLUDED.expires_at`,
			[node, ttlMs]
		);
		await this.sql.changes(`DELETE FROM cluster_nodes WHERE expires_at < now() - ${GONE_KEPT}`);
	}

	async live(): Promise<string[]> {
		const rows = await this.sql.rows<{ node_id: string }>('SELECT node_id FROM cluster_nodes WHERE expires_at >= now() ORDER BY node_id');
		return rows.map((row) => row.node_id);
	}

	async leave(node: string): Promise<void> {
		await this.sql.changes('DELETE FROM cluster_nodes WHERE node_id = $1', [node]);
	}
}
