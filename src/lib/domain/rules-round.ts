// Rules of the round itself: join, setPhase (DESIGN §3); its settings are in rules-settings.ts.
import { accept, draft, refundAll, refuse, type Context } from './decision.js';
import type { Command, Decision, EntryDraft, Phase, RoundState } from './types.js';

type Of<T extends Command['type']> = Extract<Command, { type: T }>;

/**
 * join (system): a new member gets the round's current defaultAllocation as an `allocate` entry,
 * even 0, because that entry is what makes a member known. Allowed in a closed round too (a late
 * member may still read the results).
 */
export function join(state: RoundState, command: Of<'join'>, ctx: Context): Decision {
	if (state.members.has(command.memberId)) return refuse('already_member');
	return accept([draft(ctx, 'allocate', { memberId: command.memberId }, state.settings.defaultAllocation)]);
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
	return accept(phaseEntries(state, ctx, phase));
}

/** The entries of a move to `phase`: the `phase` entry, and on closing the refunds of every bucket that is not funded. */
export function phaseEntries(state: RoundState, ctx: Context, phase: Phase): EntryDraft[] {
	const entries: EntryDraft[] = [draft(ctx, 'phase', { phase })];
	if (phase === 'closed') {
		for (const [bucketId, bucket] of state.buckets) {
			if (bucket.status === 'draft' || bucket.status === 'idea' || bucket.status === 'open') {
				refundAll(state, ctx, bucketId, 'unfunded', entries);
			}
		}
	}
	return entries;
}
