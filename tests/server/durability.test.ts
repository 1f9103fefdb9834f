// Issue #4 §7, DESIGN §6: a restart reproduces every doc and the ledger; an acknowledged command
// survives kill -9 and is in the ledger exactly once.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { openStore } from '../../server/store/index.js';
import type { LedgerEntry } from '../../src/lib/domain/types.js';
import {
	Client,
	bucketState,
	createBucket,
	createRound,
	invite,
	ledger,
	memberClient,
	memberJson,
	receiptOf,
	removeDir,
	roundClient,
	roundJson,
	send,
	startTestServer,
	tempDir,
	waitFor,
	type Member
} from './helpers.js';

async function sqliteLedger(dataDir: string, roundId: string): Promise<LedgerEntry[]> {
	const store = openStore(dataDir);
	try {
		return await store.ledger.entries(roundId);
	} finally {
		await store.close();
	}
}

async function ok(client: Client, command: Record<string, unknown>): Promise<string> {
	const id = send(client, command);
	expect(await receiptOf(client, id), JSON.stringify(command)).toMatchObject({ ok: true });
	return id;
}

describe('§6 restart', () => {
	const dataDir = tempDir();
	afterAll(() => removeDir(dataDir));

	it('§6 after a restart every doc and the ledger are identical, and sequencing continues', async () => {
		const first = await startTestServer(dataDir);
		const facilitator = await createRound(first);
		const alice = await invite(first, facilitator, 'Alice');
		const clients: Client[] = [];
		const open = async (client: Client) => {
			clients.push(client);
			return client.synced();
		};
		const aliceRound = await open(roundClient(first, alice));
		const aliceDoc = await open(memberClient(first, alice));
		const facDoc = await open(memberClient(first, facilitator));
		const bucketId = createBucket(aliceRound, [{ label: 'Jeux', min: 2_000, max: 2_500 }]);
		await waitFor(() => bucketState(aliceRound, bucketId)?.minGoal === 2_000, 'goals');
		((aliceRound.doc.getMap('buckets').get(bucketId) as Y.Map<unknown>).get('description') as Y.Text).insert(0, 'Pour les enfants. ');
		(aliceRound.doc.getMap('comments').get(bucketId) as Y.Array<unknown>).push([
			{ id: 'comment_restart_1', author: alice.memberId, text: 'Bonne idée', at: Date.now() }
		]);
		await ok(aliceDoc, { type: 'publish', bucketId });
		await ok(facDoc, { type: 'setPhase', phase: 'funding' });
		await ok(aliceDoc, { type: 'contribute', bucketId, amount: 2_200 });
		await waitFor(() => bucketState(aliceRound, bucketId)?.status === 'funded', 'funded');

		const observe = async () => ({
			round: roundJson(await open(roundClient(first, facilitator))),
			alice: memberJson(await open(memberClient(first, alice))),
			facilitator: memberJson(await open(memberClient(first, facilitator)))
		});
		const before = await observe();
		for (const client of clients.splice(0)) client.destroy();
		await first.close();
		const ledgerBefore = await sqliteLedger(dataDir, facilitator.roundId);
		expect(before.round.ledger).toEqual(ledgerBefore);

		const second = await startTestServer(dataDir);
		const after = {
			round: roundJson(await open(roundClient(second, facilitator))),
			alice: memberJson(await open(memberClient(second, alice))),
			facilitator: memberJson(await open(memberClient(second, facilitator)))
		};
		expect(after).toEqual(before);
		expect((after.round.buckets as Record<string, { description: string }>)[bucketId]!.description).toBe('Pour les enfants. Une description.');

		const aliceAgain = await open(memberClient(second, alice));
		const more = send(aliceAgain, { type: 'contribute', bucketId, amount: 100 });
		expect(await receiptOf(aliceAgain, more)).toMatchObject({ ok: true, accepted: 100, seq: ledgerBefore.length + 1 });
		for (const client of clients) client.destroy();
		await second.close();
		expect(await sqliteLedger(dataDir, facilitator.roundId)).toHaveLength(ledgerBefore.length + 1);
	});
});

describe('§6 idle rooms', () => {
	it('§6 a room without connections unloads and its update log is compacted into one snapshot', async () => {
		const server = await startTestServer(undefined, { roomIdleMs: 50 });
		const facilitator = await createRound(server);
		const client = await roundClient(server, facilitator).synced();
		for (let i = 0; i < 5; i++) client.doc.getMap('buckets').set(`bucket_idle_${i}`, new Y.Map());
		await waitFor(() => bucketState(client, 'bucket_idle_4') !== undefined, 'buckets sequenced');
		const store = openStore(server.dataDir);
		try {
			expect(await store.rooms.countUpdates(facilitator.roundId)).toBeGreaterThan(1);
			client.destroy();
			await waitFor(async () => (await store.rooms.countUpdates(facilitator.roundId)) === 1, 'compaction on unload');
			const reloaded = await roundClient(server, facilitator).synced();
			expect(reloaded.doc.getMap('buckets').size).toBe(5);
			expect(bucketState(reloaded, 'bucket_idle_4')).toMatchObject({ status: 'draft', owners: [facilitator.memberId] });
			reloaded.destroy();
		} finally {
			await store.close();
			await server.close();
			removeDir(server.dataDir);
		}
	});
});

describe('§6 startup check', () => {
	it('§6 a round doc whose ledger replica or bucket states disagree with SQLite is repaired from SQLite, and it is logged', async () => {
		const dataDir = tempDir();
		const first = await startTestServer(dataDir);
		const facilitator = await createRound(first);
		const alice = await invite(first, facilitator, 'Alice');
		const aliceRound = await roundClient(first, alice).synced();
		const bucketId = createBucket(aliceRound, [{ label: 'Vitres', min: 700 }]);
		await waitFor(() => bucketState(aliceRound, bucketId)?.minGoal === 700, 'goals');
		aliceRound.destroy();
		await first.close();

		// Damage the stored round doc behind the server's back.
		const store = openStore(dataDir);
		const doc = new Y.Doc();
		for (const update of await store.rooms.loadRoom(facilitator.roundId)) Y.applyUpdate(doc, update);
		doc.getArray('ledger').delete(1, 2);
		doc.getArray('ledger').push([{ seq: 99, at: 0, type: 'allocate', memberId: alice.memberId, amount: 1_000_000 }]);
		doc.getMap('bucketState').set(bucketId, { status: 'funded', owners: [], minGoal: 0, maxGoal: 0, total: 1 });
		await store.rooms.compact(facilitator.roundId, Y.encodeStateAsUpdate(doc));
		await store.close();

		const second = await startTestServer(dataDir);
		const observer = await roundClient(second, facilitator).synced();
		expect(ledger(observer)).toEqual(await sqliteLedger(dataDir, facilitator.roundId));
		expect(bucketState(observer, bucketId)).toMatchObject({ status: 'draft', owners: [alice.memberId], minGoal: 700, total: 0 });
		expect(second.logs).toContainEqual(expect.objectContaining({ msg: 'ledger replica disagreed with the store', repair: 'rebuilt' }));
		observer.destroy();
		await second.close();
		removeDir(dataDir);
	});
});

describe('§6 kill -9', () => {
	const buildDir = tempDir();
	const dataDir = tempDir();
	let child: ChildProcess | undefined;

	beforeAll(() => {
		// The compiled server, run as its own process, resolving packages from this checkout.
		const result = spawnSync('npx', ['tsc', '-p', 'server/tsconfig.json', '--outDir', join(buildDir, 'out')], { encoding: 'utf8' });
		if (result.status !== 0) throw new Error(`server build failed: ${result.stdout}${result.stderr}`);
		mkdirSync(join(buildDir, 'out'), { recursive: true });
		symlinkSync(join(process.cwd(), 'node_modules'), join(buildDir, 'out', 'node_modules'), 'dir');
		writeFileSync(join(buildDir, 'out', 'package.json'), '{"type":"module"}\n');
	}, 120_000);

	afterAll(() => {
		child?.kill('SIGKILL');
		removeDir(buildDir);
		removeDir(dataDir);
	});

	async function startChild(): Promise<{ url: string; port: number; close: () => Promise<void> }> {
		const spawned = spawn(process.execPath, [join(buildDir, 'out', 'server', 'index.js')], {
			env: { ...process.env, PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir, STATIC_DIR: join(process.cwd(), 'build') },
			stdio: ['ignore', 'pipe', 'pipe']
		});
		child = spawned;
		let output = '';
		spawned.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
		spawned.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
		await waitFor(() => /running at http:\/\/localhost:\d+/.test(output) || spawned.exitCode !== null, 'server start', 15_000);
		const port = Number(/running at http:\/\/localhost:(\d+)/.exec(output)?.[1]);
		if (!port) throw new Error(`server did not start: ${output}`);
		const exited = new Promise<number | null>((resolve) => spawned.once('exit', (code) => resolve(code)));
		return {
			url: `http://localhost:${port}`,
			port,
			close: async () => {
				spawned.kill('SIGTERM');
				expect(await exited).toBe(0);
			}
		};
	}

	it('§6 an acknowledged command survives kill -9 and is in the ledger once, across repeated kills', async () => {
		let server = await startChild();
		const facilitator: Member = await createRound(server);
		const alice = await invite(server, facilitator, 'Alice');
		const aliceRoundDoc = new Y.Doc();
		const aliceMemberDoc = new Y.Doc();
		const facDocState = new Y.Doc();
		let clients: Client[] = [];
		const connect = async () => {
			for (const client of clients) client.provider.destroy();
			clients = [
				new Client(server, alice.roundId, alice.token, aliceRoundDoc),
				new Client(server, `${alice.roundId}/members/${alice.memberId}`, alice.token, aliceMemberDoc),
				new Client(server, `${facilitator.roundId}/members/${facilitator.memberId}`, facilitator.token, facDocState)
			];
			await Promise.all(clients.map((client) => client.synced()));
			return clients as [Client, Client, Client];
		};
		let [aliceRound, aliceDoc] = await connect();
		const facDoc = clients[2]!;
		const bucketId = createBucket(aliceRound, [{ label: 'Toit', min: 100_000 }]);
		await waitFor(() => bucketState(aliceRound, bucketId)?.minGoal === 100_000, 'goals');
		await ok(aliceDoc, { type: 'publish', bucketId });
		await ok(facDoc, { type: 'setPhase', phase: 'funding' });

		const acknowledged: string[] = [];
		for (let round = 0; round < 3; round++) {
			const ids = [1, 2, 3, 4, 5].map((n) => send(aliceDoc, { type: 'contribute', bucketId, amount: n * 10 }));
			await receiptOf(aliceDoc, ids.at(-1)!);
			acknowledged.push(...ids);
			child!.kill('SIGKILL');
			await new Promise((resolve) => child!.once('exit', resolve));
			server = await startChild();
			[aliceRound, aliceDoc] = await connect();
			await waitFor(() => acknowledged.every((id) => aliceDoc.doc.getArray<{ commandId: string }>('receipts').toArray().some((r) => r.commandId === id)), 'receipts after restart');
		}
		const replica = ledger(aliceRound);
		for (const id of acknowledged) expect(replica.filter((entry) => entry.commandId === id)).toHaveLength(1);
		expect(bucketState(aliceRound, bucketId)?.total).toBe(3 * 150);
		for (const client of clients) client.destroy();
		await server.close();
		const stored = await sqliteLedger(dataDir, facilitator.roundId);
		for (const id of acknowledged) expect(stored.filter((entry) => entry.commandId === id)).toHaveLength(1);
		expect(stored).toEqual(replica);
	});
});
