// DESIGN §13: the results of a closed round and its public copy. One round: Alice and Bob give most
// to the school and some to the bikes, Fatou half of hers to the choir; the school is funded with a
// stretch, the bikes and the choir are refunded at close.
import { describe, expect, it } from 'vitest';
import { toCsv, toJson, type RoundExport } from './exports.js';
import { toPabulib } from './pabulib.js';
import { publicRound } from './publication.js';
import { visibleEntry } from './visibility.js';
import { apply, emptyState } from './reducer.js';
import { parseOutcomeSummary, resultsOf, summarizeOutcomes } from './results.js';
import type { Actor, Amount, BucketId, Command, CommandId, LedgerEntry, MemberId, Transparency } from './types.js';

const F = 'member-fatou' as MemberId;
const A = 'member-alice' as MemberId;
const B = 'member-bobby' as MemberId;
const SCHOOL = 'bucket-school' as BucketId;
const BIKES = 'bucket-bikes1' as BucketId;
const CHOIR = 'bucket-choir1' as BucketId;
const NAMES = new Map<string, string>([[F, 'Fatou'], [A, 'Alice'], [B, 'Bob']]);
const TITLES = new Map<string, string>([[SCHOOL, 'École'], [BIKES, 'Vélos'], [CHOIR, 'Chorale']]);

function closedLedger(transparency: Transparency): LedgerEntry[] {
	const state = emptyState();
	const ledger: LedgerEntry[] = [];
	let n = 0;
	const system: Actor = { kind: 'system' };
	const member = (memberId: MemberId): Actor => ({ kind: 'member', memberId, role: memberId === F ? 'facilitator' : 'member' });
	const run = (body: Record<string, unknown>, actor: Actor) => {
		const command = { ...body, id: `command-${String(++n).padStart(4, '0')}` as CommandId, at: 0 } as Command;
		const result = apply(state, command, actor, 1_000 + n);
		expect(result.outcome.ok, JSON.stringify(body)).toBe(true);
		ledger.push(...result.entries);
	};
	const settings = { name: 'Assemblée', currency: 'EUR', locale: 'fr-FR', phase: 'proposing', defaultAllocation: 10_000, maxPerMemberPerBucket: null, transparency, requireApproval: false };
	run({ type: 'open', settings }, system);
	for (const m of [F, A, B]) run({ type: 'join', memberId: m }, system);
	for (const [bucketId, min, max] of [[SCHOOL, 14_000, 16_000], [BIKES, 12_000, 12_000], [CHOIR, 10_000, 10_000]] as const) {
		run({ type: 'create', bucketId, memberId: A }, system);
		run({ type: 'setGoals', bucketId, minGoal: min, maxGoal: max }, system);
		run({ type: 'publish', bucketId }, member(A));
	}
	run({ type: 'setPhase', phase: 'funding' }, member(F));
	for (const m of [A, B]) {
		run({ type: 'contribute', bucketId: SCHOOL, amount: 7_500 }, member(m));
		run({ type: 'contribute', bucketId: BIKES, amount: 2_500 }, member(m));
	}
	run({ type: 'contribute', bucketId: CHOIR, amount: 5_000 }, member(F));
	run({ type: 'setPhase', phase: 'closed' }, member(F));
	return ledger;
}

describe('§13 results of a closed round', () => {
	it('§13 the summary compares the rules on the ballots, refunded money included, and names nobody', () => {
		const summary = summarizeOutcomes(closedLedger('named'));
		expect(summary).toEqual({
			voters: 3,
			budget: 30_000,
			share: 10_000,
			projects: [
				{ id: BIKES, cost: 12_000, support: 5_000 },
				{ id: CHOIR, cost: 10_000, support: 5_000 },
				{ id: SCHOOL, cost: 14_000, support: 15_000 }
			],
			greedy: [SCHOOL, BIKES],
			mes: [SCHOOL, CHOIR]
		});
		expect(JSON.stringify(summary)).not.toMatch(/member-/);
	});

	it('§13 a named round: funded buckets against their goals, each member’s money, where the rules differ', () => {
		const ledger = closedLedger('named');
		const results = resultsOf({ ledger, titles: TITLES, names: NAMES, outcomes: summarizeOutcomes(ledger) });
		expect(results.closed).toBe(true);
		expect(results.pool).toBe(30_000);
		expect(results.placed).toBe(15_000);
		expect(results.buckets.map((b) => [b.title, b.funded, b.total, b.given, b.greedy, b.mes])).toEqual([
			['École', true, 15_000, 15_000, true, true],
			['Vélos', false, 0, 5_000, true, false],
			['Chorale', false, 0, 5_000, false, true]
		]);
		expect(results.buckets[0]).toMatchObject({ minGoal: 14_000, maxGoal: 16_000 });
		expect(results.members?.map((m) => [m.name, m.funded, m.unspent])).toEqual([
			['Alice', [{ bucketId: SCHOOL, amount: 7_500 }], 2_500],
			['Bob', [{ bucketId: SCHOOL, amount: 7_500 }], 2_500],
			['Fatou', [], 10_000]
		]);
		expect(results.differences).toEqual({ mesNotGreedy: [CHOIR], greedyNotMes: [BIKES], mesNotFunded: [CHOIR], fundedNotMes: [] });
	});

	it('§13 an anonymous round from the replica: totals only, no member rows', () => {
		const ledger = closedLedger('anonymous');
		const replica = ledger.map((entry) => visibleEntry('anonymous', entry));
		const results = resultsOf({ ledger: replica, titles: TITLES, names: NAMES, outcomes: summarizeOutcomes(ledger) });
		expect(results.members).toBeNull();
		expect(results.placed).toBe(15_000);
		expect(results.buckets.find((b) => b.id === CHOIR)).toMatchObject({ given: 5_000, mes: true, funded: false });
	});

	it('§13 a summary that does not parse is dropped, not thrown on', () => {
		const summary = summarizeOutcomes(closedLedger('named'));
		expect(parseOutcomeSummary(JSON.parse(JSON.stringify(summary)))).toEqual(summary);
		expect(parseOutcomeSummary({ ...summary, budget: -1 })).toBeNull();
		expect(parseOutcomeSummary({ ...summary, mes: ['<script>'] })).toBeNull();
		expect(parseOutcomeSummary({ ...summary, projects: [{ id: 'x', cost: 1.5, support: 1 }] })).toBeNull();
		expect(parseOutcomeSummary('nope')).toBeNull();
	});
});

describe('§13 the public copy of an anonymous round', () => {
	const round = (transparency: Transparency): RoundExport => ({
		roundId: 'round-000001',
		settings: { name: 'Assemblée', currency: 'EUR', locale: 'fr-FR', phase: 'closed', defaultAllocation: 10_000 as Amount, maxPerMemberPerBucket: null, transparency, requireApproval: false },
		members: [...NAMES].map(([id, name]) => ({ id: id as MemberId, name, role: id === F ? ('facilitator' as const) : ('member' as const) })),
		buckets: [...TITLES].map(([id, title]) => ({ id: id as BucketId, title })),
		ledger: closedLedger(transparency)
	});

	it('§13 a named round is published as its members see it', () => {
		expect(publicRound(round('named'), 'ledger')).toEqual(round('named'));
	});

	it('§13 anonymous, as a ledger: no member listed, no money move tied to anyone; as ballots: pseudonyms only', () => {
		const ledgerView = publicRound(round('anonymous'), 'ledger');
		expect(ledgerView.members).toEqual([]);
		for (const e of ledgerView.ledger) if (['contribute', 'withdraw', 'refund'].includes(e.type)) expect(e.memberId).toBeUndefined();
		const ballots = publicRound(round('anonymous'), 'ballots');
		const files = [toCsv(ledgerView), toJson(ledgerView), toPabulib(ballots)];
		for (const file of files) for (const name of NAMES.values()) expect(file).not.toContain(name);
		expect(toPabulib(ballots)).not.toMatch(/member-/);
		// Numbered by ballot, not by joining: the two identical ballots come first, Fatou's (the first to join) last.
		expect(ballots.members.map((m) => m.id)).toEqual(['voter-0001', 'voter-0002', 'voter-0003']);
		const fatou = ballots.ledger.find((e) => e.type === 'contribute' && e.bucketId === CHOIR)?.memberId;
		expect(fatou).toBe('voter-0003');
		// The ballots stay the same: Equal Shares on the pseudonymous ledger chooses what it chose.
		expect(summarizeOutcomes(ballots.ledger)).toEqual(summarizeOutcomes(round('anonymous').ledger));
	});
});
