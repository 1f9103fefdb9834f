import type { LedgerEntry } from '$lib/domain/types';
import type { BucketView } from '$lib/state/round.svelte';
import type { FeedItem } from './figures';

/**
 * What the projector's bucket column shows: the `size` best-funded buckets with full bars, and
 * the rest in pages. Both keep creation order (the input's), so that a bar keeps its place while
 * money moves and only changes row when it enters or leaves the top.
 */
export interface Board {
	top: BucketView[];
	rest: BucketView[];
}

export function board(shown: readonly BucketView[], size: number): Board {
	const ranked = shown.map((bucket, index) => ({ bucket, index })).sort((a, b) => b.bucket.total - a.bucket.total || a.index - b.index);
	const inTop = new Set(ranked.slice(0, size).map((r) => r.bucket.id));
	return { top: shown.filter((b) => inTop.has(b.id)), rest: shown.filter((b) => !inTop.has(b.id)) };
}

/** The page `page` (from 0, wrapping around) of `list` cut in pages of `size`, and how many pages there are. */
export function pageOf<T>(list: readonly T[], size: number, page: number): { items: T[]; page: number; pages: number } {
	const pages = Math.max(1, Math.ceil(list.length / size));
	const at = ((page % pages) + pages) % pages;
	return { items: list.slice(at * size, at * size + size), page: at, pages };
}

/** A feed line, marked when its money went back to the funder. */
export interface FeedLine extends FeedItem {
	refunded: boolean;
}

/**
 * Marks the feed's contributions whose bucket later gave its money back (a cancel or the close
 * refunds every contribution made before it). Withdrawals are a member's own choice and leave the
 * line as it is.
 */
export function markRefunds(items: readonly FeedItem[], ledger: readonly LedgerEntry[]): FeedLine[] {
	const lastRefund = new Map<string, number>();
	for (const entry of ledger) if (entry.type === 'refund' && entry.bucketId) lastRefund.set(entry.bucketId, entry.seq);
	return items.map((item) => ({ ...item, refunded: (lastRefund.get(item.bucketId) ?? -1) > item.seq }));
}

/** How a bucket's progress reads: below its goal, or the goal reached (with the stretch if any). */
export type Progress =
	| { kind: 'toGoal'; total: number; goal: number }
	| { kind: 'reached'; total: number; goal: number }
	| { kind: 'reachedStretch'; total: number; goal: number; stretch: number }
	| { kind: 'noGoal'; total: number };

export function progressOf(bucket: Pick<BucketView, 'total' | 'minGoal' | 'maxGoal'>): Progress {
	const { total, minGoal: goal, maxGoal: stretch } = bucket;
	if (goal <= 0) return { kind: 'noGoal', total };
	if (total < goal) return { kind: 'toGoal', total, goal };
	return stretch > goal ? { kind: 'reachedStretch', total, goal, stretch } : { kind: 'reached', total, goal };
}
