// The PostgreSQL schema as ordered migrations, append-only like SQLite's (../migrations.ts).
// Migration 1 is SQLite's schema after all of its migrations, written for PostgreSQL (a new
// database starts there; SQLite's history is not replayed), plus what several processes share:
// the round leases, the rounds' job inbox and the uploaded files' bytes.
//
// Types: times are milliseconds since the epoch in BIGINT (as in SQLite's INTEGER), except the
// lease's expiry, which is the database's own clock (TIMESTAMPTZ compared with now()); flags are
// BOOLEAN; a Yjs clientID is an unsigned 32-bit number, hence BIGINT; ledger entries stay TEXT,
// byte for byte what was appended (JSONB would reorder their keys). SQLite's `rowid` order is a
// BIGSERIAL `ordinal` where a query sorts by insertion.
import { SchemaTooNew } from '../migrations.js';

const V1 = `
CREATE TABLE groups (
	id TEXT PRIMARY KEY,
	name TEXT NOT NULL,
	created_at BIGINT NOT NULL
);
CREATE TABLE rounds (
	id TEXT PRIMARY KEY,
	name TEXT NOT NULL,
	created_at BIGINT NOT NULL,
	group_id TEXT,
	ordinal BIGSERIAL NOT NULL
);
CREATE INDEX rounds_group ON rounds (group_id, created_at);
CREATE TABLE group_members (
	group_id TEXT NOT NULL REFERENCES groups (id),
	id TEXT NOT NULL,
	name TEXT NOT NULL,
	role TEXT NOT NULL,
	active BOOLEAN NOT NULL DEFAULT TRUE,
	joined_at BIGINT NOT NULL,
	PRIMARY KEY (group_id, id)
);
CREATE TABLE member_tokens (
	hash TEXT PRIMARY KEY,
	group_id TEXT NOT NULL REFERENCES groups (id),
	member_id TEXT NOT NULL,
	device_hash TEXT,
	created_at BIGINT NOT NULL
);
CREATE INDEX member_tokens_member ON member_tokens (group_id, member_id);
CREATE TABLE members (
	round_id TEXT NOT NULL REFERENCES rounds (id),
	id TEXT NOT NULL,
	name TEXT NOT NULL,
	role TEXT NOT NULL,
	active BOOLEAN NOT NULL DEFAULT TRUE,
	joined_at BIGINT NOT NULL,
	PRIMARY KEY (round_id, id)
);
CREATE TABLE invites (
	code TEXT PRIMARY KEY,
	group_id TEXT NOT NULL REFERENCES groups (id),
	role TEXT NOT NULL,
	uses INTEGER,
	used INTEGER NOT NULL DEFAULT 0,
	expires_at BIGINT,
	created_at BIGINT NOT NULL,
	disabled BOOLEAN NOT NULL DEFAULT FALSE,
	ordinal BIGSERIAL NOT NULL
);
CREATE INDEX invites_group ON invites (group_id);
CREATE TABLE group_devices (
	group_id TEXT NOT NULL,
	device_hash TEXT NOT NULL,
	member_id TEXT NOT NULL,
	PRIMARY KEY (group_id, device_hash)
);
CREATE TABLE device_links (
	hash TEXT PRIMARY KEY,
	group_id TEXT NOT NULL REFERENCES groups (id),
	member_id TEXT NOT NULL,
	expires_at BIGINT NOT NULL,
	created_at BIGINT NOT NULL
);
CREATE TABLE room_updates (
	id BIGSERIAL PRIMARY KEY,
	room TEXT NOT NULL,
	data BYTEA NOT NULL
);
CREATE INDEX room_updates_room ON room_updates (room, id);
CREATE TABLE commands (
	round_id TEXT NOT NULL,
	id TEXT NOT NULL,
	member_id TEXT,
	type TEXT NOT NULL,
	ok BOOLEAN NOT NULL,
	accepted BIGINT,
	reason TEXT,
	seq BIGINT,
	at BIGINT NOT NULL,
	PRIMARY KEY (round_id, id)
);
CREATE TABLE ledger (
	round_id TEXT NOT NULL,
	seq BIGINT NOT NULL,
	entry TEXT NOT NULL,
	PRIMARY KEY (round_id, seq)
);
CREATE TABLE bucket_creators (
	round_id TEXT NOT NULL,
	bucket_id TEXT NOT NULL,
	member_id TEXT NOT NULL,
	PRIMARY KEY (round_id, bucket_id)
);
CREATE TABLE client_ids (
	round_id TEXT NOT NULL,
	client_id BIGINT NOT NULL,
	member_id TEXT NOT NULL,
	PRIMARY KEY (round_id, client_id)
);
CREATE TABLE schedules (
	round_id TEXT NOT NULL,
	transition TEXT NOT NULL,
	due BIGINT NOT NULL,
	command_id TEXT NOT NULL,
	PRIMARY KEY (round_id, transition)
);
CREATE INDEX schedules_due ON schedules (due);
CREATE TABLE blobs (
	round_id TEXT NOT NULL,
	hash TEXT NOT NULL,
	member_id TEXT NOT NULL,
	bytes BIGINT NOT NULL,
	created_at BIGINT NOT NULL,
	PRIMARY KEY (round_id, hash)
);
CREATE INDEX blobs_hash ON blobs (hash);
CREATE INDEX blobs_member ON blobs (round_id, member_id, created_at);
CREATE TABLE publications (
	token TEXT PRIMARY KEY,
	round_id TEXT NOT NULL,
	created_at BIGINT NOT NULL,
	created_by TEXT NOT NULL,
	revoked_at BIGINT,
	revoked_by TEXT
);
CREATE UNIQUE INDEX publications_live ON publications (round_id) WHERE revoked_at IS NULL;

CREATE TABLE round_leases (
	round_id TEXT PRIMARY KEY,
	holder TEXT NOT NULL,
	token BIGINT NOT NULL,
	expires_at TIMESTAMPTZ NOT NULL
);
CREATE TABLE round_jobs (
	id BIGSERIAL PRIMARY KEY,
	round_id TEXT NOT NULL,
	job JSONB NOT NULL
);
CREATE INDEX round_jobs_round ON round_jobs (round_id, id);
CREATE TABLE files (
	hash TEXT PRIMARY KEY,
	data BYTEA NOT NULL,
	created_at BIGINT NOT NULL
);
`;

/**
 * The processes of the distributed setup, each present while it renews its row: when one stops
 * renewing (it died), the others read again from the store what it may have committed and not
 * relayed.
 */
const V2 = `
CREATE TABLE cluster_nodes (
	node_id TEXT PRIMARY KEY,
	expires_at TIMESTAMPTZ NOT NULL
);
`;

/** Migration n (1-based) is PG_MIGRATIONS[n - 1]. Append only: never edit one that has shipped. */
export const PG_MIGRATIONS: readonly string[] = [V1, V2];

/**
 * Any constant, the same in every process: the transaction-scoped advisory lock that makes
 * processes starting together migrate one after the other (the first migrates, the others find
 * nothing to do). Its value spells "tirelire" in ASCII, unlikely to meet another application's.
 */
const MIGRATION_LOCK = 0x746972656c697265n;

type Query = (text: string, values?: unknown[]) => Promise<{ rows: Record<string, unknown>[] }>;

/** Brings the database to the latest version in one transaction; refuses a database written by a newer server. */
export async function migratePg(query: Query): Promise<{ from: number; to: number }> {
	await query('BEGIN');
	try {
		await query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK.toString()]);
		await query(`CREATE TABLE IF NOT EXISTS schema_migrations (
			version INTEGER PRIMARY KEY,
			applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
		)`);
		const from = Number((await query('SELECT COALESCE(MAX(version), 0) AS v FROM schema_migrations')).rows[0]!.v);
		if (from > PG_MIGRATIONS.length) {
			throw new SchemaTooNew(
				`the database is at schema version ${from}, this server knows up to ${PG_MIGRATIONS.length}: run a newer server`
			);
		}
		for (let version = from + 1; version <= PG_MIGRATIONS.length; version++) {
			await query(PG_MIGRATIONS[version - 1]!);
			await query('INSERT INTO schema_migrations (version) VALUES ($1)', [version]);
		}
		await query('COMMIT');
		return { from, to: PG_MIGRATIONS.length };
	} catch (error) {
		await query('ROLLBACK').catch(() => undefined);
		throw error;
	}
}
