import { describe, expect, it } from 'vitest';
import type { Amount, BucketId, LedgerEntry, MemberId } from '$lib/domain/types';
import type { BucketView } from '$lib/state/round.svelte';
import { fundingChart, latestContributions, roundFigures, shownBuckets } from './figures';

const bucket = (id: string, status: BucketView['status'], total: number, minGoal: number, maxGoal: number, createdAt: number): BucketView => ({
	id: id as BucketId,
	title: `Bucket ${id}`,
	summary: '',
	description: '',
	items: [],
	status,
	owners: [],
	minGoal: minGoal as Amount,
	maxGoal: maxGoal as Amount,
	total: total as Amount,
	createdAt,
	tags: [],
	comments: [],
	funders: []
});
const buckets = [
	bucket('c', 'funded', 3000, 3000, 4000, 3),
	bucket('a', 'open', 1000, 2000, 2000, 1),
	bucket('d', 'idea', 0, 1000, 1000, 0),
	bucket('e', 'cancelled', 0, 1000, 1000, 4),
	bucket('b', 'completed', 500, 500, 500, 2),
	bucket('f', 'draft', 0, 0, 0, 5)
];
let seq = 0;
const entry = (type: LedgerEntry['type'], amount: number, extra: Partial<LedgerEntry> = {}): LedgerEntry => ({
	seq: ++seq,
	at: seq * 1000,
	type,
	amount: amount as Amount,
	...extra
});

describe('shownBuckets', () => {
	it('§8 shows only open, funded and completed buckets, oldest first', () => {
		expect(shownBuckets(buckets).map((b) => b.id)).toEqual(['a', 'b', 'c']);
	});
});

describe('roundFigures', () => {
	it('§3 pool = Σ allocations; placed = Σ totals of live buckets; left = pool − placed', () => {
		seq = 0;
		const ledger = [
			entry('open', 0, { settings: {} }),
			entry('allocate', 5000, { memberId: 'm1' as MemberId }),
			entry('allocate', 5000, { memberId: 'm2' as MemberId }),
			entry('allocate', -1000, { memberId: 'm2' as MemberId })
		];
		expect(roundFigures(ledger, buckets)).toEqual({ pool: 9000, placed: 4500, left: 4500, funded: 2 });
	});

	it('is all zero for a new round', () => {
		expect(roundFigures([], [])).toEqual({ pool: 0, placed: 0, left: 0, funded: 0 });
	});
});

describe('latestContributions', () => {
	const ledger = [
		entry('contribute', 100, { bucketId: 'a' as BucketId, memberId: 'm1' as MemberId }),
		entry('withdraw', 50, { bucketId: 'a' as BucketId, memberId: 'm1' as MemberId }),
		entry('contribute', 200, { bucketId: 'b' as BucketId }),
		entry('settle', 200, { bucketId: 'b' as BucketId }),
		entry('contribute', 300, { bucketId: 'c' as BucketId, memberId: 'm2' as MemberId })
	];

	it('lists contributions only, newest first, up to the limit', () => {
		expect(latestContributions(ledger, 2).map((i) => [i.bucketId, i.amount, i.memberId])).toEqual([
			['c', 300, 'm2'],
			['b', 200, undefined]
		]);
		expect(latestContributions(ledger, 10)).toHaveLength(3);
	});
});

describe('fundingChart', () => {
	it('splits each shown bucket into funded, missing to the goal, and stretch room', () => {
		expect(fundingChart(buckets)).toEqual({
			labels: ['Bucket a', 'Bucket b', 'Bucket c'],
			total: [1000, 500, 3000],
			missing: [1000, 0, 0],
			stretch: [0, 0, 1000]
		});
	});
});
