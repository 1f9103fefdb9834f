// DESIGN §14: Redis relays are a shortcut, the store is the truth. Here the round's lease holder
// hears Redis 0.5 s late (a relay of the test's own holds every chunk that long, both ways), so it
// finds another process's jobs in the inbox (its poll reads PostgreSQL) well before the edits they
// came from reach it through Redis. A bucket created through the other process must still get its
// goals, and contributions must still be receipted once each. And a member on the lagging process
// must not be able to write with a clientID another process bound to someone else moments ago.
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { servicesFor } from '../support/services.js';
import { Client, createBucket, createRound, invite } from '../server/helpers.js';
import { clusterForFile, roundHeldBy } from './fixture.js';
import { sleep, until, type ServerProcess } from './harness.js';
import { Witness } from './witness.js';
import { updateMessage } from '../../server/sync/protocol.js';

const ready = await servicesFor('Multi-process tests', ['postgres', 'redis']);

// Polled every 200 ms (a lease of 1.2 s), the inbox is always seen before a relay 500 ms late.
const LAG_MS = 500;

describe.skipIf(!ready)('§14 a slow link to Redis', () => {
	const file = clusterForFile({ processes: 2, slowRedis: { process: 0, lagMs: LAG_MS }, leaseTtlMs: 1200 });

	it('§14 the lease holder hears Redis 0.5 s late: buckets created through the other process get their goals, contributions are receipted once', async () => {
		const run = file();
		const [p1, p2] = ['p1', 'p2'].map((id) => run.cluster.get(id)) as [ServerProcess, ServerProcess];
		const facilitator = await roundHeldBy(run, p1, { defaultAllocation: 100_000 });
		const { roundId, token } = facilitator;
		// The projector on the holder keeps the round doc loaded there, so that the holder's copy is
		// the one that lags (a room loaded afresh would read the store anyway).
		const onP1 = await run.open(new Client(p1, roundId, token));
		const onP2 = await run.open(new Client(p2, roundId, token));
		const goals = [1_500, 2_500, 4_000];
		const ids = goals.map((min, i) => createBucket(onP2, [{ label: 'Lot', min }], `Projet ${i + 1}`));
		const goalOf = (client: Client, id: string): unknown => client.doc.getMap<Record<string, unknown>>('bucketState').get(id)?.minGoal;
		// Without the store read, the holder ran the jobs on a doc without the buckets and nothing
		// ever asked again: the goals stayed missing.
		await until(() => ids.every((id, i) => goalOf(onP2, id) === goals[i]), 'the goals on the process the buckets were created on', 20_000);
		await until(() => ids.every((id, i) => goalOf(onP1, id) === goals[i]), 'the goals on the holder', 20_000);

		const witness = new Witness(run.db, roundId);
		const own = await run.open(new Client(p2, `${roundId}/members/${facilitator.memberId}`, token));
		witness.watch(own);
		const opened = [witness.send(own, { type: 'publish', bucketId: ids[0]! }), witness.send(own, { type: 'setPhase', phase: 'funding' })];
		await until(() => opened.every((id) => witness.seen.has(id)), 'publish and the funding phase', 20_000);
		expect(opened.map((id) => witness.seen.get(id)!.receipt.ok)).toEqual([true, true]);
		const sent = [100, 200, 300].map((amount) => witness.send(own, { type: 'contribute', bucketId: ids[0]!, amount }));
		await until(() => sent.every((id) => witness.seen.has(id)), 'the receipts of three contributions', 20_000);
		expect(sent.map((id) => witness.seen.get(id)!.receipt.ok)).toEqual([true, true, true]);
		expect(witness.acceptedTotal()).toBe(600);
	});

	it("§14 a clientID bound through one process, claimed by another member through the lagging one before it heard: the store decides, the claim is kept nowhere", async () => {
		const run = file();
		const [p1, p2] = ['p1', 'p2'].map((id) => run.cluster.get(id)) as [ServerProcess, ServerProcess];
		const facilitator = run.secret(await createRound(p2));
		const { roundId } = facilitator;
		const alice = run.secret(await invite(p2, facilitator, 'Alice'));
		const bob = run.secret(await invite(p1, facilitator, 'Bob'));
		const onP2 = await run.open(new Client(p2, roundId, facilitator.token));
		const bucketId = createBucket(onP2, [{ label: 'Lot', min: 1_000 }]);
		const thread = (client: Client): Y.Array<{ id: string }> => client.doc.getMap('comments').get(bucketId) as Y.Array<{ id: string }>;
		const bobOnP1 = await run.open(new Client(p1, roundId, bob.token));
		await until(() => thread(onP2) instanceof Y.Array && thread(bobOnP1) instanceof Y.Array, 'the comment thread on both processes', 20_000);

		// Alice connects through p2, which binds her clientID (her presence names it) and commits it.
		const aliceOnP2 = await run.open(new Client(p2, roundId, alice.token));
		const stolen = aliceOnP2.doc.clientID;
		const ownerInStore = async (): Promise<string | undefined> =>
			(await run.db.query<{ member_id: string }>('SELECT member_id FROM client_ids WHERE round_id = $1 AND client_id = $2', [roundId, stolen]))
				.rows[0]?.member_id;
		await until(async () => (await ownerInStore()) === alice.memberId, "Alice's clientID bound in PostgreSQL", 10_000);
		// Bob writes through p1 with that clientID at once (a doc of his own, made to use it, sends
		// the update on his connection): p1 hears of the binding only 0.5 s later.
		const closes: (number | undefined)[] = [];
		bobOnP1.provider.on('connection-close', (event) => closes.push(event?.code));
		const forged = new Y.Doc();
		forged.clientID = stolen;
		Y.applyUpdate(forged, Y.encodeStateAsUpdate(bobOnP1.doc));
		const before = Y.encodeStateVector(forged);
		(forged.getMap('comments').get(bucketId) as Y.Array<unknown>).push([
			{ id: 'comment_forged_by_bob', author: bob.memberId, text: 'Signé Alice', at: Date.now() }
		]);
		bobOnP1.provider.ws!.send(updateMessage(Y.encodeStateAsUpdate(forged, before)) as Uint8Array<ArrayBuffer>);
		// Let the claim reach p1 and its turn end before Alice writes her first struct (only ordering, nothing timed is asserted).
		await sleep(LAG_MS);
		thread(aliceOnP2).push([{ id: 'comment_alice', author: alice.memberId, text: 'Bonjour', at: Date.now() } as never]);

		// What each process serves to someone who opens the round now.
		const fresh = [await run.open(new Client(p1, roundId, facilitator.token)), await run.open(new Client(p2, roundId, facilitator.token))];
		const ids = (client: Client): string[] => (thread(client)?.toArray() ?? []).map((comment) => comment.id);
		await until(() => fresh.every((client) => ids(client).includes('comment_alice')), "Alice's comment on both processes", 20_000);
		for (const client of fresh) expect(ids(client)).toEqual(['comment_alice']);
		expect(await ownerInStore()).toBe(alice.memberId);
		// p1 dropped the room the claim reached (its clients reconnect and resync from the store).
		expect(closes).toContain(1011);
	});
});
