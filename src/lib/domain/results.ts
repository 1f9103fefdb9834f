// The results of a round (DESIGN §13): what was funded against its goals, where each member's money
// went (per the transparency rule), and what greedy-by-support and the Method of Equal Shares would
// have chosen from the same ballots. Pure and in integer money; the rules themselves are in
// outcomes.ts. The comparison needs everyone's ballots, which members of an anonymous round never
// see, so the server computes it from the full ledger and publishes only this summary of it.
import { isId } from './id.js';
import { outcomesOf, supportOf } from './outcomes.js';
import { replayReplica } from './selectors.js';
import type { Amount, BucketId, BucketStatus, LedgerEntry, MemberId, Transparency } from './types.js';

/** What the rules chose, without any ballot: safe to show in every round (the `outcomes` root). */
export interface OutcomeSummary {
	/** Members who put money anywhere (the voters). */
	voters: number;
	/** The pool the rules share out. */
	budget: Amount;
	/** Each voter's equal share of the pool under Equal Shares, rounded down to a minor unit. */
	share: Amount;
	/** Every project (published, not cancelled bucket): its cost (minimum goal) and the money it was given, refunds included. */
	projects: { id: BucketId; cost: Amount; support: Amount }[];
	greedy: BucketId[];
	mes: BucketId[];
}

export function summarizeOutcomes(ledger: readonly LedgerEntry[]): OutcomeSummary {
	const { instance, greedy, mes } = outcomesOf(ledger);
	const support = supportOf(instance);
	return {
		voters: instance.ballots.length,
		budget: instance.budget,
		share: Number(mes.share.n / mes.share.d) as Amount,
		projects: instance.projects.map((p) => ({ id: p.id, cost: p.cost, support: (support.get(p.id) ?? 0) as Amount })),
		greedy,
		mes: mes.chosen
	};
}

// Parsed by hand, not with the schema library: the round page reads this root, and valibot stays
// out of its first download (src/lib/static-imports.test.ts).
const isCount = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
const isIds = (value: unknown): value is BucketId[] => Array.isArray(value) && value.every((id) => isId(id));
const isProject = (value: unknown): value is OutcomeSummary['projects'][number] => {
	if (typeof value !== 'object' || value === null) return false;
	const { id, cost, support } = value as Record<string, unknown>;
	return isId(id) && isCount(cost) && isCount(support);
};

/** The summary as a reader gets it (round doc or public page): parsed, or null when it does not parse. */
export function parseOutcomeSummary(value: unknown): OutcomeSummary | null {
	if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
	const { voters, budget, share, projects, greedy, mes } = value as Record<string, unknown>;
	if (!isCount(voters) || !isCount(budget) || !isCount(share) || !isIds(greedy) || !isIds(mes)) return null;
	if (!Array.isArray(projects) || !projects.every(isProject)) return null;
	return {
		voters,
		budget: budget as Amount,
		share: share as Amount,
		projects: projects.map(({ id, cost, support }) => ({ id: id as BucketId, cost: cost as Amount, support: support as Amount })),
		greedy: [...greedy],
		mes: [...mes]
	};
}

export interface ResultBucket {
	id: BucketId;
	title: string;
	status: BucketStatus;
	/** Money in it now (what a funded bucket got). */
	total: Amount;
	minGoal: Amount;
	maxGoal: Amount;
	/** Money members gave it, including what was refunded at close (the ballots). */
	given: Amount;
	funded: boolean;
	greedy: boolean;
	mes: boolean;
}

export interface MemberResult {
	memberId: MemberId;
	name: string;
	allocated: Amount;
	/** Their money in funded buckets, most first. */
	funded: { bucketId: BucketId; amount: Amount }[];
	/** What they got back or never placed. */
	unspent: Amount;
}

export interface RoundResults {
	closed: boolean;
	transparency: Transparency;
	pool: Amount;
	/** Σ of funded buckets' totals. */
	placed: Amount;
	/** Funded buckets first (largest first), then the others by money given. */
	buckets: ResultBucket[];
	/** Per member in named rounds; null in anonymous ones (only totals are shown). */
	members: MemberResult[] | null;
	/** null until the server has published the comparison (at close). */
	outcomes: OutcomeSummary | null;
	/** Where the rules disagree, bucket ids in the order of `buckets`. */
	differences: { mesNotGreedy: BucketId[]; greedyNotMes: BucketId[]; mesNotFunded: BucketId[]; fundedNotMes: BucketId[] };
}

export interface ResultsInput {
	/** A ledger as its reader has it: the full one, or the round doc's replica (no funders in anonymous rounds). */
	ledger: readonly LedgerEntry[];
	titles: ReadonlyMap<string, string>;
	names: ReadonlyMap<string, string>;
	outcomes: OutcomeSummary | null;
}

const isFunded = (status: BucketStatus) => status === 'funded' || status === 'completed';

export function resultsOf({ ledger, titles, names, outcomes }: ResultsInput): RoundResults {
	const state = replayReplica(ledger);
	const projects = new Map((outcomes?.projects ?? []).map((p) => [p.id, p]));
	const greedy = new Set(outcomes?.greedy ?? []);
	const mes = new Set(outcomes?.mes ?? []);
	const buckets: ResultBucket[] = [];
	for (const [id, account] of state.buckets) {
		const funded = isFunded(account.status);
		if (!funded && !projects.has(id)) continue;
		buckets.push({
			id,
			title: titles.get(id) ?? '',
			status: account.status,
			total: account.total,
			minGoal: account.minGoal,
			maxGoal: account.maxGoal,
			given: projects.get(id)?.support ?? account.total,
			funded,
			greedy: greedy.has(id),
			mes: mes.has(id)
		});
	}
	buckets.sort((a, b) => Number(b.funded) - Number(a.funded) || (a.funded ? b.total - a.total : b.given - a.given) || (a.id < b.id ? -1 : 1));
	const fundedIds = new Set(buckets.filter((b) => b.funded).map((b) => b.id));
	const pick = (test: (b: ResultBucket) => boolean) => buckets.filter(test).map((b) => b.id);
	let pool = 0;
	for (const account of state.members.values()) pool += account.allocated;
	const placed = buckets.reduce((sum, b) => sum + (b.funded ? b.total : 0), 0);
	const transparency = state.settings.transparency;
	return {
		closed: state.settings.phase === 'closed',
		transparency,
		pool: pool as Amount,
		placed: placed as Amount,
		buckets,
		members: transparency === 'anonymous' ? null : memberResults(state, fundedIds, names),
		outcomes,
		differences: outcomes
			? {
					mesNotGreedy: pick((b) => b.mes && !b.greedy),
					greedyNotMes: pick((b) => b.greedy && !b.mes),
					mesNotFunded: pick((b) => b.mes && !b.funded),
					fundedNotMes: pick((b) => b.funded && !b.mes)
				}
			: { mesNotGreedy: [], greedyNotMes: [], mesNotFunded: [], fundedNotMes: [] }
	};
}

function memberResults(state: ReturnType<typeof replayReplica>, fundedIds: ReadonlySet<BucketId>, names: ReadonlyMap<string, string>): MemberResult[] {
	const rows: MemberResult[] = [];
	for (const [memberId, account] of state.members) {
		const funded: MemberResult['funded'] = [];
		for (const bucketId of fundedIds) {
			const amount = state.contributions.get(bucketId)?.get(memberId);
			if (amount) funded.push({ bucketId, amount });
		}
		funded.sort((a, b) => b.amount - a.amount);
		const inFunded = funded.reduce((sum, f) => sum + f.amount, 0);
		rows.push({ memberId, name: names.get(memberId) ?? '', allocated: account.allocated, funded, unspent: (account.allocated - inFunded) as Amount });
	}
	return rows.sort((a, b) => a.name.localeCompare(b.name) || (a.memberId < b.memberId ? -1 : 1));
}
