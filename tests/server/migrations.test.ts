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
		db.exec('DROP TABLE member_devices; ALTER TABLE invites DROP COLUMN disabled; DROP TABLE publications;');
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

	it('§11 migration 1 builds an empty database; a database from a newer server is refused plainly', () => {
		const dataDir = tempDir();
		dirs.push(dataDir);
		openStore(dataDir).close();
		expect(userVersion(dataDir)).toBe(MIGRATIONS.length);
		const db = new Database(join(dataDir, 'tirelire.db'));
		db.pragma(`user_version = ${MIGRATIONS.length + 1}`);
		db.close();
		expect(() => openStore(dataDir)).toThrow(/schema version .* run a newer server/);
	});
});
