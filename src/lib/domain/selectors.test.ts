import { describe, expect, it } from 'vitest';
import { bucketFunders, creationTimes, memberAccount, replayReplica, roundPool } from './selectors.js';
import type { Amount, BucketId, LedgerEntry, MemberId } from './types.js';

const ann = 'member_ann_1' as MemberId;
const bob = 'member_bob_1' as MemberId;
const b1 = 'bucket_0001' as BucketId;
let seq = 0;
const entry = (type: LedgerEntry['type'], amount: number, extra: Partial<LedgerEntry> = {}): LedgerEntry => ({
	seq: ++seq,
	at: seq * 10,
	type,
	amount: amount as Amount,
	...extra
});
const ledger = [
	entry('allocate', 5000, { memberId: ann }),
	entry('allocate', 6000, { memberId: bob }),
	entry('create', 0, { bucketId: b1, memberId: ann }),
	entry('contribute', 3000, { bucketId: b1, memberId: bob }),
	entry('withdraw', 500, { bucketId: b1, memberId: bob }),
	entry('contribute', 2000, { bucketId: b1, memberId: ann }),
	entry('refund', 2000, { bucketId: b1, memberId: ann })
];

describe('selectors over replay', () => {
	it('§3 member accounts: allocated and money in buckets (contribute − withdraw − refund)', () => {
		const state = replayReplica(ledger);
		expect(memberAccount(state, bob)).toEqual({ allocated: 6000, spent: 2500 });
		expect(memberAccount(state, ann)).toEqual({ allocated: 5000, spent: 0 });
		expect(memberAccount(state, 'member_nobody' as MemberId)).toEqual({ allocated: 0, spent: 0 });
	});

	it('§3 bucket funders: those with money in it, most first; refunded members are gone', () => {
		expect(bucketFunders(replayReplica(ledger), b1)).toEqual([{ memberId: bob, amount: 2500 }]);
	});

	it('§3 the pool is Σ allocations; creation times come from create entries', () => {
		expect(roundPool(replayReplica(ledger))).toBe(11_000);
		expect(creationTimes(ledger)).toEqual(new Map([[b1, 30]]));
	});

	it('§11 a garbled replica folds up to its first bad entry instead of throwing', () => {
		const broken = [...ledger.slice(0, 2), { ...ledger[3]!, seq: 3, bucketId: 'bucket_unknown' as BucketId }, ledger[2]!];
		const state = replayReplica(broken);
		expect(state.seq).toBe(2);
		expect(roundPool(state)).toBe(11_000);
	});

	it('§2 anonymous replicas: totals still fold, nobody is a funder', () => {
		const anonymous = ledger.map(({ memberId, ...rest }) => (rest.type === 'contribute' || rest.type === 'withdraw' || rest.type === 'refund' ? rest : { ...rest, memberId }));
		const state = replayReplica(anonymous);
		expect(bucketFunders(state, b1)).toEqual([]);
		expect(state.buckets.get(b1)?.total).toBe(2500);
	});
});
