// The round state the reducer folds the ledger into, and the read helpers every caller needs.
import { cloneReview, emptyReview } from './review.js';
import type { Amount, BucketId, MemberId, RoundSettings, RoundState } from './types.js';

/** Placeholder settings before the `open` entry; every field is replaced by it. */
function blankSettings(): RoundSettings {
	return {
		name: '',
		currency: 'EUR',
		locale: 'en',
		phase: 'proposing',
		defaultAllocation: 0 as Amount,
		maxPerMemberPerBucket: null,
		transparency: 'named',
		requireApproval: false
	};
}

/** The state before any ledger entry: only an `open` command is accepted. */
export function emptyState(): RoundState {
	return {
		settings: blankSettings(),
		members: new Map(),
		buckets: new Map(),
		contributions: new Map(),
		applied: new Set(),
		contributed: false,
		seq: 0,
		schedule: null,
		review: emptyReview()
	};
}

/** A deep copy, so that an optimistic preview can `apply` without touching the confirmed state. */
export function cloneState(state: RoundState): RoundState {
	const members: RoundState['members'] = new Map();
	for (const [id, account] of state.members) members.set(id, { ...account });
	const buckets: RoundState['buckets'] = new Map();
	for (const [id, bucket] of state.buckets) buckets.set(id, { ...bucket, owners: [...bucket.owners], tags: [...bucket.tags] });
	const contributions: RoundState['contributions'] = new Map();
	for (const [id, byMember] of state.contributions) contributions.set(id, new Map(byMember));
	return {
		settings: { ...state.settings },
		members,
		buckets,
		contributions,
		applied: new Set(state.applied),
		contributed: state.contributed,
		seq: state.seq,
		schedule: state.schedule && { ...state.schedule },
		review: cloneReview(state.review)
	};
}

/** Money a member can still put into buckets: allocated − spent (0 for an unknown member). */
export function balance(state: RoundState, memberId: MemberId): Amount {
	const account = state.members.get(memberId);
	return (account ? account.allocated - account.spent : 0) as Amount;
}

/** A member's own money currently in a bucket. */
export function ownTotal(state: RoundState, bucketId: BucketId, memberId: MemberId): Amount {
	return (state.contributions.get(bucketId)?.get(memberId) ?? 0) as Amount;
}
