// Turning a decision into ledger entries of a state: the second half of `apply`.
import { evolve } from './evolve.js';
import type { Decision, LedgerEntry, Outcome, RoundState } from './types.js';

/**
 * Numbers the decision's entries `state.seq + 1, …` and folds them into `state`, which it MUTATES
 * in place and returns (see `apply`).
 */
export function record(state: RoundState, { outcome, entries }: Decision): { state: RoundState; outcome: Outcome; entries: LedgerEntry[] } {
	// The drafts are fresh objects owned by this call: giving them their seq in place makes them entries.
	const numbered = entries as LedgerEntry[];
	for (const entry of numbered) {
		entry.seq = state.seq + 1;
		evolve(state, entry);
	}
	return { state, outcome, entries: numbered };
}
