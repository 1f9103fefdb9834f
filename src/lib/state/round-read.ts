import type * as Y from 'yjs';
import type { Awareness } from 'y-protocols/awareness';
import type { Amount, BucketId, LedgerEntry, MemberId } from '$lib/domain/types';
import { readItems, readText, roundRoots, type MemberInfo } from './doc';
import type { BucketView, Celebration } from './round.svelte';

const EMPTY = 0 as Amount;

export function readMembers(doc: Y.Doc): ReadonlyMap<MemberId, MemberInfo> {
	return new Map(Object.entries(roundRoots(doc).members.toJSON())) as Map<MemberId, MemberInfo>;
}

/** Creation time per bucket and each member's money per bucket (empty in anonymous rounds). */
function fromLedger(ledger: readonly LedgerEntry[]) {
	const created = new Map<BucketId, number>();
	const funds = new Map<BucketId, Map<MemberId, number>>();
	for (const entry of ledger) {
		if (entry.type === 'create' && entry.bucketId) created.set(entry.bucketId, entry.at);
		const sign = entry.type === 'contribute' ? 1 : entry.type === 'withdraw' || entry.type === 'refund' ? -1 : 0;
		if (sign === 0 || !entry.bucketId || !entry.memberId) continue;
		let perMember = funds.get(entry.bucketId);
		if (!perMember) funds.set(entry.bucketId, (perMember = new Map()));
		perMember.set(entry.memberId, (perMember.get(entry.memberId) ?? 0) + sign * entry.amount);
	}
	return { created, funds };
}

/** Every bucket of the round doc joined with its server state, comments and funders. */
export function readBuckets(doc: Y.Doc, ledger: readonly LedgerEntry[]): BucketView[] {
	const { buckets, bucketState, comments } = roundRoots(doc);
	const { created, funds } = fromLedger(ledger);
	const views: BucketView[] = [];
	for (const [key, content] of buckets) {
		const id = key as BucketId;
		const state = bucketState.get(id);
		const thread = comments.get(id);
		views.push({
			id,
			title: readText(content, 'title'),
			summary: readText(content, 'summary'),
			description: readText(content, 'description'),
			items: readItems(content),
			status: state?.status ?? 'pending',
			owners: state?.owners ?? [],
			minGoal: state?.minGoal ?? EMPTY,
			maxGoal: state?.maxGoal ?? EMPTY,
			total: state?.total ?? EMPTY,
			settledAt: state?.settledAt,
			paidAt: state?.paidAt,
			createdAt: created.get(id) ?? Number.MAX_SAFE_INTEGER,
			comments: thread ? thread.toArray() : null,
			funders: [...(funds.get(id) ?? [])]
				.filter(([, amount]) => amount > 0)
				.map(([memberId, amount]) => ({ memberId, amount: amount as Amount }))
				.sort((a, b) => b.amount - a.amount)
		});
	}
	return views;
}

export function statusesOf(buckets: readonly BucketView[]): Map<BucketId, BucketView['status']> {
	return new Map(buckets.map((b) => [b.id, b.status]));
}

/** Buckets that were open before and are funded now. */
export function reachedGoal(
	before: ReadonlyMap<BucketId, BucketView['status']>,
	buckets: readonly BucketView[]
): Celebration[] {
	return buckets
		.filter((b) => before.get(b.id) === 'open' && b.status === 'funded')
		.map((b) => ({ bucketId: b.id, title: b.title }));
}

export function indexById(buckets: readonly BucketView[]): ReadonlyMap<BucketId, BucketView> {
	return new Map(buckets.map((b) => [b.id, b]));
}

/** Members announced in awareness states (`{memberId}`), once each. */
export function onlineMembers(awareness: Awareness): MemberId[] {
	const ids = new Set<MemberId>();
	for (const state of awareness.getStates().values()) {
		if (typeof state.memberId === 'string') ids.add(state.memberId as MemberId);
	}
	return [...ids];
}
