// DESIGN §14: a stock y-websocket client sends back every presence it receives. A presence
// relayed from another process arrives before that process has committed (and announced) the
// clientID's binding: the echo must not claim the clientID for the member whose client echoed it.
// Here p2 reaches PostgreSQL through a relay that holds every chunk 150 ms, so its commits, and
// the binding notices that follow them, come well after the presence it relays at once.
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { servicesFor } from '../support/services.js';
import { Client, createBucket, createRound, invite } from '../server/helpers.js';
import { clusterForFile } from './fixture.js';
import { until, type ServerProcess } from './harness.js';

const ready = await servicesFor('Multi-process tests', ['postgres', 'redis']);

describe.skipIf(!ready)('§14 presences echoed by stock clients', () => {
	const file = clusterForFile({ processes: 2, slowPostgres: { process: 1, lagMs: 150 } });

	it("§14 a presence relayed before its binding was committed, echoed back by another member's client, stays its owner's", async () => {
		const run = file();
		const [p1, p2] = ['p1', 'p2'].map((id) => run.cluster.get(id)) as [ServerProcess, ServerProcess];
		const fatou = run.secret(await createRound(p1));
		const { roundId } = fatou;
		const alice = run.secret(await invite(p1, fatou, 'Alice'));
		const aliceOnP1 = new Client(p1, roundId, alice.token);
		aliceOnP1.provider.awareness.setLocalStateField('user', { name: 'Alice' });
		await run.open(aliceOnP1);
		const bucketId = createBucket(aliceOnP1, [{ label: 'Lot', min: 1_000 }]);
		const thread = (client: Client): Y.Array<{ id: string }> | undefined =>
			client.doc.getMap('comments').get(bucketId) as Y.Array<{ id: string }> | undefined;
		await until(() => thread(aliceOnP1) instanceof Y.Array, 'the comment thread', 20_000);

		// Fatou's client on p2 announces its clientID with her name, as the web app does (a state's
		// first clock, 0, is not taken by y-protocols); p2 relays it at once and commits the binding late.
		const fatouOnP2 = new Client(p2, roundId, fatou.token);
		fatouOnP2.provider.awareness.setLocalStateField('user', { name: 'Fatou' });
		await run.open(fatouOnP2);
		const mine = fatouOnP2.doc.clientID;
		await until(
			() => [...aliceOnP1.provider.awareness.getStates().keys()].includes(mine),
			"Fatou's presence in Alice's client (which sends it back to p1)",
			20_000
		);
		const owner = async (): Promise<string | undefined> =>
			(await run.db.query<{ member_id: string }>('SELECT member_id FROM client_ids WHERE round_id = $1 AND client_id = $2', [roundId, mine]))
				.rows[0]?.member_id;
		await until(async () => (await owner()) !== undefined, "Fatou's clientID bound in PostgreSQL", 20_000);
		expect(await owner()).toBe(fatou.memberId);

		// And she can write with it: her comment reaches Alice.
		await until(() => thread(fatouOnP2) instanceof Y.Array, 'the comment thread on p2', 20_000);
		thread(fatouOnP2)!.push([{ id: 'comment_fatou', author: fatou.memberId, text: 'Bienvenue', at: Date.now() } as { id: string }]);
		await until(() => thread(aliceOnP1)!.toArray().some((comment) => comment.id === 'comment_fatou'), "Fatou's comment in Alice's client", 20_000);
		expect(fatouOnP2.closedWith).toBeUndefined();
		for (const process of run.cluster.processes) {
			expect(process.logs().filter((line) => line.level === 'error').map((line) => line.msg), process.nodeId).toEqual([]);
		}
	});
});
