import * as Y from 'yjs';
import type { Awareness } from 'y-protocols/awareness';
import { readExpenses, readImages, readThread } from '$lib/domain/document';
import { bucketFunders, creationTimes, replayReplica } from '$lib/domain/selectors';
import { BUCKET_STATUSES, ROLES, type Amount, type BucketAccount, type BucketId, type LedgerEntry, type MemberId } from '$lib/domain/types';
import { readItems, readText, roundRoots, type MemberInfo } from './doc';
import type { BucketView, Celebration } from './round.svelte';

const EMPTY = 0 as Amount;

/** Members that parse (the server writes them; a reader still drops what it cannot show). */
export function readMembers(doc: Y.Doc): ReadonlyMap<MemberId, MemberInfo> {
	const members = new Map<MemberId, MemberInfo>();
	for (const [id, value] of roundRoots(doc).members) {
		const info = value as Partial<MemberInfo> | null;
		if (typeof info !== 'object' || info === null || typeof info.name !== 'string' || !ROLES.includes(info.role as MemberInfo['role'])) continue;
		members.set(id as MemberId, { name: info.name, role: info.role as MemberInfo['role'], active: info.active !== false });
	}
	return members;
}

function isAccount(value: unknown): value is BucketAccount {
	const account = value as Partial<BucketAccount> | null;
	return typeof account === 'object' && account !== null && BUCKET_STATUSES.includes(account.status as BucketAccount['status']) && Array.isArray(account.owners);
}

/**
 * Every bucket of the round doc joined with its server state, comments and funders. A bucket the
 * server knows shows even when its content map is missing or garbled (untitled, with its money and
 * funders); values that do not parse are dropped, never thrown on.
 */
export function readBuckets(doc: Y.Doc, ledger: readonly LedgerEntry[], money = replayReplica(ledger)): BucketView[] {
	const { buckets, bucketState, comments } = roundRoots(doc);
	const created = creationTimes(ledger);
	const views: BucketView[] = [];
	for (const key of new Set([...buckets.keys(), ...bucketState.keys()])) {
		const id = key as BucketId;
		const content: unknown = buckets.get(id);
		const stored: unknown = bucketState.get(id);
		const state = isAccount(stored) ? stored : undefined;
		if (!state && !(content instanceof Y.Map)) continue;
		const thread: unknown = comments.get(id);
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
			images: readImages(state?.images),
			expenses: readExpenses(state?.expenses),
			// From the replayed replica: its tags entries are the ones the server accepted.
			tags: money.buckets.get(id)?.tags ?? [],
			createdAt: created.get(id) ?? Number.MAX_SAFE_INTEGER,
			comments: thread instanceof Y.Array ? readThread(thread.toArray()) : null,
			funders: bucketFunders(money, id)
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
