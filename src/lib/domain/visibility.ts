// The transparency rule on one ledger entry (DESIGN §13): what an anonymous round keeps private.
// Used by the round doc's ledger replica, the public copy of a round and the exports.
import type { LedgerEntry, Transparency } from './types.js';

/** Entries whose member an anonymous round keeps private: who funded what, and who raised a flag. */
const PRIVATE_TYPES: ReadonlySet<string> = new Set(['contribute', 'withdraw', 'refund', 'flag']);

/** An entry as a reader of a round with this transparency may see it. */
export function visibleEntry(transparency: Transparency, entry: LedgerEntry): LedgerEntry {
	if (transparency !== 'anonymous' || !PRIVATE_TYPES.has(entry.type)) return entry;
	const { memberId: _hidden, ...rest } = entry;
	return rest;
}
