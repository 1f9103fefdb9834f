// Budget governance (PROTOCOL §4, §5): a refused budget change reaches the member who made it as a
// receipt, once, and the bucket's goals stay the server's.
import * as Y from 'yjs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
	bucketState,
	createBucket,
	createRound,
	invite,
	memberClient,
	receiptOf,
	roundClient,
	send,
	serverForFile,
	waitFor,
	type Client,
	type Member,
	type TestServer
} from './helpers.js';
import type { Receipt } from '../../src/lib/domain/types.js';

function setItems(client: Client, bucketId: string, items: { label: string; min: number; max?: number | null }[]): void {
	const list = client.doc.getMap<Y.Map<unknown>>('buckets').get(bucketId)?.get('items') as Y.Array<unknown>;
	client.doc.transact(() => {
		list.delete(0, list.length);
		list.push(items);
	});
}

const goalReceipts = (client: Client) => client.doc.getArray<Receipt>('receipts').toArray().filter((r) => r.bucketId !== undefined);

describe('a budget change the rules refuse', () => {
	let server: TestServer;
	let facilitator: Member;
	let alice: Member;
	let bob: Member;
	const { track: open } = serverForFile((started) => (server = started));

	beforeAll(async () => {
		facilitator = await createRound(server);
		alice = await invite(server, facilitator, 'Alice');
		bob = await invite(server, facilitator, 'Bob');
	});

	it('reaches its editor as a receipt naming the bucket and the reason, once; the goals stay', async () => {
		const [aliceRound, facDoc, aliceDoc, bobDoc] = await Promise.all([
			open(roundClient(server, alice)),
			open(memberClient(server, facilitator)),
			open(memberClient(server, alice)),
			open(memberClient(server, bob))
		]);
		const garden = createBucket(aliceRound, [{ label: 'Graines', min: 10_000 }]);
		await waitFor(() => bucketState(aliceRound, garden)?.minGoal === 10_000, 'goals');
		expect((await receiptOf(aliceDoc, send(aliceDoc, { type: 'publish', bucketId: garden }))).ok).toBe(true);
		expect((await receiptOf(facDoc, send(facDoc, { type: 'setPhase', phase: 'funding' }))).ok).toBe(true);
		expect(await receiptOf(bobDoc, send(bobDoc, { type: 'contribute', bucketId: garden, amount: 2_000 }))).toMatchObject({ ok: true });

		setItems(aliceRound, garden, [{ label: 'Graines', min: 2_000 }]);
		await waitFor(() => goalReceipts(aliceDoc).length === 1, 'the refusal receipt');
		expect(goalReceipts(aliceDoc)[0]).toMatchObject({ ok: false, reason: 'would_lock_funders', bucketId: garden });
		expect(bucketState(aliceRound, garden)).toMatchObject({ status: 'open', minGoal: 10_000, total: 2_000 });

		// Editing the description judges the same items again: no second receipt for the same refusal.
		const description = aliceRound.doc.getMap<Y.Map<unknown>>('buckets').get(garden)?.get('description') as Y.Text;
		description.insert(0, 'Encore ');
		setItems(aliceRound, garden, [{ label: 'Graines', min: 10_000, max: 4_000 }]);
		await waitFor(() => goalReceipts(aliceDoc).length === 2, 'the stretch refusal');
		expect(goalReceipts(aliceDoc).map((r) => r.reason)).toEqual(['would_lock_funders', 'stretch_below_needed']);
		expect(goalReceipts(bobDoc)).toEqual([]);
		expect(bucketState(aliceRound, garden)).toMatchObject({ minGoal: 10_000, maxGoal: 10_000 });
	});
});
