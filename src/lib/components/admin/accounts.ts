import { memberAccount, replayReplica } from '$lib/domain/selectors';
import type { Amount, LedgerEntry, MemberId } from '$lib/domain/types';
import type { MemberInfo } from '$lib/state/doc';

/** A member as the admin page lists it. */
export interface MemberRow extends MemberInfo {
	memberId: MemberId;
	/** Σ of its allocate entries. */
	allocated: Amount;
	/** Its money currently in buckets; null in anonymous rounds, where the replica does not say. */
	spent: Amount | null;
}

/**
 * Each member's money from the round doc's ledger replica. In anonymous rounds contributions carry
 * no memberId there, so only allocations are known.
 */
export function memberRows(
	members: ReadonlyMap<MemberId, MemberInfo>,
	ledger: readonly LedgerEntry[],
	named: boolean
): MemberRow[] {
	const state = replayReplica(ledger);
	return [...members]
		.map(([memberId, info]) => {
			const account = memberAccount(state, memberId);
			return { ...info, memberId, allocated: account.allocated, spent: named ? account.spent : null };
		})
		.sort((a, b) => Number(b.active) - Number(a.active) || a.name.localeCompare(b.name));
}
