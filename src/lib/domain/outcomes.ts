// What other participatory-budgeting rules would have chosen from a round's ballots (DESIGN §13):
// greedy by support and the Method of Equal Shares (MES). Exact arithmetic: money is integer minor
// units, and MES's shares are rationals of bigints, so no float ever decides an outcome.
import type { Amount, BucketId, LedgerEntry, MemberId } from './types.js';

/** A PB election read from a round: the pool, the projects and each voter's points. */
export interface PbInstance {
	/** The round's pool (Σ allocations), in minor units. */
	budget: Amount;
	/** Projects with their cost (a bucket's minimum goal), sorted by id. */
	projects: { id: BucketId; cost: Amount }[];
	/** One ballot per member who put money anywhere: bucket → money given (points). */
	ballots: { voter: MemberId; points: Map<BucketId, Amount> }[];
}

/**
 * The ballots of a round, from its full ledger (memberIds included). A member's points for a
 * bucket are what they contributed minus what they withdrew: refunds are not subtracted, because a
 * close refunds every bucket that missed its goal and the ballot is what people chose, not what
 * survived. Projects are the buckets ever published (idea or open) and not cancelled (a cancel
 * gives the money back to spend elsewhere, so it was no choice); their cost is their minGoal.
 */
export function ballotsOf(ledger: readonly LedgerEntry[]): PbInstance {
	let budget = 0;
	const published = new Set<BucketId>();
	const cancelled = new Set<BucketId>();
	const minGoal = new Map<BucketId, Amount>();
	const given = new Map<MemberId, Map<BucketId, number>>();
	for (const e of ledger) {
		if (e.type === 'allocate') budget += e.amount;
		else if (e.type === 'goals' && e.bucketId && e.minGoal !== undefined) minGoal.set(e.bucketId, e.minGoal);
		else if (e.type === 'status' && e.bucketId) {
			if (e.status === 'idea' || e.status === 'open') published.add(e.bucketId);
			if (e.status === 'cancelled') cancelled.add(e.bucketId);
		} else if ((e.type === 'contribute' || e.type === 'withdraw') && e.bucketId && e.memberId) {
			let own = given.get(e.memberId);
			if (!own) given.set(e.memberId, (own = new Map()));
			own.set(e.bucketId, (own.get(e.bucketId) ?? 0) + (e.type === 'contribute' ? e.amount : -e.amount));
		}
	}
	const projects = [...published]
		.filter((id) => !cancelled.has(id))
		.sort(byId)
		.map((id) => ({ id, cost: minGoal.get(id) ?? (0 as Amount) }));
	const ids = new Set(projects.map((p) => p.id));
	const ballots: PbInstance['ballots'] = [];
	for (const [voter, own] of [...given].sort(([a], [b]) => byId(a, b))) {
		const points = new Map<BucketId, Amount>();
		for (const [bucketId, amount] of own) if (amount > 0 && ids.has(bucketId)) points.set(bucketId, amount as Amount);
		if (points.size > 0) ballots.push({ voter, points });
	}
	return { budget: budget as Amount, projects, ballots };
}

/** Code-unit order of ids: the tie-breaking every rule here uses (pabutools' lexicographic one). */
export function byId(a: string, b: string): number {
	return a < b ? -1 : a > b ? 1 : 0;
}

/** Σ points per project. */
export function supportOf(instance: PbInstance): Map<BucketId, number> {
	const support = new Map<BucketId, number>(instance.projects.map((p) => [p.id, 0]));
	for (const { points } of instance.ballots) {
		for (const [id, amount] of points) if (support.has(id)) support.set(id, (support.get(id) ?? 0) + amount);
	}
	return support;
}

/**
 * Greedy by support: projects by decreasing total points (ties by id); each is chosen if its cost
 * still fits in what is left of the budget, otherwise skipped (the usual city rule, pabulib `greedy`).
 */
export function greedyBySupport(instance: PbInstance): BucketId[] {
	const support = supportOf(instance);
	const order = [...instance.projects].sort((a, b) => (support.get(b.id) ?? 0) - (support.get(a.id) ?? 0) || byId(a.id, b.id));
	let left = instance.budget as number;
	const chosen: BucketId[] = [];
	for (const p of order) {
		if (p.cost > 0 && p.cost <= left && (support.get(p.id) ?? 0) > 0) {
			chosen.push(p.id);
			left -= p.cost;
		}
	}
	return chosen;
}

/** A non-negative rational n/d, d > 0, kept in lowest terms. */
export interface Ratio {
	n: bigint;
	d: bigint;
}

function gcd(a: bigint, b: bigint): bigint {
	while (b !== 0n) [a, b] = [b, a % b];
	return a < 0n ? -a : a;
}
export function ratio(n: bigint, d: bigint = 1n): Ratio {
	if (d === 0n) throw new RangeError('Division by zero');
	if (d < 0n) [n, d] = [-n, -d];
	const g = gcd(n, d) || 1n;
	return { n: n / g, d: d / g };
}
const add = (a: Ratio, b: Ratio) => ratio(a.n * b.d + b.n * a.d, a.d * b.d);
const sub = (a: Ratio, b: Ratio) => ratio(a.n * b.d - b.n * a.d, a.d * b.d);
const mul = (a: Ratio, k: bigint) => ratio(a.n * k, a.d);
/** Sign of a − b. */
export const compare = (a: Ratio, b: Ratio) => {
	const x = a.n * b.d - b.n * a.d;
	return x < 0n ? -1 : x > 0n ? 1 : 0;
};
const minRatio = (a: Ratio, b: Ratio) => (compare(a, b) <= 0 ? a : b);

/** What MES decided: the chosen projects in order, and what each voter paid for each of them. */
export interface MesResult {
	chosen: BucketId[];
	/** The share of the budget each voter started with: budget / number of voters. */
	share: Ratio;
	/** voter → project → exact payment. */
	payments: Map<MemberId, Map<BucketId, Ratio>>;
}

/**
 * The Method of Equal Shares with cardinal utilities (a voter's points for a project are their
 * utility, as pabutools' additive cardinal satisfaction reads a cumulative ballot). Every voter
 * gets an equal share of the budget. Repeatedly, for each project its supporters can still afford,
 * find the smallest ρ such that Σ min(left_i, ρ·u_i) = cost: each supporter pays ρ per point, or all
 * they have left. The project with the smallest ρ (the cheapest per point of support) is chosen,
 * ties by id; stop when no project is affordable. No completion step: what is left stays unspent.
 */
export function equalShares(instance: PbInstance): MesResult {
	const voters = instance.ballots;
	const payments = new Map<MemberId, Map<BucketId, Ratio>>(voters.map((b) => [b.voter, new Map()]));
	if (voters.length === 0) return { chosen: [], share: ratio(0n), payments };
	const share = ratio(BigInt(instance.budget), BigInt(voters.length));
	const left = voters.map(() => share);
	const supporters = new Map<BucketId, { index: number; utility: bigint }[]>();
	for (const p of instance.projects) {
		const list = voters.flatMap((b, index) => {
			const u = b.points.get(p.id) ?? 0;
			return u > 0 ? [{ index, utility: BigInt(u) }] : [];
		});
		if (p.cost > 0 && list.length > 0) supporters.set(p.id, list);
	}
	let candidates = instance.projects.filter((p) => supporters.has(p.id)).sort((a, b) => byId(a.id, b.id));
	const chosen: BucketId[] = [];
	for (;;) {
		let best: { id: BucketId; rho: Ratio } | null = null;
		const still: typeof candidates = [];
		for (const p of candidates) {
			const rho = affordability(BigInt(p.cost), supporters.get(p.id) ?? [], left);
			if (rho === null) continue; // budgets only shrink: it will never be affordable again
			still.push(p);
			if (!best || compare(rho, best.rho) < 0) best = { id: p.id, rho };
		}
		if (!best) break;
		chosen.push(best.id);
		for (const { index, utility } of supporters.get(best.id) ?? []) {
			const pay = minRatio(left[index] as Ratio, mul(best.rho, utility));
			left[index] = sub(left[index] as Ratio, pay);
			payments.get((voters[index] as PbInstance['ballots'][number]).voter)?.set(best.id, pay);
		}
		const done = best.id;
		candidates = still.filter((p) => p.id !== done);
	}
	return { chosen, share, payments };
}

/**
 * The smallest ρ with Σ min(left_i, ρ·u_i) ≥ cost over the supporters, or null when all they have
 * left is below the cost. Supporters whose money runs out first (smallest left/u) pay everything.
 */
function affordability(cost: bigint, list: { index: number; utility: bigint }[], left: Ratio[]): Ratio | null {
	let total = ratio(0n);
	for (const { index } of list) total = add(total, left[index] as Ratio);
	if (compare(total, ratio(cost)) < 0) return null;
	const perPoint = (s: { index: number; utility: bigint }) => {
		const own = left[s.index] as Ratio;
		return ratio(own.n, own.d * s.utility);
	};
	const order = [...list].sort((a, b) => compare(perPoint(a), perPoint(b)));
	let due = ratio(cost);
	let utility = 0n;
	for (const s of order) utility += s.utility;
	for (const s of order) {
		const rho = ratio(due.n, due.d * utility);
		const own = left[s.index] as Ratio;
		if (compare(mul(rho, s.utility), own) <= 0) return rho;
		due = sub(due, own);
		utility -= s.utility;
	}
	// Not reached: with total ≥ cost, the last supporter can always pay what is still due.
	return null;
}

/** The three outcomes side by side, for the results page. */
export interface Outcomes {
	instance: PbInstance;
	actual: BucketId[];
	greedy: BucketId[];
	mes: MesResult;
}

/** Buckets funded (or completed) at the end of the ledger, in id order. */
export function fundedOf(ledger: readonly LedgerEntry[]): BucketId[] {
	const status = new Map<BucketId, string>();
	for (const e of ledger) {
		if (e.type === 'status' && e.bucketId && e.status) status.set(e.bucketId, e.status);
		else if (e.type === 'settle' && e.bucketId) status.set(e.bucketId, 'funded');
	}
	return [...status].filter(([, s]) => s === 'funded' || s === 'completed').map(([id]) => id).sort(byId);
}

export function outcomesOf(ledger: readonly LedgerEntry[]): Outcomes {
	const instance = ballotsOf(ledger);
	return { instance, actual: fundedOf(ledger), greedy: greedyBySupport(instance), mes: equalShares(instance) };
}
