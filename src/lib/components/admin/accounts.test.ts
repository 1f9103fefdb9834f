import { describe, expect, it } from 'vitest';
import type { Amount, BucketId, LedgerEntry, MemberId } from '$lib/domain/types';
import type { MemberInfo } from '$lib/state/doc';
import { memberRows } from './accounts';

const ann = 'ann' as MemberId;
const bob = 'bob' as MemberId;
const zoe = 'zoe' as MemberId;
const b1 = 'bucket-0001' as BucketId;
const members = new Map<MemberId, MemberInfo>([
	[zoe, { name: 'Zoé', role: 'member', active: false }],
	[bob, { name: 'Bob', role: 'member', active: true }],
	[ann, { name: 'Ann', role: 'facilitator', active: true }]
]);
let seq = 0;
const entry = (type: LedgerEntry['type'], amount: number, memberId?: MemberId): LedgerEntry => ({
	seq: ++seq,
	at: 0,
	type,
	amount: amount as Amount,
	bucketId: type === 'allocate' ? undefined : b1,
	memberId
});
const ledger = [
	entry('allocate', 5000, ann),
	entry('allocate', 5000, bob),
	entry('allocate', 1000, bob),
	entry('create', 0, ann),
	entry('contribute', 3000, bob),
	entry('withdraw', 500, bob),
	entry('contribute', 2000, ann),
	entry('refund', 2000, ann)
];

describe('memberRows', () => {
	it('§3 sums allocations and money in buckets (contribute − withdraw − refund) in named rounds', () => {
		const rows = memberRows(members, ledger, true);
		expect(rows.map((r) => [r.name, r.allocated, r.spent])).toEqual([
			['Ann', 5000, 0],
			['Bob', 6000, 2500],
			['Zoé', 0, 0]
		]);
	});

	it('§2 anonymous rounds: money spent is unknown, allocations still show', () => {
		const anonymous = ledger.map(({ memberId, ...rest }) => (rest.type === 'allocate' ? { ...rest, memberId } : rest));
		const rows = memberRows(members, anonymous, false);
		expect(rows.map((r) => [r.name, r.allocated, r.spent])).toEqual([
			['Ann', 5000, null],
			['Bob', 6000, null],
			['Zoé', 0, null]
		]);
	});

	it('lists active members first, then by name', () => {
		expect(memberRows(members, [], true).map((r) => r.memberId)).toEqual([ann, bob, zoe]);
	});
});
