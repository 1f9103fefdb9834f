// Rules of the round itself: open, join, configure, setPhase (DESIGN §3).
import * as v from 'valibot';
import { accept, draft, refundAll, refuse, takesMoney, type Context } from './decision.js';
import { roundSettingsSchema, settingsPatchSchema } from './schemas.js';
import type { Command, Decision, EntryDraft, RoundState } from './types.js';

type Of<T extends Command['type']> = Extract<Command, { type: T }>;

/** open (system): the round's first entry (seq 1) with complete, valid settings. */
export function open(state: RoundState, command: Of<'open'>, ctx: Context): Decision {
	if (state.seq !== 0 || !v.is(roundSettingsSchema, command.settings)) return refuse('invalid');
	return accept([draft(ctx, 'open', { settings: { ...command.settings } })]);
}

/**
 * join (system): a new member gets the round's current defaultAllocation as an `allocate` entry,
 * even 0, because that entry is what makes a member known. Allowed in a closed round too (a late
 * member may still read the results).
 */
export function join(state: RoundState, command: Of<'join'>, ctx: Context): Decision {
	if (state.members.has(command.memberId)) return refuse('already_member');
	return accept([draft(ctx, 'allocate', { memberId: command.memberId }, state.settings.defaultAllocation)]);
}

/** Some bucket holds money right now (refunded money went back, so it does not count). */
function holdsMoney(state: RoundState): boolean {
	for (const bucket of state.buckets.values()) if (bucket.total > 0) return true;
	return false;
}

/** Some member has more than `cap` in a bucket that still takes money. */
function exceeds(state: RoundState, cap: number): boolean {
	for (const [bucketId, byMember] of state.contributions) {
		const bucket = state.buckets.get(bucketId);
		if (!bucket || !takesMoney(bucket.status)) continue;
		for (const own of byMember.values()) if (own > cap) return true;
	}
	return false;
}

/**
 * configure (facilitator): a valid patch of known settings. The currency is locked while any
 * bucket holds money (its amounts would change meaning: currency_locked). The per-member cap may
 * not drop below what someone already has in a bucket that still takes money
 * (cap_below_contributions). defaultAllocation only affects later joiners.
 */
export function configure(state: RoundState, command: Of<'configure'>, ctx: Context): Decision {
	const patch = command.settings;
	if (!v.is(settingsPatchSchema, patch)) return refuse('invalid');
	if (patch.currency !== undefined && patch.currency !== state.settings.currency && holdsMoney(state)) {
		return refuse('currency_locked');
	}
	const cap = patch.maxPerMemberPerBucket;
	if (cap !== undefined && cap !== null && exceeds(state, cap)) return refuse('cap_below_contributions');
	return accept([draft(ctx, 'configure', { settings: { ...patch } })]);
}

/**
 * setPhase (facilitator): proposing ↔ funding, either → closed; closed is final (refused earlier
 * as round_closed) and a move to the current phase is wrong_phase. Closing refunds every bucket
 * that is not funded (draft, idea, open) and marks it `unfunded`.
 */
export function setPhase(state: RoundState, command: Of<'setPhase'>, ctx: Context): Decision {
	const phase = command.phase;
	if (phase !== 'proposing' && phase !== 'funding' && phase !== 'closed') return refuse('invalid');
	if (phase === state.settings.phase) return refuse('wrong_phase');
	const entries: EntryDraft[] = [draft(ctx, 'phase', { phase })];
	if (phase === 'closed') {
		for (const [bucketId, bucket] of state.buckets) {
			if (bucket.status === 'draft' || bucket.status === 'idea' || bucket.status === 'open') {
				refundAll(state, ctx, bucketId, 'unfunded', entries);
			}
		}
	}
	return accept(entries);
}
