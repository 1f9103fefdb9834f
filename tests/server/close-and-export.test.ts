// Issue #4 §7: closing a round refunds what did not reach its goal; exports with the right auth
// and content (DESIGN §3, §5, §7).
import { beforeAll, describe, expect, it } from 'vitest';
import type { LedgerEntry } from '../../src/lib/domain/types.js';
import {
	accepted,
	api,
	bucketState,
	createBucket,
	createRound,
	invite,
	ledger,
	memberClient,
	receiptOf,
	roundClient,
	send,
	serverForFile,
	waitFor,
	type Member,
	type TestServer
} from './helpers.js';

let server: TestServer;
const { track } = serverForFile((started) => (server = started));
const ok = accepted;

describe('a named round that closes', () => {
	let facilitator: Member;
	let alice: Member;
	let bob: Member;
	let funded: string;
	let unfunded: string;

	beforeAll(async () => {
		facilitator = await createRound(server, { name: 'Fête du village' });
		alice = await invite(server, facilitator, 'Alice');
		bob = await invite(server, facilitator, 'Bob');
	});

	it('§3 closing refunds every bucket that is not funded (status unfunded), funded ones keep their money', async () => {
		const aliceRound = await track(roundClient(server, alice));
		const [facDoc, aliceDoc, bobDoc] = await Promise.all([
			track(memberClient(server, facilitator)),
			track(memberClient(server, alice)),
			track(memberClient(server, bob))
		]);
		funded = createBucket(aliceRound, [{ label: '=HYPERLINK("x")', min: 3_000 }], '=Buvette');
		unfunded = createBucket(aliceRound, [{ label: 'Chapiteau', min: 8_000 }], 'Chapiteau');
		await waitFor(() => bucketState(aliceRound, unfunded)?.minGoal === 8_000 && bucketState(aliceRound, funded)?.minGoal === 3_000, 'goals');
		await ok(aliceDoc, { type: 'publish', bucketId: funded });
		await ok(aliceDoc, { type: 'publish', bucketId: unfunded });
		await ok(facDoc, { type: 'setPhase', phase: 'funding' });
		await ok(aliceDoc, { type: 'contribute', bucketId: funded, amount: 3_000 });
		await ok(aliceDoc, { type: 'contribute', bucketId: unfunded, amount: 2_000 });
		await ok(bobDoc, { type: 'contribute', bucketId: unfunded, amount: 1_000 });
		await waitFor(() => bobDoc.doc.getMap('wallet').get('balance') === 9_000, "Bob's wallet");

		await ok(facDoc, { type: 'setPhase', phase: 'closed' });
		await waitFor(() => bucketState(aliceRound, unfunded)?.status === 'unfunded', 'unfunded');
		expect(bucketState(aliceRound, unfunded)).toMatchObject({ status: 'unfunded', total: 0 });
		expect(bucketState(aliceRound, funded)).toMatchObject({ status: 'funded', total: 3_000 });
		const refunds = ledger(aliceRound).filter((entry) => entry.type === 'refund');
		expect(refunds.map((entry) => [entry.memberId, entry.amount]).sort()).toEqual(
			[
				[alice.memberId, 2_000],
				[bob.memberId, 1_000]
			].sort()
		);
		await waitFor(() => bobDoc.doc.getMap('wallet').get('balance') === 10_000, "Bob's refund");
		await waitFor(() => aliceDoc.doc.getMap('wallet').get('balance') === 7_000, "Alice's refund");
		expect(aliceRound.doc.getMap('round').get('phase')).toBe('closed');
		const late = await receiptOf(bobDoc, send(bobDoc, { type: 'contribute', bucketId: funded, amount: 1 }));
		expect(late).toMatchObject({ ok: false, reason: 'round_closed' });
	});

	it('§7 CSV export: facilitator and (named round) members, BOM, one row per ledger entry, formula cells escaped', async () => {
		const facCsv = await api(server, 'GET', `/api/rounds/${facilitator.roundId}/export.csv`, undefined, facilitator.token);
		expect(facCsv.status).toBe(200);
		expect(facCsv.headers.get('content-type')).toContain('text/csv');
		expect(facCsv.headers.get('content-disposition')).toBe(
			`attachment; filename="fete-du-village-ledger.csv"; filename*=UTF-8''f%C3%AAte-du-village-ledger.csv`
		);
		const raw = new Uint8Array(await (await fetch(`${server.url}/api/rounds/${facilitator.roundId}/export.csv`, {
			headers: { Authorization: `Bearer ${facilitator.token}` }
		})).arrayBuffer());
		expect([...raw.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
		const rows = facCsv.text.replace(/^\uFEFF/, '').trim().split('\r\n');
		const observer = await track(roundClient(server, facilitator));
		expect(rows).toHaveLength(ledger(observer).length + 1);
		expect(facCsv.text).toContain(`'=Buvette`);
		const memberCsv = await api(server, 'GET', `/api/rounds/${facilitator.roundId}/export.csv`, undefined, bob.token);
		expect(memberCsv.status).toBe(200);
		expect(memberCsv.text).toBe(facCsv.text);
		const anonymous = await api(server, 'GET', `/api/rounds/${facilitator.roundId}/export.csv`);
		expect(anonymous.status).toBe(401);
		expect(anonymous.body).toMatchObject({ error: { code: 'unauthorized' } });
	});

	it('§7 JSON and pabulib exports carry the round, buckets and votes', async () => {
		const json = await api<{ round: { name: string }; buckets: { id: string; status: string }[]; ledger: LedgerEntry[] }>(
			server,
			'GET',
			`/api/rounds/${facilitator.roundId}/export.json`,
			undefined,
			facilitator.token
		);
		expect(json.status).toBe(200);
		expect(json.body.round.name).toBe('Fête du village');
		expect(json.body.buckets.find((b) => b.id === funded)?.status).toBe('funded');
		expect(json.body.buckets.find((b) => b.id === unfunded)?.status).toBe('unfunded');
		const pb = await api(server, 'GET', `/api/rounds/${facilitator.roundId}/export.pb`, undefined, facilitator.token);
		expect(pb.status).toBe(200);
		expect(pb.text).toMatch(/^META\r?\n/);
		expect(pb.text).toContain('vote_type;cumulative');
		expect(pb.text).toMatch(/PROJECTS\r?\nproject_id;cost;votes;score;name;selected/);
		expect(pb.text).toContain(`${funded};3000;`);
		expect(pb.text).toMatch(/VOTES\r?\nvoter_id;vote;points/);
	});
});

describe('an anonymous round', () => {
	it('§2 the ledger replica hides who funded; §5 only facilitators export', async () => {
		const facilitator = await createRound(server, { transparency: 'anonymous' });
		const alice = await invite(server, facilitator, 'Alice');
		const aliceRound = await track(roundClient(server, alice));
		const [facDoc, aliceDoc] = await Promise.all([track(memberClient(server, facilitator)), track(memberClient(server, alice))]);
		const bucketId = createBucket(aliceRound, [{ label: 'Livres', min: 1_000 }]);
		await waitFor(() => bucketState(aliceRound, bucketId)?.minGoal === 1_000, 'goals');
		await ok(aliceDoc, { type: 'publish', bucketId });
		await ok(facDoc, { type: 'setPhase', phase: 'funding' });
		await ok(aliceDoc, { type: 'contribute', bucketId, amount: 400 });
		await waitFor(() => ledger(aliceRound).some((entry) => entry.type === 'contribute'), 'contribution in the replica');
		const contribution = ledger(aliceRound).find((entry) => entry.type === 'contribute')!;
		expect(contribution.memberId).toBeUndefined();
		expect(contribution.amount).toBe(400);

		expect((await api(server, 'GET', `/api/rounds/${facilitator.roundId}/export.json`, undefined, alice.token)).status).toBe(403);
		const full = await api<{ ledger: LedgerEntry[] }>(server, 'GET', `/api/rounds/${facilitator.roundId}/export.json`, undefined, facilitator.token);
		expect(full.status).toBe(200);
		expect(full.body.ledger.find((entry) => entry.type === 'contribute')?.memberId).toBe(alice.memberId);
	});

	it('§2 switching a named round to anonymous hides earlier contributors in the replica too', async () => {
		const facilitator = await createRound(server);
		const alice = await invite(server, facilitator, 'Alice');
		const aliceRound = await track(roundClient(server, alice));
		const [facDoc, aliceDoc] = await Promise.all([track(memberClient(server, facilitator)), track(memberClient(server, alice))]);
		const bucketId = createBucket(aliceRound, [{ label: 'Bancs', min: 1_000 }]);
		await waitFor(() => bucketState(aliceRound, bucketId)?.minGoal === 1_000, 'goals');
		await ok(aliceDoc, { type: 'publish', bucketId });
		await ok(facDoc, { type: 'setPhase', phase: 'funding' });
		await ok(aliceDoc, { type: 'contribute', bucketId, amount: 300 });
		await waitFor(() => ledger(aliceRound).some((entry) => entry.type === 'contribute' && entry.memberId === alice.memberId), 'named entry');
		await ok(facDoc, { type: 'configure', settings: { transparency: 'anonymous' } });
		await waitFor(() => aliceRound.doc.getMap('round').get('transparency') === 'anonymous', 'anonymous round');
		await waitFor(() => ledger(aliceRound).some((entry) => entry.type === 'configure'), 'configure entry');
		const contribution = ledger(aliceRound).find((entry) => entry.type === 'contribute')!;
		expect(contribution.memberId).toBeUndefined();
		expect(ledger(aliceRound).map((entry) => entry.seq)).toEqual(ledger(aliceRound).map((_, i) => i + 1));
	});
});
