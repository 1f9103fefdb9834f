// The SQLite schema. `CREATE … IF NOT EXISTS` keeps opening an existing database idempotent.
export const SCHEMA = `
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
	created_at INTEGER NOT NULL,
	disabled INTEGER NOT NULL DEFAULT 0
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
CREATE TABLE IF NOT EXISTS member_devices (
	round_id TEXT NOT NULL,
	device_hash TEXT NOT NULL,
	member_id TEXT NOT NULL,
	PRIMARY KEY (round_id, device_hash)
);
CREATE TABLE IF NOT EXISTS client_ids (
	round_id TEXT NOT NULL,
	client_id INTEGER NOT NULL,
	member_id TEXT NOT NULL,
	PRIMARY KEY (round_id, client_id)
);
`;

/** Columns added after the first release: added to a database that lacks them. */
export const ADDED_COLUMNS: { table: string; column: string; definition: string }[] = [
	{ table: 'invites', column: 'disabled', definition: 'INTEGER NOT NULL DEFAULT 0' }
];
