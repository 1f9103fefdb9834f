// The SQLite schema as ordered migrations (DESIGN §11). `PRAGMA user_version` holds how many have
// run; at start the missing ones run in order, each in its own transaction with its version bump.
// Migration 1 is the schema as it was before versioning: written with `IF NOT EXISTS`, so that a
// database created then (user_version 0, every table present) takes it as a no-op.
import type Database from 'better-sqlite3';

const V1 = `
CREATE TABLE IF NOT EXISTS rounds (
	id TEXT PRIMARY KEY,
	name TEXT NOT NULL,
	created_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS members (
	round_id TEXT NOT NULL REFERENCES rounds(id),
	id TEXT NOT NULL,
	name TEXT NOT NULL,
	role TEXT NOT NULL,
	token_hash TEXT NOT NULL UNIQUE,
	active INTEGER NOT NULL DEFAULT 1,
	joined_at INTEGER NOT NULL,
	PRIMARY KEY (round_id, id)
);
CREATE TABLE IF NOT EXISTS invites (
	code TEXT PRIMARY KEY,
	round_id TEXT NOT NULL REFERENCES rounds(id),
	role TEXT NOT NULL,
	uses INTEGER,
	used INTEGER NOT NULL DEFAULT 0,
	expires_at INTEGER,
	created_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS invites_round ON invites(round_id);
CREATE TABLE IF NOT EXISTS room_updates (
	id INTEGER PRIMARY KEY AUTOINCREMENT,
	room TEXT NOT NULL,
	data BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS room_updates_room ON room_updates(room, id);
CREATE TABLE IF NOT EXISTS commands (
	round_id TEXT NOT NULL,
	id TEXT NOT NULL,
	member_id TEXT,
	type TEXT NOT NULL,
	ok INTEGER NOT NULL,
	accepted INTEGER,
	reason TEXT,
	seq INTEGER,
	at INTEGER NOT NULL,
	PRIMARY KEY (round_id, id)
);
CREATE TABLE IF NOT EXISTS ledger (
	round_id TEXT NOT NULL,
	seq INTEGER NOT NULL,
	entry TEXT NOT NULL,
	PRIMARY KEY (round_id, seq)
);
CREATE TABLE IF NOT EXISTS bucket_creators (
	round_id TEXT NOT NULL,
	bucket_id TEXT NOT NULL,
	member_id TEXT NOT NULL,
	PRIMARY KEY (round_id, bucket_id)
);
CREATE TABLE IF NOT EXISTS client_ids (
	round_id TEXT NOT NULL,
	client_id INTEGER NOT NULL,
	member_id TEXT NOT NULL,
	PRIMARY KEY (round_id, client_id)
);
`;

/** Invites can be disabled; a device that joined a round is remembered (SHA-256 of its id) to merge a second join. */
const V2 = `
ALTER TABLE invites ADD COLUMN disabled INTEGER NOT NULL DEFAULT 0;
CREATE TABLE member_devices (
	round_id TEXT NOT NULL,
	device_hash TEXT NOT NULL,
	member_id TEXT NOT NULL,
	PRIMARY KEY (round_id, device_hash)
);
`;

/**
 * The scheduled transitions of every round (PROTOCOL §12), kept with the ledger's `schedule`
 * entries so that a start finds what is due without replaying every round: one row per
 * transition and date, with its deterministic command id (done once it is in `commands`).
 */
const SCHEDULES = `
CREATE TABLE schedules (
	round_id TEXT NOT NULL,
	transition TEXT NOT NULL,
	due INTEGER NOT NULL,
	command_id TEXT NOT NULL,
	PRIMARY KEY (round_id, transition)
);
CREATE INDEX schedules_due ON schedules(due);
`;

/** Uploaded images: which round stored which blob (the bytes are in DATA_DIR/blobs/), by whom, how large. */
const BLOBS = `
CREATE TABLE blobs (
	round_id TEXT NOT NULL,
	hash TEXT NOT NULL,
	member_id TEXT NOT NULL,
	bytes INTEGER NOT NULL,
	created_at INTEGER NOT NULL,
	PRIMARY KEY (round_id, hash)
);
CREATE INDEX blobs_hash ON blobs(hash);
CREATE INDEX blobs_member ON blobs(round_id, member_id, created_at);
`;

/**
 * Groups (DESIGN §12): every existing round becomes a group of its own (same id, same name), its
 * members the group's members (same ids), its members' tokens the group's tokens, its invites the
 * group's invites, its remembered devices the group's. A member may hold several tokens (one per
 * device); `members` stays the per-round membership, without a token. Device links are one-time
 * secrets (hashed) that give a member's access to another device.
 */
const GROUPS = `
CREATE TABLE groups (
	id TEXT PRIMARY KEY,
	name TEXT NOT NULL,
	created_at INTEGER NOT NULL
);
INSERT INTO groups (id, name, created_at) SELECT id, name, created_at FROM rounds;
ALTER TABLE rounds ADD COLUMN group_id TEXT;
UPDATE rounds SET group_id = id;
CREATE INDEX rounds_group ON rounds(group_id, created_at);
CREATE TABLE group_members (
	group_id TEXT NOT NULL REFERENCES groups(id),
	id TEXT NOT NULL,
	name TEXT NOT NULL,
	role TEXT NOT NULL,
	active INTEGER NOT NULL DEFAULT 1,
	joined_at INTEGER NOT NULL,
	PRIMARY KEY (group_id, id)
);
INSERT INTO group_members (group_id, id, name, role, active, joined_at)
	SELECT round_id, id, name, role, active, joined_at FROM members;
CREATE TABLE member_tokens (
	hash TEXT PRIMARY KEY,
	group_id TEXT NOT NULL REFERENCES groups(id),
	member_id TEXT NOT NULL,
	device_hash TEXT,
	created_at INTEGER NOT NULL
);
CREATE INDEX member_tokens_member ON member_tokens(group_id, member_id);
INSERT INTO member_tokens (hash, group_id, member_id, device_hash, created_at)
	SELECT token_hash, round_id, id, NULL, joined_at FROM members WHERE active = 1;
CREATE TABLE round_members (
	round_id TEXT NOT NULL REFERENCES rounds(id),
	id TEXT NOT NULL,
	name TEXT NOT NULL,
	role TEXT NOT NULL,
	active INTEGER NOT NULL DEFAULT 1,
	joined_at INTEGER NOT NULL,
	PRIMARY KEY (round_id, id)
);
INSERT INTO round_members (round_id, id, name, role, active, joined_at)
	SELECT round_id, id, name, role, active, joined_at FROM members;
DROP TABLE members;
ALTER TABLE round_members RENAME TO members;
CREATE TABLE group_invites (
	code TEXT PRIMARY KEY,
	group_id TEXT NOT NULL REFERENCES groups(id),
	role TEXT NOT NULL,
	uses INTEGER,
	used INTEGER NOT NULL DEFAULT 0,
	expires_at INTEGER,
	created_at INTEGER NOT NULL,
	disabled INTEGER NOT NULL DEFAULT 0
);
INSERT INTO group_invites (code, group_id, role, uses, used, expires_at, created_at, disabled)
	SELECT code, round_id, role, uses, used, expires_at, created_at, disabled FROM invites;
DROP TABLE invites;
ALTER TABLE group_invites RENAME TO invites;
CREATE INDEX invites_group ON invites(group_id);
CREATE TABLE group_devices (
	group_id TEXT NOT NULL,
	device_hash TEXT NOT NULL,
	member_id TEXT NOT NULL,
	PRIMARY KEY (group_id, device_hash)
);
INSERT INTO group_devices (group_id, device_hash, member_id) SELECT round_id, device_hash, member_id FROM member_devices;
DROP TABLE member_devices;
CREATE TABLE device_links (
	hash TEXT PRIMARY KEY,
	group_id TEXT NOT NULL REFERENCES groups(id),
	member_id TEXT NOT NULL,
	expires_at INTEGER NOT NULL,
	created_at INTEGER NOT NULL
);
`;

/**
 * Public transparency pages: one row per link ever made (DESIGN §13). A revoked link keeps its row
 * (revoked_at set), so that it answers "gone" rather than "never existed", and the rows are the
 * audit of who published and who revoked. At most one live link per round.
 */
const PUBLICATIONS = `
CREATE TABLE publications (
	token TEXT PRIMARY KEY,
	round_id TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	created_by TEXT NOT NULL,
	revoked_at INTEGER,
	revoked_by TEXT
);
CREATE UNIQUE INDEX publications_live ON publications (round_id) WHERE revoked_at IS NULL;
`;

/** Migration n (1-based) is MIGRATIONS[n - 1]. Append only: never edit one that has shipped. */
export const MIGRATIONS: readonly string[] = [V1, V2, GROUPS, SCHEDULES, BLOBS, PUBLICATIONS];

export class SchemaTooNew extends Error {
	readonly code = 'schema_too_new';
}

/** Brings the database to the latest version; refuses a database written by a newer server. */
export function migrate(db: Database.Database): { from: number; to: number } {
	const from = db.pragma('user_version', { simple: true }) as number;
	if (from > MIGRATIONS.length) {
		throw new SchemaTooNew(`the database is at schema version ${from}, this server knows up to ${MIGRATIONS.length}: run a newer server`);
	}
	for (let version = from + 1; version <= MIGRATIONS.length; version++) {
		db.transaction(() => {
			db.exec(MIGRATIONS[version - 1]!);
			db.pragma(`user_version = ${version}`);
		})();
	}
	return { from, to: MIGRATIONS.length };
}
