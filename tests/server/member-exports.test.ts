// Issue 10 §6: a member's own history and the exports members are entitled to; export file names
// from the round's name (Content-Disposition with an ASCII `filename` and a UTF-8 `filename*`).
import { beforeAll, describe, expect, it } from 'vitest';
import {
	api,
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
import { parseCsv } from '../e2e/server-api.js';

let server: TestServer;
const { track } = serverForFile((started) => (server = started));

const history = (member: Member, token: string | null = member.token) =>
	api(server, 'GET', `/api/rounds/${member.roundId}/me/history.csv`, undefined, token ?? undefined);

describe('a member’s own history (GET /api/rounds/:rid/me/history.csv)', () => {
	let facilitator: Member;
	let alice: Member;
	let bob: Member;

	beforeAll(async () => {
		facilitator = await createRound(server, { name: 'Assemblée 2026', transparency: 'anonymous', maxPerMemberPerBucket: 3_000 });
		alice = await invite(server, facilitator, 'Alice');
		bob = await invite(server, facilitator, 'Bob');
		const aliceRound = await track(roundClient(server, alice));
		const [facDoc, aliceDoc, bobDoc] = await Promise.all([
			track(memberClient(server, facilitator)),
			track(memberClient(server, alice)),
			track(memberClient(server, bob))
		]);
		const oven = createBucket(aliceRound, [{ label: 'Briques', min: 8_000 }], '=Four à pain');
		await waitFor(() => bucketState(aliceRound, oven)?.minGoal === 8_000, 'goals');
		const run = async (client: Client, command: Record<string, unknown>) => receiptOf(client, send(client, command));
		expect(await run(aliceDoc, { type: 'publish', bucketId: oven })).toMatchObject({ ok: true });
		expect(await run(bobDoc, { type: 'contribute', bucketId: oven, amount: 1_000 })).toMatchObject({ ok: false, reason: 'wrong_phase' });
		expect(await run(facDoc, { type: 'setPhase', phase: 'funding' })).toMatchObject({ ok: true });
		expect(await run(bobDoc, { type: 'contribute', bucketId: oven, amount: 5_000 })).toMatchObject({ ok: true, accepted: 3_000, reason: 'cap_reached' });
		expect(await run(aliceDoc, { type: 'contribute', bucketId: oven, amount: 2_000 })).toMatchObject({ ok: true });
		expect(await run(bobDoc, { type: 'withdraw', bucketId: oven, amount: 500 })).toMatchObject({ ok: true });
		expect(await run(facDoc, { type: 'setPhase', phase: 'closed' })).toMatchObject({ ok: true });
		await waitFor(() => bobDoc.doc.getMap('wallet').get('balance') === 10_000, "Bob's refund");
	});

	it('§my-money export: every line of the member’s own money with its receipt, in an anonymous round too', async () => {
		const answer = await history(bob);
		expect(answer.status).toBe(200);
		expect(answer.headers.get('content-type')).toContain('text/csv');
		const rows = parseCsv(answer.text).map((r) => [r.kind, r.bucket_title, r.asked, r.amount, r.outcome, r.reason, r.balance]);
		expect(rows).toEqual([
			['allocation', '', '', '100.00', 'recorded', '', '100.00'],
			['gift', '=Four à pain', '10.00', '0.00', 'refused', 'wrong_phase', '100.00'],
			['gift', '=Four à pain', '50.00', '30.00', 'partial', 'cap_reached', '70.00'],
			['takeBack', '=Four à pain', '5.00', '5.00', 'accepted', '', '75.00'],
			['refund', '=Four à pain', '', '25.00', 'recorded', 'unfunded', '100.00']
		]);
		expect(answer.text).toContain(`'=Four à pain`);
		expect(answer.text).not.toContain(alice.memberId);
	});

	it('§my-money export: only with the member’s own token; anonymity still keeps the round’s exports from members', async () => {
		expect((await history(bob, null)).status).toBe(401);
		expect((await history(bob, 'x'.repeat(43))).status).toBe(401);
		const aliceRows = parseCsv((await history(alice)).text);
		expect(aliceRows.map((r) => r.kind)).toEqual(['allocation', 'gift', 'refund']);
		expect((await api(server, 'GET', `/api/rounds/${alice.roundId}/export.csv`, undefined, alice.token)).status).toBe(403);
	});
});

describe('export file names come from the round’s name', () => {
	const disposition = async (name: string, path: string) => {
		const facilitator = await createRound(server, { name });
		const answer = await api(server, 'GET', `/api/rounds/${facilitator.roundId}/${path}`, undefined, facilitator.token);
		expect(answer.status).toBe(200);
		const header = answer.headers.get('content-disposition') ?? '';
		expect(header).not.toContain(facilitator.roundId);
		return header;
	};

	it('§7 names: "Assemblée 2026" → assemblee-2026-ledger.csv, with the accented name as filename*', async () => {
		expect(await disposition('Assemblée 2026', 'export.csv')).toBe(
			`attachment; filename="assemblee-2026-ledger.csv"; filename*=UTF-8''assembl%C3%A9e-2026-ledger.csv`
		);
		expect(await disposition('Assemblée 2026', 'export.json')).toContain('filename="assemblee-2026-round.json"');
		expect(await disposition('Assemblée 2026', 'export.pb')).toContain('filename="assemblee-2026.pb"');
		expect(await disposition('Assemblée 2026', 'me/history.csv')).toContain('filename="assemblee-2026-my-money.csv"');
	});

	it('§7 names: quotes, slashes and a name in another script never reach the header as they are', async () => {
		expect(await disposition('../"Fête"; x=1 \\ été', 'export.csv')).toBe(
			`attachment; filename="fete-x-1-ete-ledger.csv"; filename*=UTF-8''f%C3%AAte-x-1-%C3%A9t%C3%A9-ledger.csv`
		);
		expect(await disposition('村祭り', 'export.csv')).toBe(
			`attachment; filename="round-ledger.csv"; filename*=UTF-8''%E6%9D%91%E7%A5%AD%E3%82%8A-ledger.csv`
		);
	});
});
