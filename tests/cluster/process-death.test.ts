// DESIGN §14: a process that dies between a commit and its relay. The update is durable, but the
// other processes' copies of the room never got it through Redis, and its author's client keeps
// calling the dead address. Here the dying process (p2) reaches Redis through a relay that holds
// every chunk 2 s, so its relay of the update is still in that relay when it is SIGKILLed; p1
// holds the round's lease, so no takeover reads the round again. The others see the dead
// process's row in cluster_nodes run out, read their rooms again from PostgreSQL, and remove the
// presences it had relayed.
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { servicesFor } from '../support/services.js';
import { Client, createBucket, invite } from '../server/helpers.js';
import { clusterForFile, roundHeldBy } from './fixture.js';
import { until, type ServerProcess } from './harness.js';

const ready = await servicesFor('Multi-process tests', ['postgres', 'redis']);

describe.skipIf(!ready)('§14 a process dies between a commit and its relay', () => {
	const file = clusterForFile({ processes: 2, slowRedis: { process: 1, lagMs: 2000 }, leaseTtlMs: 1200 });

	it('§14 a comment committed by a process SIGKILLed before its relay left reaches the clients of the other process; its presences go', async () => {
		const run = file();
		const [p1, p2] = ['p1', 'p2'].map((id) => run.cluster.get(id)) as [ServerProcess, ServerProcess];
		const facilitator = await roundHeldBy(run, p1);
		const { roundId } = facilitator;
		const alice = run.secret(await invite(p1, facilitator, 'Alice'));
		const onP1 = await run.open(new Client(p1, roundId, facilitator.token));
		const bucketId = createBucket(onP1, [{ label: 'Lot', min: 1_000 }]);
		const thread = (client: Client): Y.Array<{ id: string }> | undefined =>
			client.doc.getMap('comments').get(bucketId) as Y.Array<{ id: string }> | undefined;
		const aliceOnP2 = await run.open(new Client(p2, roundId, alice.token));
		await until(() => thread(onP1) instanceof Y.Array && thread(aliceOnP2) instanceof Y.Array, 'the comment thread on both processes', 20_000);

		aliceOnP2.provider.awareness.setLocalStateField('user', { name: 'Alice' });
		const alicePresent = (): boolean => [...onP1.provider.awareness.getStates().values()].some((state) => state.memberId === alice.memberId);
		await until(alicePresent, "Alice's presence on p1", 20_000);

		thread(aliceOnP2)!.push([{ id: 'comment_last_words', author: alice.memberId, text: 'Avant la panne', at: Date.now() } as { id: string }]);
		const stored = async (): Promise<boolean> => {
			const rows = await run.db.query<{ data: Buffer }>('SELECT data FROM room_updates WHERE room = $1 ORDER BY id', [roundId]);
			const doc = new Y.Doc();
			for (const row of rows.rows) Y.applyUpdate(doc, new Uint8Array(row.data));
			const comments = doc.getMap('comments').get(bucketId) as Y.Array<{ id: string }> | undefined;
			return comments?.toArray().some((comment) => comment.id === 'comment_last_words') ?? false;
		};
		await until(stored, 'the comment committed by p2', 10_000);
		await p2.kill();
		// The relay held p2's message: p1's clients did not get it through Redis.
		expect(thread(onP1)!.toArray().map((comment) => comment.id)).toEqual([]);

		await until(() => thread(onP1)!.toArray().some((comment) => comment.id === 'comment_last_words'), 'the comment on p1', 20_000);
		// Her presence goes with her process, not 30 s later at the awareness timeout.
		await until(() => !alicePresent(), "Alice's presence gone from p1", 15_000);
		const line = run.cluster.get('p1').logs().find((entry) => entry.msg === 'processes gone: reading what they committed from the store');
		expect(line?.nodes).toEqual([expect.stringMatching(/^p2\//)]);
	});
});
