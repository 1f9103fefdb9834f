// Issue #4 §7: a round end to end with stock y-websocket clients.
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
	type Member,
	type TestServer
} from './helpers.js';

describe('a round with a facilitator and two members', () => {
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

	it('§3 §4 create, publish, fund concurrently: everyone sees the same totals and the funded status', async () => {
		const [facRound, aliceRound, bobRound] = await Promise.all([
			open(roundClient(server, facilitator)),
			open(roundClient(server, alice)),
			open(roundClient(server, bob))
		]);
		const [facDoc, aliceDoc, bobDoc] = await Promise.all([
			open(memberClient(server, facilitator)),
			open(memberClient(server, alice)),
			open(memberClient(server, bob))
		]);

		expect(facRound.doc.getMap('members').size).toBe(3);
		expect(aliceDoc.doc.getMap('wallet').get('balance')).toBe(10_000);

		const garden = createBucket(aliceRound, [
			{ label: 'Graines', min: 4_000, max: 5_000 },
			{ label: 'Outils', min: 2_000, max: 3_000 }
		]);
		const bikes = createBucket(bobRound, [{ label: 'Vélos', min: 5_000 }]);
		await waitFor(
			() => [facRound, aliceRound, bobRound].every((c) => bucketState(c, garden)?.minGoal === 6_000 && bucketState(c, bikes)?.maxGoal === 5_000),
			'bucket states with goals'
		);
		expect(bucketState(bobRound, garden)).toMatchObject({ status: 'draft', owners: [alice.memberId], maxGoal: 8_000, total: 0 });
		expect(facRound.doc.getMap('comments').has(garden)).toBe(true);

		const published = await Promise.all([
			receiptOf(aliceDoc, send(aliceDoc, { type: 'publish', bucketId: garden })),
			receiptOf(bobDoc, send(bobDoc, { type: 'publish', bucketId: bikes }))
		]);
		expect(published.every((r) => r.ok)).toBe(true);
		expect((await receiptOf(facDoc, send(facDoc, { type: 'setPhase', phase: 'funding' }))).ok).toBe(true);
		await waitFor(() => aliceRound.doc.getMap('round').get('phase') === 'funding', 'funding phase');

		const [fromAlice, fromBob] = await Promise.all([
			receiptOf(aliceDoc, send(aliceDoc, { type: 'contribute', bucketId: garden, amount: 4_000 })),
			receiptOf(bobDoc, send(bobDoc, { type: 'contribute', bucketId: garden, amount: 4_000 }))
		]);
		expect(fromAlice).toMatchObject({ ok: true, accepted: 4_000 });
		expect(fromBob).toMatchObject({ ok: true, accepted: 4_000 });

		await waitFor(
			() => [facRound, aliceRound, bobRound].every((c) => bucketState(c, garden)?.status === 'funded' && bucketState(c, garden)?.total === 8_000),
			'funded for everyone'
		);
		const states = [facRound, aliceRound, bobRound].map((c) => c.doc.getMap('bucketState').toJSON());
		expect(states[1]).toEqual(states[0]);
		expect(states[2]).toEqual(states[0]);
		const ledgers = [facRound, aliceRound, bobRound].map((c) => c.doc.getArray('ledger').toJSON());
		expect(ledgers[1]).toEqual(ledgers[0]);
		expect(ledgers[2]).toEqual(ledgers[0]);
		expect(ledgers[0]!.filter((e: { type: string }) => e.type === 'settle')).toHaveLength(1);
		await waitFor(() => aliceDoc.doc.getMap('wallet').get('balance') === 6_000, "Alice's wallet");
		expect(aliceDoc.doc.getMap('wallet').toJSON()).toEqual({
			allocated: 10_000,
			spent: 4_000,
			balance: 6_000,
			contributions: { [garden]: 4_000 }
		});
	});
});
