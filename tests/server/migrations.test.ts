// DESIGN §11: SQLite carries user_version and ordered migrations run at start. A database written
// before versioning (user_version 0, the tables of migration 1) is migrated and serves its round:
// the token works and the ledger is intact.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../../server/store/migrations.js';
import { openStore } from '../../server/store/index.js';
import {
	api,
	bucketState,
	createBucket,
	createRound,
	invite,
	ledger,
	memberClient,
	receiptOf,
	removeDir,
	roundClient,
	send,
	startTestServer,
	tempDir,
	waitFor,
	type Client,
	type TestServer
} from './helpers.js';

const dirs: string[] = [];
const servers: TestServer[] = [];
const clients: Client[] = [];

afterEach(async () => {
	for (const client of clients.splice(0)) client.destroy();
	for (const server of servers.splice(0)) await server.close();
	for (const dir of dirs.splice(0)) removeDir(dir);
});

/**
 * What the code before groups (schema 2) left: members holding their token, invites and devices
 * per round, no groups. The reverse of migration 3 on a database written by this server.
 */
const BACK_TO_SCHEMA_2 = `
CREATE TABLE members_v2 (
	round_id TEXT NOT NULL REFERENCES rounds(id),
	id TEXT NOT NULL,
	name TEXT NOT NULL,
	role TEXT NOT NULL,
	token_hash TEXT NOT NULL UNIQUE,
	active INTEGER NOT NULL DEFAULT 1,
	joined_at INTEGER NOT NULL,
	PRIMARY KEY (round_id, id)
);
INSERT INTO members_v2 SELECT m.round_id, m.id, m.name, m.role,
	COALESCE((SELECT hash FROM member_tokens t WHERE t.group_id = m.round_id AND t.member_id = m.id LIMIT 1), 'gone-' || m.id),
	m.active, m.joined_at FROM members m;
DROP TABLE members;
ALTER TABLE members_v2 RENAME TO members;
CREATE TABLE invites_v2 (
	code TEXT PRIMARY KEY,
	round_id TEXT NOT NULL REFERENCES rounds(id),
	role TEXT NOT NULL,
	uses INTEGER,
	used INTEGER NOT NULL DEFAULT 0,
	expires_at INTEGER,
	created_at INTEGER NOT NULL,
	disabled INTEGER NOT NULL DEFAULT 0
);
INSERT INTO invites_v2 SELECT code, group_id, role, uses, used, expires_at, created_at, disabled FROM invites;
DROP TABLE invites;
ALTER TABLE invites_v2 RENAME TO invites;
CREATE INDEX invites_round ON invites(round_id);
CREATE TABLE member_devices (round_id TEXT NOT NULL, device_hash TEXT NOT NULL, member_id TEXT NOT NULL, PRIMARY KEY (round_id, device_hash));
INSERT INTO member_devices SELECT group_id, device_hash, member_id FROM group_devices;
DROP TABLE group_devices;
DROP TABLE device_links;
DROP TABLE member_tokens;
DROP TABLE group_members;
DROP INDEX rounds_group;
ALTER TABLE rounds DROP COLUMN group_id;
DROP TABLE groups;
`;

function userVersion(dataDir: string): number {
	const db = new Database(join(dataDir, 'tirelire.db'));
	try {
		return db.pragma('user_version', { simple: true }) as number;
	} finally {
		db.close();
	}
}

describe('§11 SQLite migrations', () => {
	it('§11 a database written before versioning is migrated at start and serves its round', async () => {
		const dataDir = tempDir();
		dirs.push(dataDir);
		const first = await startTestServer(dataDir);
		const facilitator = await createRound(first);
		const alice = await invite(first, facilitator, 'Alice');
		const round = roundClient(first, facilitator);
		clients.push(round);
		await round.synced();
		const bucketId = createBucket(round, [{ label: 'Four', min: 400 }], 'Four');
		await waitFor(() => bucketState(round, bucketId)?.minGoal === 400, 'goals');
		const before = ledger(round);
		for (const client of clients.splice(0)) client.destroy();
		await first.close();

		// Back to what the code before versioning left: the tables of migration 1 only (what later
		// migrations add is taken away again), user_version 0.
		const db = new Database(join(dataDir, 'tirelire.db'));
		db.exec(BACK_TO_SCHEMA_2);
		db.exec('DROP TABLE member_devices; ALTER TABLE invites DROP COLUMN disabled; DROP TABLE schedules; DROP TABLE blobs; DROP TABLE publications;');
		db.pragma('user_version = 0');
		db.close();
		expect(userVersion(dataDir)).toBe(0);

		const second = await startTestServer(dataDir);
		servers.push(second);
		expect(userVersion(dataDir)).toBe(MIGRATIONS.length);
		const me = await api(second, 'GET', `/api/rounds/${alice.roundId}/me`, undefined, alice.token);
		expect(me).toMatchObject({ status: 200, body: { memberId: alice.memberId, name: 'Alice' } });
		const again = roundClient(second, facilitator);
		const aliceDoc = memberClient(second, alice);
		clients.push(again, aliceDoc);
		await again.synced();
		expect(ledger(again)).toEqual(before);
		await aliceDoc.synced();
		const id = send(aliceDoc, { type: 'withdraw', bucketId, amount: 1 });
		expect(await receiptOf(aliceDoc, id)).toMatchObject({ ok: false, reason: 'wrong_status' });
	});

	it('§12 groups migration: each round becomes a group of its own; its tokens, invite links and revocations keep working', async () => {
		const dataDir = tempDir();
		dirs.push(dataDir);
		const first = await startTestServer(dataDir);
		const facilitator = await createRound(first);
		const alice = await invite(first, facilitator, 'Alice');
		const bob = await invite(first, facilitator, 'Bob');
		expect((await api(first, 'DELETE', `/api/rounds/${bob.roundId}/members/${bob.memberId}`, undefined, facilitator.token)).status).toBe(200);
		const link = await api<{ code: string; url: string }>(first, 'POST', `/api/rounds/${facilitator.roundId}/invites`, { uses: 5 }, facilitator.token);
		await first.close();

		const db = new Database(join(dataDir, 'tirelire.db'));
		// Back to schema 2: before groups, and before the migrations that came after them.
		db.exec(BACK_TO_SCHEMA_2);
		db.exec('DROP TABLE schedules; DROP TABLE blobs; DROP TABLE publications;');
		db.pragma('user_version = 2');
		db.close();

		const second = await startTestServer(dataDir);
		servers.push(second);
		expect(userVersion(dataDir)).toBe(MIGRATIONS.length);
		const roundId = facilitator.roundId;
		// The old token: the round, its own group, its documents.
		expect((await api(second, 'GET', `/api/rounds/${roundId}/me`, undefined, alice.token)).body).toMatchObject({ memberId: alice.memberId, groupId: roundId });
		const group = await api<{ rounds: { roundId: string; member: boolean }[]; role: string }>(second, 'GET', `/api/groups/${roundId}`, undefined, facilitator.token);
		expect(group.body).toMatchObject({ role: 'facilitator', rounds: [{ roundId, member: true }] });
		const aliceDoc = memberClient(second, alice);
		clients.push(aliceDoc);
		await aliceDoc.synced();
		// The revoked member stays revoked.
		expect((await api(second, 'GET', `/api/rounds/${roundId}/me`, undefined, bob.token)).status).toBe(401);
		const bobDoc = memberClient(second, bob);
		clients.push(bobDoc);
		expect((await bobDoc.refused()).code).toBe(4401);
		// The old invite link still admits, into the round and its group.
		const carol = await api<{ memberId: string; token: string }>(second, 'POST', `/api/rounds/${roundId}/join`, { code: link.body.code, name: 'Carol' });
		expect(carol.status).toBe(201);
		expect((await api(second, 'GET', `/api/groups/${roundId}`, undefined, carol.body.token)).status).toBe(200);
		// The group goes on: a second round with its active members (Bob is not one).
		const next = await api<{ roundId: string; members: number }>(second, 'POST', `/api/groups/${roundId}/rounds`, { name: 'Assemblée 2027' }, facilitator.token);
		expect(next.body.members).toBe(3);
		expect((await api(second, 'GET', `/api/rounds/${next.body.roundId}/me`, undefined, alice.token)).status).toBe(200);
		expect((await api(second, 'GET', `/api/rounds/${next.body.roundId}/me`, undefined, bob.token)).status).toBe(401);
	});

	it('§11 migration 1 builds an empty database; a database from a newer server is refused plainly', async () => {
		const dataDir = tempDir();
		dirs.push(dataDir);
		await openStore(dataDir).close();
		expect(userVersion(dataDir)).toBe(MIGRATIONS.length);
		const db = new Database(join(dataDir, 'tirelire.db'));
		db.pragma(`user_version = ${MIGRATIONS.length + 1}`);
		db.close();
		expect(() => openStore(dataDir)).toThrow(/schema version .* run a newer server/);
	});
});
