import type { MemberId, TagId } from '$lib/domain/types';
import type { BucketView } from './round.svelte';

export const FILTERS = ['all', 'open', 'funded', 'ideas', 'mine', 'ended'] as const;
export type Filter = (typeof FILTERS)[number];
export const SORTS = ['newest', 'mostFunded', 'closest'] as const;
export type Sort = (typeof SORTS)[number];

/**
 * Drafts are shown to their owners only. A `pending` bucket (the server has not sequenced its
 * creation) is normally one this device made offline: others see it for an instant at most.
 */
export function visibleTo(bucket: BucketView, me: MemberId): boolean {
	return bucket.status !== 'draft' || bucket.owners.includes(me);
}

function matches(bucket: BucketView, filter: Filter, me: MemberId): boolean {
	switch (filter) {
		case 'all':
			return true;
		case 'open':
			return bucket.status === 'open';
		case 'funded':
			return bucket.status === 'funded' || bucket.status === 'completed';
		case 'ideas':
			return bucket.status === 'draft' || bucket.status === 'idea' || bucket.status === 'pending';
		case 'mine':
			return bucket.owners.includes(me) || bucket.status === 'pending';
		case 'ended':
			return bucket.status === 'cancelled' || bucket.status === 'unfunded';
	}
}

/** Lower case without accents, so that "cafe" finds "Café" and "ECOLE" finds "école". */
function folded(text: string): string {
	return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/**
 * The words a search looks in. Each filter of a query is one clause of `matchesQuery` (the tag is
 * one of them).
 */
function searchable(bucket: BucketView): string {
	return folded(`${bucket.title}\n${bucket.summary}`);
}

/** What the member asked the list for: a status filter and search words, combined (all must match). */
export interface BucketQuery {
	filter: Filter;
	/** Words to find in the title or the summary, in any order; empty finds everything. */
	text: string;
	/** Only buckets carrying this tag; empty: any. */
	tag?: TagId | '';
}

export function matchesQuery(bucket: BucketView, query: BucketQuery, me: MemberId): boolean {
	if (!matches(bucket, query.filter, me)) return false;
	if (query.tag && !bucket.tags.includes(query.tag)) return false;
	const words = folded(query.text).split(/\s+/).filter(Boolean);
	if (words.length === 0) return true;
	const haystack = searchable(bucket);
	return words.every((word) => haystack.includes(word));
}

/** What is left to reach the goal; buckets without a budget or already funded go last. */
function distance(bucket: BucketView): number {
	if (bucket.minGoal === 0 || bucket.total >= bucket.minGoal) return Number.MAX_SAFE_INTEGER;
	return bucket.minGoal - bucket.total;
}

const order: Record<Sort, (a: BucketView, b: BucketView) => number> = {
	newest: (a, b) => b.createdAt - a.createdAt,
	mostFunded: (a, b) => b.total - a.total,
	closest: (a, b) => distance(a) - distance(b)
};

/** The buckets a member sees in the list, filtered, searched and sorted. */
export function listBuckets(
	buckets: readonly BucketView[],
	options: { filter: Filter; sort: Sort; me: MemberId; text?: string; tag?: TagId | '' }
): BucketView[] {
	const query: BucketQuery = { filter: options.filter, text: options.text ?? '', tag: options.tag ?? '' };
	return buckets
		.filter((b) => visibleTo(b, options.me) && matchesQuery(b, query, options.me))
		.sort((a, b) => order[options.sort](a, b) || a.title.localeCompare(b.title));
}
