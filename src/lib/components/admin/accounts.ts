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

const MOVES: Partial<Record<LedgerEntry['type'], 1 | -1>> = { contribute: 1, withdraw: -1, refund: -1 };

/**
 * Each member's money from the round doc's ledger replica. In anonymous rounds contributions carry
 * no memberId there, so only allocations are known.
 */
export function memberRows(
	members: ReadonlyMap<MemberId, MemberInfo>,
	ledger: readonly LedgerEntry[],
	named: boolean
): MemberRow[] {
	const allocated = new Map<MemberId, number>();
	const spent = new Map<MemberId, number>();
	for (const entry of ledger) {
		if (!entry.memberId) continue;
		if (entry.type === 'allocate') allocated.set(entry.memberId, (allocated.get(entry.memberId) ?? 0) + entry.amount);
		const sign = MOVES[entry.type];
		if (sign) spent.set(entry.memberId, (spent.get(entry.memberId) ?? 0) + sign * entry.amount);
	}
	return [...members]
		.map(([memberId, info]) => ({
			...info,
			memberId,
			allocated: (allocated.get(memberId) ?? 0) as Amount,
			spent: named ? ((spent.get(memberId) ?? 0) as Amount) : null
		}))
		.sort((a, b) => Number(b.active) - Number(a.active) || a.name.localeCompare(b.name));
}
