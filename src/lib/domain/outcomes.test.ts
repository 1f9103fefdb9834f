import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compare, equalShares, greedyBySupport, ratio, type PbInstance, type Ratio } from './outcomes.js';
import type { Amount, BucketId, MemberId } from './types.js';

const b = (s: string) => s as BucketId;
const m = (s: string) => s as MemberId;

function instance(budget: number, costs: Record<string, number>, ballots: Record<string, Record<string, number>>): PbInstance {
	return {
		budget: budget as Amount,
		projects: Object.entries(costs).map(([id, cost]) => ({ id: b(id), cost: cost as Amount })),
		ballots: Object.entries(ballots).map(([voter, points]) => ({
			voter: m(voter),
			points: new Map(Object.entries(points).map(([id, p]) => [b(id), p as Amount]))
		}))
	};
}

const sum = (list: Ratio[]) => list.reduce((a, x) => ratio(a.n * x.d + x.n * a.d, a.d * x.d), ratio(0n));

describe('equalShares, hand-computed', () => {
	it('approval ballots: a ties b and c at 2 per point and wins by id; then nobody can afford b or c', () => {
		// Share 10/4 = 2.5. a: 6 over 3 supporters = 2 each; b, c: 4 over 2 = 2 each.
		// After a, v1..v3 keep 0.5: b has 1 < 4, c has 0.5 + 2.5 = 3 < 4.
		const result = equalShares(
			instance(10, { a: 6, b: 4, c: 4 }, { v1: { a: 1, b: 1 }, v2: { a: 1, b: 1 }, v3: { a: 1, c: 1 }, v4: { c: 1 } })
		);
		expect(result.chosen).toEqual(['a']);
		expect(result.share).toEqual(ratio(5n, 2n));
		expect(result.payments.get(m('v1'))?.get(b('a'))).toEqual(ratio(2n));
	});

	it('cumulative ballots: the project cheaper per point wins, its payments follow the points', () => {
		// Share 50 each. x: only v1, 40/30 = 4/3 per point. y: 60/50 = 6/5 per point, v2 pays 48,
		// v1 pays 12. Then v1 has 38 < 40 for x.
		const result = equalShares(instance(100, { x: 40, y: 60 }, { v1: { x: 30, y: 10 }, v2: { y: 40 } }));
		expect(result.chosen).toEqual(['y']);
		expect(result.payments.get(m('v1'))?.get(b('y'))).toEqual(ratio(12n));
		expect(result.payments.get(m('v2'))?.get(b('y'))).toEqual(ratio(48n));
		expect(greedyBySupport(instance(100, { x: 40, y: 60 }, { v1: { x: 30, y: 10 }, v2: { y: 40 } }))).toEqual(['y', 'x']);
	});

	it('a supporter short of money pays all they have, the others share the rest by points', () => {
		// Share 10/3 each (budget 10, 3 voters). p costs 9: 3 per point would ask 6 of v3 (2 points),
		// more than 10/3, so v3 pays 10/3 and v1, v2 pay (9 − 10/3)/2 = 17/6 each.
		const result = equalShares(instance(10, { p: 9 }, { v1: { p: 1 }, v2: { p: 1 }, v3: { p: 2 } }));
		expect(result.chosen).toEqual(['p']);
		expect(result.payments.get(m('v3'))?.get(b('p'))).toEqual(ratio(10n, 3n));
		expect(result.payments.get(m('v1'))?.get(b('p'))).toEqual(ratio(17n, 6n));
	});

	it('no ballots, no outcome', () => {
		expect(equalShares(instance(100, { a: 10 }, {})).chosen).toEqual([]);
	});
});

/** Small random elections: up to 5 projects, 6 voters, costs up to 120, budgets up to 200. */
const elections = fc
	.record({
		budget: fc.integer({ min: 1, max: 200 }),
		costs: fc.array(fc.integer({ min: 1, max: 120 }), { minLength: 1, maxLength: 5 }),
		voters: fc.array(fc.array(fc.integer({ min: 0, max: 20 }), { minLength: 5, maxLength: 5 }), { minLength: 1, maxLength: 6 })
	})
	.map(({ budget, costs, voters }) => {
		const projects = costs.map((cost, i) => ({ id: b(`p${i}`), cost: cost as Amount }));
		const ballots = voters
			.map((row, v) => ({ voter: m(`v${v}`), points: new Map(projects.flatMap((p, i) => ((row[i] ?? 0) > 0 ? [[p.id, row[i] as Amount] as const] : []))) }))
			.filter((ballot) => ballot.points.size > 0);
		return { budget: budget as Amount, projects, ballots } satisfies PbInstance;
	});

const costOf = (e: PbInstance, ids: BucketId[]) => ids.reduce((s, id) => s + (e.projects.find((p) => p.id === id)?.cost ?? 0), 0);

describe('equalShares, properties', () => {
	it('never spends more than the budget, and each chosen project is paid exactly its cost', () => {
		fc.assert(
			fc.property(elections, (e) => {
				const { chosen, payments } = equalShares(e);
				expect(costOf(e, chosen)).toBeLessThanOrEqual(e.budget);
				for (const id of chosen) {
					const paid = sum([...payments.values()].flatMap((own) => (own.has(id) ? [own.get(id) as Ratio] : [])));
					expect(paid).toEqual(ratio(BigInt(costOf(e, [id]))));
				}
			})
		);
	});

	it("never asks a voter for more than their share, nor for a project they gave nothing to", () => {
		fc.assert(
			fc.property(elections, (e) => {
				const { share, payments } = equalShares(e);
				for (const ballot of e.ballots) {
					const own = payments.get(ballot.voter) ?? new Map<BucketId, Ratio>();
					expect(compare(sum([...own.values()]), share)).toBeLessThanOrEqual(0);
					for (const id of own.keys()) expect(ballot.points.get(id) ?? 0).toBeGreaterThan(0);
				}
			})
		);
	});

	it('stops only when no unchosen project can be paid by what its supporters have left', () => {
		fc.assert(
			fc.property(elections, (e) => {
				const { chosen, share, payments } = equalShares(e);
				for (const p of e.projects) {
					if (chosen.includes(p.id)) continue;
					const left = e.ballots
						.filter((ballot) => (ballot.points.get(p.id) ?? 0) > 0)
						.map((ballot) => {
							const spent = sum([...(payments.get(ballot.voter)?.values() ?? [])]);
							return ratio(share.n * spent.d - spent.n * share.d, share.d * spent.d);
						});
					expect(compare(sum(left), ratio(BigInt(p.cost)))).toBeLessThan(0);
				}
			})
		);
	});

	it('EJR for one project: voters who together hold its cost in shares and back only it get it', () => {
		fc.assert(
			fc.property(elections, (e) => {
				const { chosen, share } = equalShares(e);
				for (const p of e.projects) {
					const group = e.ballots.filter((ballot) => ballot.points.size === 1 && ballot.points.has(p.id));
					const held = ratio(share.n * BigInt(group.length), share.d);
					if (group.length > 0 && compare(held, ratio(BigInt(p.cost))) >= 0) expect(chosen).toContain(p.id);
				}
			})
		);
	});
});

describe('greedyBySupport, properties', () => {
	it('never exceeds the budget and leaves no supported project that still fits', () => {
		fc.assert(
			fc.property(elections, (e) => {
				const chosen = greedyBySupport(e);
				const spent = costOf(e, chosen);
				expect(spent).toBeLessThanOrEqual(e.budget);
				const supported = new Set(e.ballots.flatMap((ballot) => [...ballot.points.keys()]));
				for (const p of e.projects) {
					if (!chosen.includes(p.id) && supported.has(p.id)) expect(p.cost).toBeGreaterThan(e.budget - spent);
				}
			})
		);
	});
});
