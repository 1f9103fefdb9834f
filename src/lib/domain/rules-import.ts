// The rule of an allocation import (DESIGN §12, PROTOCOL §12): many `allocate` decisions as one
// command, so that the import has one id (applied once, ever) and one receipt.
import { accept, refuse, type Context } from './decision.js';
import { MAX_AMOUNT } from './money.js';
import { allocate } from './rules-money.js';
import { cloneState } from './state.js';
import { record } from './record.js';
import type { Command, Decision, EntryDraft, MemberId, RoundState } from './types.js';

type Of<T extends Command['type']> = Extract<Command, { type: T }>;

/** Most rows one import may carry. */
export const IMPORT_MAX_ROWS = 500;

/**
 * importAllocations (facilitator): every row decided as `allocate` would be, in order, all or
 * nothing — the first refused row refuses the import with its reason (unknown_member, below_spent,
 * invalid), so that a preview that went stale is never half applied. A member twice, no row, more
 * than IMPORT_MAX_ROWS rows or an allocation above MAX_AMOUNT is invalid.
 */
export function importAllocations(state: RoundState, command: Of<'importAllocations'>, ctx: Context): Decision {
	const rows = command.rows;
	if (!Array.isArray(rows) || rows.length === 0 || rows.length > IMPORT_MAX_ROWS) return refuse('invalid');
	const seen = new Set<MemberId>();
	const scratch = cloneState(state);
	const entries: EntryDraft[] = [];
	for (const row of rows) {
		if (seen.has(row.memberId)) return refuse('invalid');
		seen.add(row.memberId);
		const decision = allocate(scratch, { ...row, type: 'allocate', id: command.id, at: command.at }, ctx);
		if (!decision.outcome.ok) return decision;
		const allocated = (scratch.members.get(row.memberId)?.allocated ?? 0) + (decision.entries[0]?.amount ?? 0);
		if (allocated > MAX_AMOUNT) return refuse('invalid');
		// Copies: `record` numbers the drafts it folds into the scratch state.
		entries.push(...decision.entries.map((entry) => ({ ...entry })));
		// Folded into the scratch copy so that the next row is judged after this one.
		record(scratch, { outcome: decision.outcome, entries: decision.entries });
	}
	return accept(entries);
}
