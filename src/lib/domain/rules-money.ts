// Rules that move a member's money: contribute, withdraw, allocate (DESIGN §3).
import { accept, draft, isAmount, refuse, takesMoney, type Context } from './decision.js';
import { balance, ownTotal } from './state.js';
import type { Amount, Decision, EntryDraft, MemberCommand, MemberId, Reason, RoundState } from './types.js';

type Of<T extends MemberCommand['type']> = Extract<MemberCommand, { type: T }>;

/**
 * contribute: phase `funding`; bucket `open` or `funded` (stretch up to maxGoal) and not paid out
 * yet (already_paid).
 * accepted = min(amount, balance, maxGoal − total, cap − own total). The binding limit is the
 * smallest one below the asked amount; on a tie the member's own balance is named first, then the
 * bucket, then the cap. Accepting 0 refuses with that reason; less than asked is a partial success.
 * Reaching minGoal from `open` settles the bucket in the same command (`settle` entry).
 */
export function contribute(state: RoundState, command: Of<'contribute'>, ctx: Context): Decision {
	if (!isAmount(command.amount) || command.amount === 0) return refuse('invalid');
	if (state.settings.phase !== 'funding') return refuse('wrong_phase');
	const bucket = state.buckets.get(command.bucketId);
	if (!bucket) return refuse('unknown_bucket');
	if (!takesMoney(bucket.status)) return refuse('wrong_status');
	// Its money was handed over: more would sit in a bucket nobody pays out again.
	if (bucket.paidAt !== undefined) return refuse('already_paid');
	const memberId = ctx.memberId as MemberId;

	let accepted: number = command.amount;
	let binding: Reason | undefined;
	const available = balance(state, memberId);
	if (available < accepted) {
		accepted = available;
		binding = 'insufficient_balance';
	}
	const room = bucket.maxGoal - bucket.total;
	if (room < accepted) {
		accepted = room;
		binding = 'bucket_full';
	}
	const cap = state.settings.maxPerMemberPerBucket;
	if (cap !== null) {
		const left = cap - ownTotal(state, command.bucketId, memberId);
		if (left < accepted) {
			accepted = left;
			binding = 'cap_reached';
		}
	}
	if (accepted <= 0) return refuse(binding ?? 'invalid');

	const entries: EntryDraft[] = [draft(ctx, 'contribute', { bucketId: command.bucketId, memberId }, accepted)];
	const total = bucket.total + accepted;
	if (bucket.status === 'open' && total >= bucket.minGoal) {
		entries.push(draft(ctx, 'settle', { bucketId: command.bucketId }, total));
	}
	return {
		outcome: binding ? { ok: true, accepted: accepted as Amount, partial: binding } : { ok: true, accepted: accepted as Amount },
		entries
	};
}

/**
 * withdraw: only while the bucket is `open` (funded money is locked), in any phase before the
 * close (closing refunds anyway), up to the member's own total; asking more than that takes it all
 * and reports partial `nothing_to_withdraw`.
 */
export function withdraw(state: RoundState, command: Of<'withdraw'>, ctx: Context): Decision {
	if (!isAmount(command.amount) || command.amount === 0) return refuse('invalid');
	const bucket = state.buckets.get(command.bucketId);
	if (!bucket) return refuse('unknown_bucket');
	if (bucket.status !== 'open') return refuse('wrong_status');
	const memberId = ctx.memberId as MemberId;
	const own = ownTotal(state, command.bucketId, memberId);
	if (own === 0) return refuse('nothing_to_withdraw');
	const accepted = Math.min(command.amount, own) as Amount;
	return {
		outcome: accepted < command.amount ? { ok: true, accepted, partial: 'nothing_to_withdraw' } : { ok: true, accepted },
		entries: [draft(ctx, 'withdraw', { bucketId: command.bucketId, memberId }, accepted)]
	};
}

/**
 * allocate (facilitator): `add` adds to the member's allocation, `set` replaces it; the result may
 * not fall below what the member already has in buckets (below_spent). The entry carries the
 * signed delta so that Σ allocate entries is the allocation.
 */
export function allocate(state: RoundState, command: Of<'allocate'>, ctx: Context): Decision {
	const account = state.members.get(command.memberId);
	if (!account) return refuse('unknown_member');
	if (!isAmount(command.amount) || (command.mode !== 'add' && command.mode !== 'set')) return refuse('invalid');
	const allocated = command.mode === 'add' ? account.allocated + command.amount : command.amount;
	if (!Number.isSafeInteger(allocated)) return refuse('invalid');
	if (allocated < account.spent) return refuse('below_spent');
	return accept([draft(ctx, 'allocate', { memberId: command.memberId }, allocated - account.allocated)]);
}
