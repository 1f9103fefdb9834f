import { replayReplica, roundPool } from '$lib/domain/selectors';
import type { Amount, BucketStatus, LedgerEntry, MemberId, TagId } from '$lib/domain/types';
import type { BucketView } from '$lib/state/round.svelte';

/** The round's totals as the projector shows them. */
export interface RoundFigures {
	/** Σ of every allocation: all the money members were given. */
	pool: Amount;
	/** Money currently in buckets that can still use it (open, funded, completed). */
	placed: Amount;
	left: Amount;
	funded: number;
}

/** Buckets the room can see and fund; ideas awaiting approval and drafts stay off the screen. */
const SHOWN: readonly BucketView['status'][] = ['open', 'funded', 'completed'] satisfies BucketStatus[];
const REACHED: readonly BucketView['status'][] = ['funded', 'completed'];

/** Published buckets in creation order, so bars keep their place on screen as money moves. */
export function shownBuckets(buckets: readonly BucketView[], tag?: TagId): BucketView[] {
	return buckets.filter((b) => SHOWN.includes(b.status) && (tag === undefined || b.tags.includes(tag))).sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
}

export function roundFigures(ledger: readonly LedgerEntry[], buckets: readonly BucketView[]): RoundFigures {
	const pool = roundPool(replayReplica(ledger));
	let placed = 0;
	let funded = 0;
	for (const bucket of buckets) {
		if (SHOWN.includes(bucket.status)) placed += bucket.total;
		if (REACHED.includes(bucket.status)) funded += 1;
	}
	return { pool: pool as Amount, placed: placed as Amount, left: (pool - placed) as Amount, funded };
}

/** One contribution in the live feed; `memberId` is absent in anonymous rounds. */
export interface FeedItem {
	seq: number;
	at: number;
	bucketId: string;
	amount: Amount;
	memberId?: MemberId;
}

/** The latest contributions, newest first. The ledger only grows, so read it from the end. */
export function latestContributions(ledger: readonly LedgerEntry[], limit: number): FeedItem[] {
	const items: FeedItem[] = [];
	for (let i = ledger.length - 1; i >= 0 && items.length < limit; i -= 1) {
		const entry = ledger[i] as LedgerEntry;
		if (entry.type !== 'contribute' || !entry.bucketId) continue;
		items.push({ seq: entry.seq, at: entry.at, bucketId: entry.bucketId, amount: entry.amount, memberId: entry.memberId });
	}
	return items;
}

/** The figures the funding chart draws, one bar group per shown bucket (minor units). */
export interface FundingChart {
	labels: string[];
	total: number[];
	/** What the bucket still needs to reach its goal (0 once funded). */
	missing: number[];
	/** What it could still take above its goal (stretch). */
	stretch: number[];
}

export function fundingChart(buckets: readonly BucketView[]): FundingChart {
	const shown = shownBuckets(buckets);
	return {
		labels: shown.map((b) => b.title),
		total: shown.map((b) => b.total),
		missing: shown.map((b) => Math.max(0, b.minGoal - b.total)),
		stretch: shown.map((b) => Math.max(0, b.maxGoal - Math.max(b.minGoal, b.total)))
	};
}
