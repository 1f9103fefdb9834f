// Rules of the round's schedule (DESIGN §12, PROTOCOL §12): a facilitator sets its dates
// (`schedule`), the server acts on them (`advance`, a system command). Apart from the other rules
// because `schedule` checks its value with the schemas (the browser's preview decides without).
import * as v from 'valibot';
import { accept, draft, refuse, type Context } from './decision.js';
import { phaseEntries } from './rules-round.js';
import { MILESTONES, TRANSITION_PHASE } from './schedule.js';
import { scheduleSchema } from './schemas.js';
import type { Command, Decision, RoundState } from './types.js';

type Of<T extends Command['type']> = Extract<Command, { type: T }>;

/**
 * schedule (facilitator): the complete set of dates (null: none), replacing the previous one.
 * - the zone is an IANA name and every date an instant (invalid);
 * - funding opens before it closes, and proposals close no later than funding closes (schedule_order);
 * - a date that changes must lie ahead of the sequencer's clock (schedule_past): a date already
 *   passed and kept as it was is fine, since it has done its work.
 */
export function schedule(state: RoundState, command: Of<'schedule'>, ctx: Context): Decision {
	const next = command.schedule;
	if (!v.is(scheduleSchema, next)) return refuse('invalid');
	const { proposalsClose, fundingOpens, fundingCloses } = next;
	if (fundingOpens !== null && fundingCloses !== null && fundingOpens >= fundingCloses) return refuse('schedule_order');
	if (proposalsClose !== null && fundingCloses !== null && proposalsClose > fundingCloses) return refuse('schedule_order');
	for (const milestone of MILESTONES) {
		const at = next[milestone];
		if (at !== null && at !== (state.schedule?.[milestone] ?? null) && at <= ctx.at) return refuse('schedule_past');
	}
	return accept([draft(ctx, 'schedule', { schedule: { zone: next.zone, proposalsClose, fundingOpens, fundingCloses } })]);
}

/**
 * advance (system, the server's timer or its catch-up at start): the scheduled transition at
 * `due`. Refused when the schedule no longer holds that date (schedule_changed), before it
 * (not_due), or when the round is not where the transition starts — fundingOpens from proposing,
 * fundingCloses from proposing or funding — because a facilitator's own move came first
 * (wrong_phase, round_closed). Accepted, it has the entries of the same setPhase.
 */
export function advance(state: RoundState, command: Of<'advance'>, ctx: Context): Decision {
	const { transition, due } = command;
	if (!Object.hasOwn(TRANSITION_PHASE, transition)) return refuse('invalid');
	if (state.schedule?.[transition] !== due) return refuse('schedule_changed');
	if (ctx.at < due) return refuse('not_due');
	const phase = state.settings.phase;
	if (phase === 'closed') return refuse('round_closed');
	if (transition === 'fundingOpens' && phase !== 'proposing') return refuse('wrong_phase');
	return accept(phaseEntries(state, ctx, TRANSITION_PHASE[transition]));
}
