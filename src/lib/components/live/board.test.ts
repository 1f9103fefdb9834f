import { describe, expect, it } from 'vitest';
import type { Amount, BucketId, LedgerEntry, MemberId } from '$lib/domain/types';
import type { BucketView } from '$lib/state/round.svelte';
import { board, markRefunds, pageOf, progressOf } from './board';
import type { FeedItem } from './figures';

const bucket = (id: string, total: number): BucketView =>
	({ id: id as BucketId, title: id, total: total as Amount, minGoal: 1000 as Amount, maxGoal: 1000 as Amount, status: 'open', createdAt: 0 }) as BucketView;
const ids = (list: readonly { id: string }[]) => list.map((b) => b.id);

describe('the projector board', () => {
	it('shows the best-funded buckets in full, in their creation order, and the rest apart', () => {
		const shown = [bucket('a', 10), bucket('b', 500), bucket('c', 0), bucket('d', 900), bucket('e', 500)];
		const { top, rest } = board(shown, 3);
		expect(ids(top)).toEqual(['b', 'd', 'e']);
		expect(ids(rest)).toEqual(['a', 'c']);
	});

	it('breaks ties by creation order, so that a 200-bucket round with no money yet shows the first ones', () => {
		const shown = Array.from({ length: 200 }, (_, i) => bucket(`b${i}`, 0));
		const { top, rest } = board(shown, 5);
		expect(ids(top)).toEqual(['b0', 'b1', 'b2', 'b3', 'b4']);
		expect(rest).toHaveLength(195);
	});

	it('pages the rest and wraps around', () => {
		const list = Array.from({ length: 13 }, (_, i) => i);
		expect(pageOf(list, 6, 0)).toEqual({ items: [0, 1, 2, 3, 4, 5], page: 0, pages: 3 });
		expect(pageOf(list, 6, 2)).toEqual({ items: [12], page: 2, pages: 3 });
		expect(pageOf(list, 6, 3).page).toBe(0);
		expect(pageOf([], 6, 5)).toEqual({ items: [], page: 0, pages: 1 });
	});
});

describe('refunds in the feed', () => {
	const entry = (seq: number, type: LedgerEntry['type'], bucketId: string): LedgerEntry =>
		({ seq, at: seq, type, bucketId: bucketId as BucketId, memberId: 'm' as MemberId, amount: 100 as Amount }) as LedgerEntry;
	const item = (seq: number, bucketId: string): FeedItem => ({ seq, at: seq, bucketId, amount: 100 as Amount });

	it('marks the contributions made before their bucket gave the money back, and only those', () => {
		const ledger = [entry(1, 'contribute', 'x'), entry(2, 'contribute', 'y'), entry(3, 'withdraw', 'y'), entry(4, 'refund', 'x'), entry(5, 'contribute', 'x')];
		const lines = markRefunds([item(5, 'x'), item(2, 'y'), item(1, 'x')], ledger);
		expect(lines.map((l) => [l.seq, l.refunded])).toEqual([
			[5, false],
			[2, false],
			[1, true]
		]);
	});
});

describe('progress as the room reads it', () => {
	const of = (total: number, minGoal: number, maxGoal: number) => progressOf({ total: total as Amount, minGoal: minGoal as Amount, maxGoal: maxGoal as Amount });
	it('says "reached" above the goal instead of "130 of 80"', () => {
		expect(of(13000, 8000, 15000)).toEqual({ kind: 'reachedStretch', total: 13000, goal: 8000, stretch: 15000 });
		expect(of(8000, 8000, 8000)).toEqual({ kind: 'reached', total: 8000, goal: 8000 });
		expect(of(2500, 8000, 15000)).toEqual({ kind: 'toGoal', total: 2500, goal: 8000 });
		expect(of(300, 0, 0)).toEqual({ kind: 'noGoal', total: 300 });
	});
});
