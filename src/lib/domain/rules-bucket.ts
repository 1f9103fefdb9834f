// Rules of a bucket's life: create → draft → idea → open → funded → completed, or cancelled.
import { accept, draft, isAmount, refundAll, refuse, type Context } from './decision.js';
import { committed } from './rules-expenses.js';
import type { BucketAccount, BucketId, Command, Decision, EntryDraft, RoundState } from './types.js';

type Of<T extends Command['type']> = Extract<Command, { type: T }>;

function isOwner(bucket: BucketAccount, ctx: Context): boolean {
	return ctx.memberId !== undefined && bucket.owners.includes(ctx.memberId);
}

/** create (system, after a member added a key to `buckets`): status draft, the creator owns it. */
export function create(state: RoundState, command: Of<'create'>, ctx: Context): Decision {
	if (!state.members.has(command.memberId)) return refuse('unknown_member');
	if (state.buckets.has(command.bucketId)) return refuse('bucket_exists');
	return accept([draft(ctx, 'create', { bucketId: command.bucketId, memberId: command.memberId })]);
}

/** Some money in the bucket belongs to a member who does not own it. */
function holdsOthersMoney(state: RoundState, bucket: BucketAccount, bucketId: BucketId): boolean {
	for (const memberId of state.contributions.get(bucketId)?.keys() ?? []) if (!bucket.owners.includes(memberId)) return true;
	return false;
}

/**
 * setGoals (system, after the bucket's items changed): only before it is funded (draft, idea,
 * open), since settling freezes the goals. In every status, a stretch total below the needed total
 * is refused (stretch_below_needed), a published bucket keeps a budget (no_budget) and maxGoal
 * never drops below the money already in it (goals_below_total). An open bucket's goals are what
 * its funders gave for, so (PROTOCOL §5, budget governance):
 * - with approval required, they were approved: a change sends an empty bucket back to `idea`
 *   for a new approval, and is refused for a bucket that holds money (goals_locked: cancelling
 *   refunds everybody, then a new budget can be proposed);
 * - without approval, a change is accepted, but never one that lowers minGoal to what the bucket
 *   holds while other members' money is in it: settling would lock their money without their
 *   consent (would_lock_funders). An owner whose own money alone reaches the new goal settles it.
 */
export function setGoals(state: RoundState, command: Of<'setGoals'>, ctx: Context): Decision {
	const { minGoal, maxGoal, bucketId } = command;
	if (!isAmount(minGoal) || !isAmount(maxGoal)) return refuse('invalid');
	const bucket = state.buckets.get(bucketId);
	if (!bucket) return refuse('unknown_bucket');
	if (bucket.status !== 'draft' && bucket.status !== 'idea' && bucket.status !== 'open') return refuse('wrong_status');
	if (maxGoal < minGoal) return refuse('stretch_below_needed');
	if (bucket.status !== 'draft' && minGoal === 0) return refuse('no_budget');
	if (maxGoal < bucket.total) return refuse('goals_below_total');
	const entries: EntryDraft[] = [draft(ctx, 'goals', { bucketId, minGoal, maxGoal })];
	if (bucket.status !== 'open') return accept(entries);
	if (state.settings.requireApproval) {
		if (bucket.total > 0) return refuse('goals_locked');
		entries.push(draft(ctx, 'status', { bucketId, status: 'idea' }));
	} else if (bucket.total >= minGoal) {
		if (holdsOthersMoney(state, bucket, bucketId)) return refuse('would_lock_funders');
		entries.push(draft(ctx, 'settle', { bucketId }, bucket.total));
	}
	return accept(entries);
}

/**
 * publish (owner): phase proposing or funding (closed rounds refuse every command before this);
 * a draft with a budget (minGoal > 0) becomes `idea` when the round requires approval, else `open`.
 * From the schedule's proposalsClose on (the sequencer's clock), drafts stay drafts (proposals_closed).
 */
export function publish(state: RoundState, command: Of<'publish'>, ctx: Context): Decision {
	const bucket = state.buckets.get(command.bucketId);
	if (!bucket) return refuse('unknown_bucket');
	if (!isOwner(bucket, ctx)) return refuse('not_owner');
	if (bucket.status !== 'draft') return refuse('wrong_status');
	const closes = state.schedule?.proposalsClose;
	if (closes != null && ctx.at >= closes) return refuse('proposals_closed');
	if (bucket.minGoal === 0) return refuse('no_budget');
	const status = state.settings.requireApproval ? 'idea' : 'open';
	return accept([draft(ctx, 'status', { bucketId: command.bucketId, status })]);
}

/** addOwner (owner): the new co-owner is a known member and not an owner yet. */
export function addOwner(state: RoundState, command: Of<'addOwner'>, ctx: Context): Decision {
	const bucket = state.buckets.get(command.bucketId);
	if (!bucket) return refuse('unknown_bucket');
	if (!isOwner(bucket, ctx)) return refuse('not_owner');
	if (!state.members.has(command.memberId)) return refuse('unknown_member');
	if (bucket.owners.includes(command.memberId)) return refuse('already_owner');
	return accept([draft(ctx, 'owner', { bucketId: command.bucketId, memberId: command.memberId })]);
}

/** complete (owner): a funded project is done. Allowed after the round closed: it moves no money. */
export function complete(state: RoundState, command: Of<'complete'>, ctx: Context): Decision {
	const bucket = state.buckets.get(command.bucketId);
	if (!bucket) return refuse('unknown_bucket');
	if (!isOwner(bucket, ctx)) return refuse('not_owner');
	if (bucket.status !== 'funded') return refuse('wrong_status');
	return accept([draft(ctx, 'status', { bucketId: command.bucketId, status: 'completed' })]);
}

/** approve (facilitator): idea → open. */
export function approve(state: RoundState, command: Of<'approve'>, ctx: Context): Decision {
	const bucket = state.buckets.get(command.bucketId);
	if (!bucket) return refuse('unknown_bucket');
	if (bucket.status !== 'idea') return refuse('wrong_status');
	return accept([draft(ctx, 'status', { bucketId: command.bucketId, status: 'open' })]);
}

/**
 * cancel: an owner while draft/idea/open; a facilitator also once funded, unless it was already
 * paid out (already_paid) or has expenses not rejected (has_expenses). Every member's money goes back (`refund` entries), then `cancelled`.
 * This is the only way money leaves a funded bucket.
 */
export function cancel(state: RoundState, command: Of<'cancel'>, ctx: Context): Decision {
	const bucket = state.buckets.get(command.bucketId);
	if (!bucket) return refuse('unknown_bucket');
	if (!ctx.facilitator && !isOwner(bucket, ctx)) return refuse('not_owner');
	const status = bucket.status;
	const beforeFunded = status === 'draft' || status === 'idea' || status === 'open';
	if (!beforeFunded) {
		if (status !== 'funded' || !ctx.facilitator) return refuse('wrong_status');
		if (bucket.paidAt !== undefined) return refuse('already_paid');
		// Refunding would leave its expenses spending money it no longer holds (PROTOCOL §10).
		if (committed(bucket) > 0) return refuse('has_expenses');
	}
	const entries: EntryDraft[] = [];
	refundAll(state, ctx, command.bucketId, 'cancelled', entries);
	return accept(entries);
}

/**
 * markPaid (facilitator): records that a funded (or completed) bucket's money was paid out, once.
 * Allowed after the round closed: paying out is what happens after a round.
 */
export function markPaid(state: RoundState, command: Of<'markPaid'>, ctx: Context): Decision {
	const bucket = state.buckets.get(command.bucketId);
	if (!bucket) return refuse('unknown_bucket');
	if (bucket.status !== 'funded' && bucket.status !== 'completed') return refuse('wrong_status');
	if (bucket.paidAt !== undefined) return refuse('already_paid');
	return accept([draft(ctx, 'paid', { bucketId: command.bucketId }, bucket.total)]);
}
