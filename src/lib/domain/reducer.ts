// The command reducer: decide (pure) + evolve (fold), and the helpers built from them.
import { decide } from './decide.js';
import { record } from './record.js';
import { evolve } from './evolve.js';
import { emptyState } from './state.js';
import type { Actor, Command, LedgerEntry, Outcome, RoundState } from './types.js';

export { decide } from './decide.js';
export { evolve, LedgerError } from './evolve.js';
export { balance, cloneState, emptyState, ownTotal } from './state.js';

/**
 * Decides `command`, numbers its entries `state.seq + 1, …` and folds them into `state`.
 *
 * MUTATES `state` IN PLACE and returns that same object (one apply must stay within a few
 * microseconds, so nothing is copied). Callers that need the previous state — an optimistic
 * preview, a dry run — apply to `cloneState(state)` instead.
 */
export function apply(
	state: RoundState,
	command: Command,
	actor: Actor,
	at: number
): { state: RoundState; outcome: Outcome; entries: LedgerEntry[] } {
	return record(state, decide(state, command, actor, at));
}

/** The state a ledger describes (server restart = replay). Throws LedgerError on a corrupt ledger. */
export function replay(entries: Iterable<LedgerEntry>): RoundState {
	const state = emptyState();
	for (const entry of entries) evolve(state, entry);
	return state;
}
