// DESIGN §13: properties of the Method of Equal Shares and of greedy-by-support on small random
// elections (fast-check), beyond the hand-computed cases of outcomes.test.ts: MES's payments are a
// price system (priceability), EJR up to one project holds on approval ballots, both rules are
// deterministic and do not depend on the order ballots come in, greedy follows support.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compare, equalShares, greedyBySupport, ratio, supportOf, type PbInstance, type Ratio } from './outcomes.js';
import type { Amount, BucketId, MemberId } from './types.js';

const sum = (list: Ratio[]) => list.reduce((a, x) => ratio(a.n * x.d + x.n * a.d, a.d * x.d), ratio(0n));

/** Up to 5 projects and 6 voters; `approval` gives every supporter 1 point, else up to 20 points. */
const elections = (approval: boolean) =>
	fc
		.record({
			budget: fc.integer({ min: 1, max: 200 }),
			costs: fc.array(fc.integer({ min: 1, max: 120 }), { minLength: 1, maxLength: 5 }),
			voters: fc.array(fc.array(fc.integer({ min: 0, max: approval ? 1 : 20 }), { minLength: 5, maxLength: 5 }), { minLength: 1, maxLength: 6 })
		})
		.map(({ budget, costs, voters }): PbInstance => {
			const projects = costs.map((cost, i) => ({ id: `p${i}` as BucketId, cost: cost as Amount }));
			const ballots = voters
				.map((row, v) => ({
					voter: `v${v}` as MemberId,
					points: new Map(projects.flatMap((p, i) => ((row[i] ?? 0) > 0 ? [[p.id, row[i] as Amount] as const] : [])))
				}))
				.filter((ballot) => ballot.points.size > 0);
			return { budget: budget as Amount, projects, ballots };
		});

const costOf = (e: PbInstance, ids: Iterable<BucketId>) => [...ids].reduce((s, id) => s + (e.projects.find((p) => p.id === id)?.cost ?? 0), 0);

/**
 * Peters & Skowron's priceability, with MES's own payments as the price system: every voter has
 * the same budget share, pays only for chosen projects it supports and never more than its share,
 * each chosen project is paid exactly its cost, and no unchosen project could be bought by what
 * its supporters have left.
 */
function isPriceSystem(e: PbInstance): boolean {
	const { chosen, share, payments } = equalShares(e);
	const left = new Map<MemberId, Ratio>();
	for (const ballot of e.ballots) {
		const own = payments.get(ballot.voter) ?? new Map<BucketId, Ratio>();
		for (const id of own.keys()) if (!chosen.includes(id) || !ballot.points.has(id)) return false;
		const spent = sum([...own.values()]);
		if (compare(spent, share) > 0) return false;
		left.set(ballot.voter, ratio(share.n * spent.d - spent.n * share.d, share.d * spent.d));
	}
	for (const id of chosen) {
		const paid = sum([...payments.values()].flatMap((own) => (own.has(id) ? [own.get(id) as Ratio] : [])));
		if (compare(paid, ratio(BigInt(costOf(e, [id])))) !== 0) return false;
	}
	for (const p of e.projects) {
		if (chosen.includes(p.id)) continue;
		const reachable = sum(e.ballots.filter((b) => b.points.has(p.id)).map((b) => left.get(b.voter) as Ratio));
		if (compare(reachable, ratio(BigInt(p.cost))) >= 0) return false;
	}
	return true;
}

function* subsets<T>(items: readonly T[]): Generator<T[]> {
	for (let mask = 1; mask < 1 << items.length; mask++) yield items.filter((_, i) => mask & (1 << i));
}

describe('§13 Equal Shares, properties', () => {
	it('§13 MES: its payments are a price system (priceable): budget never exceeded, each chosen cost fully paid by its supporters', () => {
		fc.assert(fc.property(elections(false), (e) => {
			expect(isPriceSystem(e)).toBe(true);
			expect(costOf(e, equalShares(e).chosen)).toBeLessThanOrEqual(e.budget);
		}), { numRuns: 500 });
	});

	it('§13 MES: EJR up to one project on approval ballots (every cohesive group has a member with its due, up to one project)', () => {
		fc.assert(
			fc.property(elections(true), (e) => {
				const chosen = new Set(equalShares(e).chosen);
				const n = e.ballots.length;
				for (const wanted of subsets(e.projects.map((p) => p.id))) {
					const backers = e.ballots.filter((b) => wanted.every((id) => b.points.has(id)));
					for (const group of subsets(backers)) {
						// The group can afford `wanted` with its shares: |S| / n · budget ≥ cost(T).
						if (group.length * e.budget < n * costOf(e, wanted)) continue;
						// With one point per approved project, "u_i(W ∪ {a}) > u_i(T) for some a in T not chosen"
						// reads got + 1 > |T|: some member got at least as many projects it approves as T has.
						const satisfied = group.some((b) => [...b.points.keys()].filter((id) => chosen.has(id)).length >= wanted.length);
						expect(satisfied, JSON.stringify({ wanted, group: group.map((b) => b.voter) })).toBe(true);
					}
				}
			}),
			{ numRuns: 500 }
		);
	});

	it('§13 both rules are deterministic and blind to the order ballots arrive in', () => {
		fc.assert(
			fc.property(elections(false), fc.integer({ min: 1, max: 1000 }), (e, seed) => {
				const shuffled = { ...e, ballots: [...e.ballots].sort((a, b) => ((a.voter.charCodeAt(1) * seed) % 7) - ((b.voter.charCodeAt(1) * seed) % 7)) };
				expect(equalShares(e).chosen).toEqual(equalShares(e).chosen);
				expect(equalShares(shuffled).chosen).toEqual(equalShares(e).chosen);
				expect(greedyBySupport(shuffled)).toEqual(greedyBySupport(e));
			})
		);
	});
});

describe('§13 greedy by support, properties', () => {
	it('§13 greedy: within the budget, picks in decreasing support; a better-supported project is skipped only when it no longer fit', () => {
		fc.assert(
			fc.property(elections(false), (e) => {
				const chosen = greedyBySupport(e);
				const support = supportOf(e);
				const of = (id: BucketId) => support.get(id) ?? 0;
				expect(costOf(e, chosen)).toBeLessThanOrEqual(e.budget);
				for (let i = 1; i < chosen.length; i++) expect(of(chosen[i - 1]!)).toBeGreaterThanOrEqual(of(chosen[i]!));
				for (const p of e.projects) {
					if (chosen.includes(p.id) || of(p.id) === 0) continue;
					// What was spent on the projects picked before it (better supported, or tied and earlier by id).
					const before = chosen.filter((id) => of(id) > of(p.id) || (of(id) === of(p.id) && id < p.id));
					expect(p.cost).toBeGreaterThan(e.budget - costOf(e, before));
				}
			})
		);
	});
});
