// DESIGN §14, issue 14 item 5: every process serves every room. An edit made through one process
// reaches the clients of the others, presence too; member commands written on any process are
// sequenced once by the round's lease holder and their receipts come back to the member doc
// wherever it is open; the ledger PostgreSQL holds is the one every client sees.
import * as Y from 'yjs';
import { describe, expect, it } from 'vitest';
import { servicesFor } from '../support/services.js';
import { Client, createBucket, createRound, invite, memberJson, roundJson } from '../server/helpers.js';
import { converged, clusterForFile, devicesOf, expectAllSettled, fundingRound } from './fixture.js';
import { until, type ServerProcess } from './harness.js';

const ready = await servicesFor('Multi-process tests', ['postgres', 'redis']);

type Awareness = Client['provider']['awareness'];
const presenceOf = (awareness: Awareness, memberId: string): Record<string, unknown> | undefined =>
	[...awareness.getStates().values()].find((state) => state.memberId === memberId);

describe.skipIf(!ready)('§14 one round across processes', () => {
	const file = clusterForFile({ processes: 3 });

	it('§14 a bucket, its description and comments written through three processes reach every client, and presence crosses too', async () => {
		const run = file();
		const [p1, p2, p3] = ['p1', 'p2', 'p3'].map((id) => run.cluster.get(id)) as [ServerProcess, ServerProcess, ServerProcess];
		const facilitator = run.secret(await createRound(p1));
		const alice = run.secret(await invite(p2, facilitator, 'Alice'));
		const bob = run.secret(await invite(p3, facilitator, 'Bob'));
		const room = facilitator.roundId;
		const onP1 = await run.open(new Client(p1, room, facilitator.token));
		const aliceOnP2 = await run.open(new Client(p2, room, alice.token));
		const aliceOnP3 = await run.open(new Client(p3, room, alice.token));
		const bobOnP3 = await run.open(new Client(p3, room, bob.token));
		const everyone = [onP1, aliceOnP2, aliceOnP3, bobOnP3];

		const bucketId = createBucket(aliceOnP2, [{ label: 'Jeux', min: 2_000, max: 2_500 }], 'Ludothèque');
		// The goals come from the sequencer, which only the lease holder runs: every client having them
		// means the edit crossed to the holder and its answer crossed back to every process.
		await until(
			() => everyone.every((client) => client.doc.getMap<Record<string, unknown>>('bucketState').get(bucketId)?.minGoal === 2_000),
			'the goals everywhere'
		);
		const description = (client: Client): Y.Text =>
			(client.doc.getMap('buckets').get(bucketId) as Y.Map<unknown>).get('description') as Y.Text;
		description(aliceOnP3).insert(0, 'Pour les enfants. ');
		const thread = (client: Client): Y.Array<unknown> => client.doc.getMap('comments').get(bucketId) as Y.Array<unknown>;
		await until(() => everyone.every((client) => thread(client) instanceof Y.Array), 'the comment thread everywhere');
		thread(bobOnP3).push([{ id: 'comment_cluster_bob', author: bob.memberId, text: 'Oui !', at: Date.now() }]);
		thread(onP1).push([{ id: 'comment_cluster_fac', author: facilitator.memberId, text: 'Merci', at: Date.now() }]);

		const doc = (await converged(everyone, roundJson, 'the round doc on every process')) as {
			buckets: Record<string, { description: string }>;
			comments: Record<string, { id: string }[]>;
		};
		expect(doc.buckets[bucketId]!.description).toBe('Pour les enfants. Une description.');
		expect(doc.comments[bucketId]!.map((comment) => comment.id).sort()).toEqual(['comment_cluster_bob', 'comment_cluster_fac']);

		aliceOnP2.provider.awareness.setLocalStateField('user', { name: 'Alice' });
		await until(() => presenceOf(onP1.provider.awareness, alice.memberId) !== undefined, "Alice's presence on the first process");
		// The state carries the memberId the server wrote, so it went through a server, not around one.
		expect(presenceOf(onP1.provider.awareness, alice.memberId)).toMatchObject({ user: { name: 'Alice' }, memberId: alice.memberId });
		await until(() => presenceOf(bobOnP3.provider.awareness, alice.memberId) !== undefined, "Alice's presence on the third process");
	});

	it('§14 contributions written on every process, one member on two at once, are each sequenced once; receipts reach both devices; the ledger in PostgreSQL is gapless and is every replica', async () => {
		const run = file();
		const { processes } = run.cluster;
		const round = await fundingRound(run, 6);
		const { witness, bucketId } = round;
		const devices = await devicesOf(run, round);
		// The first member on a second device, on another process than the first one.
		const first = round.members[0]!;
		const secondDevice = await run.open(new Client(processes[1]!, `${first.roundId}/members/${first.memberId}`, first.token));
		witness.watch(secondDevice);

		let sent = 0;
		const contribute = (device: Client, amount: number): void => {
			witness.send(device, { type: 'contribute', bucketId, amount });
			sent += amount;
		};
		for (let k = 0; k < 8; k++) {
			devices.forEach((device, i) => contribute(device, 1 + i * 10 + k));
			contribute(secondDevice, 100 + k);
		}
		await expectAllSettled(run, round);
		expect(witness.acceptedTotal()).toBe(sent);
		await converged([devices[0]!, secondDevice], memberJson, "the first member's doc on both devices");
	});
});
