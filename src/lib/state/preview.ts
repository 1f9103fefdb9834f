import { decideMember } from '$lib/domain/member-decide';
import { MAX_AMOUNT } from '$lib/domain/money';
import { record } from '$lib/domain/record';
import { cloneReview } from '$lib/domain/review';
import { balance, emptyState } from '$lib/domain/state';
import type {
	Actor,
	Amount,
	BucketId,
	CommandId,
	MemberCommand,
	MemberId,
	Outcome,
	Receipt,
	Review,
	Role,
	RoundSettings,
	RoundState
} from '$lib/domain/types';
import type { WalletData } from './doc';
import type { BucketView } from './round.svelte';

/** What the member's money would look like once every pending command is sequenced. */
export interface Preview {
	balance: Amount;
	/** The reducer's expected outcome of each pending command. */
	outcomes: ReadonlyMap<CommandId, Outcome>;
	/**
	 * The most a contribution to each bucket would have accepted now (0 when it would be refused):
	 * the smallest of the balance, the room left before the stretch goal and what the per-member
	 * cap still allows, as the shared rule decides it.
	 */
	limits: ReadonlyMap<BucketId, Amount>;
	/**
	 * The bucket commands the shared rules would accept from this member now, per bucket: a page
	 * offers only these (a closed round, a cancelled or paid bucket refuse the rest).
	 */
	offered: ReadonlyMap<BucketId, ReadonlySet<OfferedCommand>>;
}

/** The bucket commands a page offers as buttons, decided by the rules rather than by the page. */
export const OFFERED_COMMANDS = ['approve', 'complete', 'markPaid', 'cancel'] as const;
export type OfferedCommand = (typeof OFFERED_COMMANDS)[number];

/** An id no command ever has (ids are 10–64 characters): the dry run below is never a duplicate. */
const DRY_RUN = 'dry-run' as CommandId;

export interface Known {
	settings: RoundSettings;
	memberIds: Iterable<MemberId>;
	buckets: readonly BucketView[];
	wallet: WalletData;
	memberId: MemberId;
	role: Role;
	/** The last ledger seq seen; the reducer refuses everything before the round's `open` (seq 1). */
	seq: number;
	/** Tags, guidelines and flags, for the review commands (none known when absent). */
	review?: Review;
}

/**
 * The reducer's state as far as this member knows it: settings, every bucket's confirmed state,
 * its own account and contributions (member commands need no one else's), and known members.
 */
export function knownState(known: Known, answered: Iterable<CommandId>): RoundState {
	const { memberId, wallet } = known;
	const state = emptyState();
	state.settings = { ...known.settings };
	for (const id of known.memberIds) state.members.set(id, { allocated: 0 as Amount, spent: 0 as Amount });
	state.members.set(memberId, { allocated: wallet.allocated as Amount, spent: wallet.spent as Amount });
	for (const bucket of known.buckets) {
		if (bucket.status === 'pending') continue;
		const { status, owners, minGoal, maxGoal, total, settledAt, paidAt, images, expenses, tags } = bucket;
		state.buckets.set(bucket.id, { status, owners: [...owners], minGoal, maxGoal, total, settledAt, paidAt, images, expenses, tags: [...tags] });
		const mine = wallet.contributions[bucket.id];
		if (mine) state.contributions.set(bucket.id, new Map([[memberId, mine as Amount]]));
	}
	if (known.review) state.review = cloneReview(known.review);
	for (const id of answered) state.applied.add(id);
	state.seq = Math.max(1, known.seq);
	return state;
}

/**
 * Runs the shared rules over the pending commands, in order, on what the member knows (all but
 * `configure`'s, see `decideMember`).
 */
export function previewPending(
	known: Known,
	receipts: ReadonlyMap<CommandId, Receipt>,
	pending: readonly MemberCommand[]
): Preview {
	const state = knownState(known, receipts.keys());
	const actor: Actor = { kind: 'member', memberId: known.memberId, role: known.role };
	const outcomes = new Map<CommandId, Outcome>();
	for (const command of pending) outcomes.set(command.id, record(state, decideMember(state, command, actor, command.at)).outcome);
	const limits = new Map<BucketId, Amount>();
	const offered = new Map<BucketId, Set<OfferedCommand>>();
	for (const bucketId of state.buckets.keys()) {
		const asked = { type: 'contribute', id: DRY_RUN, at: 0, bucketId, amount: MAX_AMOUNT as Amount } as const;
		const { outcome } = decideMember(state, asked, actor, 0);
		limits.set(bucketId, (outcome.ok ? (outcome.accepted ?? 0) : 0) as Amount);
		const accepted = OFFERED_COMMANDS.filter((type) => decideMember(state, { type, id: DRY_RUN, at: 0, bucketId }, actor, 0).outcome.ok);
		offered.set(bucketId, new Set(accepted));
	}
	return { balance: balance(state, known.memberId), outcomes, limits, offered };
}

export function receiptsById(receipts: readonly Receipt[]): ReadonlyMap<CommandId, Receipt> {
	return new Map(receipts.map((r) => [r.commandId, r]));
}
