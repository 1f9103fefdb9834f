// Views over the replayed ledger that several screens show (DESIGN §11): one fold, `replay`'s,
// instead of each screen summing entries again. Readers of the round doc's replica go through
// `replayReplica`, which keeps what folds and stops at the first entry that does not: a garbled
// replica shows less, it never throws in a page.
import { evolve } from './evolve.js';
import { emptyState } from './state.js';
import type { Amount, BucketId, LedgerEntry, MemberAccount, MemberId, RoundState } from './types.js';

/** The state of the longest prefix of `entries` that folds. */
export function replayReplica(entries: Iterable<LedgerEntry>): RoundState {
	const state = emptyState();
	for (const entry of entries) {
		try {
			evolve(state, entry);
		} catch {
			break;
		}
	}
	return state;
}

const NO_ACCOUNT: MemberAccount = { allocated: 0 as Amount, spent: 0 as Amount };

/** A member's allocated money and its money in buckets (spent is 0 where the replica hides who moved money). */
export function memberAccount(state: RoundState, memberId: MemberId): MemberAccount {
	return state.members.get(memberId) ?? NO_ACCOUNT;
}

export interface Funder {
	memberId: MemberId;
	amount: Amount;
}

/** Who has money in a bucket, most first (empty where the replica hides who moved money). */
export function bucketFunders(state: RoundState, bucketId: BucketId): Funder[] {
	return [...(state.contributions.get(bucketId) ?? [])]
		.filter(([, amount]) => amount > 0)
		.map(([memberId, amount]) => ({ memberId, amount }))
		.sort((a, b) => b.amount - a.amount);
}

/** All the money members were given: Σ of every allocation. */
export function roundPool(state: RoundState): Amount {
	let pool = 0;
	for (const account of state.members.values()) pool += account.allocated;
	return pool as Amount;
}

/** When each bucket appeared (its `create` entry). */
export function creationTimes(entries: Iterable<LedgerEntry>): Map<BucketId, number> {
	const created = new Map<BucketId, number>();
	for (const entry of entries) if (entry.type === 'create' && entry.bucketId) created.set(entry.bucketId, entry.at);
	return created;
}
