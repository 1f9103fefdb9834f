// DESIGN §3 and §6: what a restart must keep. A command is judged once, ever: a refusal
// stands after a restart even when the round changed so that it would pass now; and a command
// that reached a member doc but was never sequenced is sequenced when the doc loads again.
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { openStore } from '../../server/store/index.js';
import {
	Client,
	createBucket,
	createRound,
	bucketState,
	invite,
	ledger,
	memberClient,
	receipt,
	receiptOf,
	removeDir,
	roundClient,
	send,
	startTestServer,
	tempDir,
	waitFor,
	type Member,
	type TestServer
} from '../server/helpers.js';

let running: TestServer | undefined;
let clients: Client[] = [];
const dirs: string[] = [];

async function open(client: Client): Promise<Client> {
	clients.push(client);
	return client.synced();
}

async function stop(): Promise<void> {
	for (const client of clients) client.destroy();
	clients = [];
	await running?.close();
	running = undefined;
}

async function start(dataDir: string): Promise<TestServer> {
	running = await startTestServer(dataDir);
	return running;
}

afterEach(async () => {
	await stop();
	for (const dir of dirs.splice(0)) removeDir(dir);
});

async function ok(client: Client, command: Record<string, unknown>): Promise<void> {
	const id = send(client, command);
	expect(await receiptOf(client, id), JSON.stringify(command)).toMatchObject({ ok: true });
}

/** A round with a published bucket of the facilitator's, still in `proposing`. */
async function roundWithBucket(server: TestServer): Promise<{ facilitator: Member; alice: Member; bucketId: string }> {
	const facilitator = await createRound(server);
	const alice = await invite(server, facilitator, 'Alice');
	const round = await open(roundClient(server, facilitator));
	const bucketId = createBucket(round, [{ label: 'Bancs', min: 800 }], 'Bancs');
	await waitFor(() => bucketState(round, bucketId)?.minGoal === 800, 'goals');
	await ok(await open(memberClient(server, facilitator)), { type: 'publish', bucketId });
	return { facilitator, alice, bucketId };
}

describe('§3 a command is judged once, ever', () => {
	it('§3 a command refused before a restart stays refused after it, although it would pass now', async () => {
		const dataDir = tempDir();
		dirs.push(dataDir);
		const first = await start(dataDir);
		const { facilitator, alice, bucketId } = await roundWithBucket(first);
		const aliceDoc = await open(memberClient(first, alice));
		const early = send(aliceDoc, { type: 'contribute', bucketId, amount: 300 });
		expect(await receiptOf(aliceDoc, early)).toMatchObject({ ok: false, reason: 'wrong_phase' });
		await ok(await open(memberClient(first, facilitator)), { type: 'setPhase', phase: 'funding' });
		await stop();

		const second = await start(dataDir);
		const again = await open(memberClient(second, alice));
		// The doc load re-enqueues every command of the doc; a later one is sequenced after them.
		const later = send(again, { type: 'withdraw', bucketId, amount: 1 });
		await receiptOf(again, later);
		const round = await open(roundClient(second, facilitator));
		expect(ledger(round).filter((entry) => entry.type === 'contribute')).toEqual([]);
		expect(again.doc.getArray<{ commandId: string }>('receipts').toArray().filter((r) => r.commandId === early)).toHaveLength(1);
		expect(receipt(again, early)).toMatchObject({ ok: false, reason: 'wrong_phase' });
		expect(second.logs.filter((line) => line.level === 'error')).toEqual([]);
	});

	it('§6 a command stored in a member doc but never sequenced is sequenced when the doc loads', async () => {
		const dataDir = tempDir();
		dirs.push(dataDir);
		const first = await start(dataDir);
		const { facilitator, alice, bucketId } = await roundWithBucket(first);
		await ok(await open(memberClient(first, facilitator)), { type: 'setPhase', phase: 'funding' });
		const aliceDoc = await open(memberClient(first, alice));
		await waitFor(() => aliceDoc.doc.getMap('wallet').get('balance') === 10_000, 'wallet');
		const stored = Y.encodeStateVector(aliceDoc.doc);
		const copy = new Y.Doc();
		Y.applyUpdate(copy, Y.encodeStateAsUpdate(aliceDoc.doc));
		await stop();

		// As if the server stopped between storing the update and sequencing the command.
		const command = { id: 'command_unsequenced', at: Date.now(), type: 'contribute', bucketId, amount: 250 };
		copy.getArray('commands').push([command]);
		const store = openStore(dataDir);
		await store.rooms.appendUpdate(`${alice.roundId}/members/${alice.memberId}`, Y.encodeStateAsUpdate(copy, stored));
		await store.close();

		const second = await start(dataDir);
		const again = await open(memberClient(second, alice));
		expect(await receiptOf(again, command.id)).toMatchObject({ ok: true, accepted: 250 });
		const round = await open(roundClient(second, facilitator));
		await waitFor(() => bucketState(round, bucketId)?.total === 250, 'total');
	});
});
