// Small builders shared by the rules: refusals, acceptances, ledger entry drafts, refunds.
import type {
	Amount,
	BucketId,
	BucketStatus,
	CommandId,
	Decision,
	EntryDraft,
	EntryType,
	MemberId,
	Reason,
	RoundState
} from './types.js';

/** What every rule needs besides the state and its command. */
export interface Context {
	commandId: CommandId;
	/** The sequencer's clock: every entry of the command carries it. */
	at: number;
	/** The author (undefined for system commands). */
	memberId: MemberId | undefined;
	facilitator: boolean;
}

export function refuse(reason: Reason): Decision {
	return { outcome: { ok: false, reason }, entries: [] };
}

export function accept(entries: EntryDraft[]): Decision {
	return { outcome: { ok: true }, entries };
}

/** An entry draft; fields the type does not use are left out rather than set to undefined. */
export function draft(ctx: Context, type: EntryType, fields?: Omit<EntryDraft, 'at' | 'type' | 'amount' | 'commandId'>, amount = 0): EntryDraft {
	return { at: ctx.at, type, amount: amount as Amount, commandId: ctx.commandId, ...fields };
}

/** A safe, non-negative integer of minor units. */
export function isAmount(n: unknown): n is Amount {
	return Number.isSafeInteger(n) && (n as number) >= 0;
}

/** Statuses in which a bucket still takes (contribute) money. */
export function takesMoney(status: BucketStatus): boolean {
	return status === 'open' || status === 'funded';
}

/**
 * Gives every member's money in a bucket back, then moves it to `status` (cancelled or unfunded):
 * the counting rule says such buckets hold 0.
 */
export function refundAll(state: RoundState, ctx: Context, bucketId: BucketId, status: BucketStatus, out: EntryDraft[]): void {
	const byMember = state.contributions.get(bucketId);
	if (byMember) {
		for (const [memberId, amount] of byMember) {
			out.push(draft(ctx, 'refund', { bucketId, memberId }, amount));
		}
	}
	out.push(draft(ctx, 'status', { bucketId, status }));
}
