import * as Y from 'yjs';
import type { BucketId, BudgetItem, MemberId } from '$lib/domain/types';
import { roundRoots } from './doc';
import { randomId } from './ids';

/** What the owners of a bucket write (DESIGN §2); money and status are the server's. */
export interface BucketContent {
	title: string;
	summary: string;
	description: string;
	items: BudgetItem[];
}

/** Stored item shape: `max` is always present, null meaning "same as min". */
function stored(items: readonly BudgetItem[]): BudgetItem[] {
	return items.map((item) => ({ label: item.label, min: item.min, max: item.max ?? null }));
}

/**
 * Adds a bucket under a new random key, all fields in one transaction (one update the guard sees
 * as "a new key"): the server then records us as its creator and sequences its creation.
 */
export function createBucket(doc: Y.Doc, content: BucketContent): BucketId {
	const id = randomId() as BucketId;
	doc.transact(() => {
		const bucket = new Y.Map<unknown>();
		roundRoots(doc).buckets.set(id, bucket);
		bucket.set('title', content.title);
		bucket.set('summary', content.summary);
		const description = new Y.Text();
		bucket.set('description', description);
		description.insert(0, content.description);
		const items = new Y.Array<BudgetItem>();
		bucket.set('items', items);
		items.push(stored(content.items));
	});
	return id;
}

/** Replaces `text` with `next` by editing only the changed middle, so concurrent edits merge. */
export function replaceText(text: Y.Text, next: string): void {
	const current = text.toString();
	if (current === next) return;
	let start = 0;
	while (start < current.length && start < next.length && current[start] === next[start]) start++;
	let end = 0;
	while (
		end < current.length - start &&
		end < next.length - start &&
		current[current.length - 1 - end] === next[next.length - 1 - end]
	) {
		end++;
	}
	text.delete(start, current.length - start - end);
	text.insert(start, next.slice(start, next.length - end));
}

function sameItems(a: readonly BudgetItem[], b: readonly BudgetItem[]): boolean {
	return JSON.stringify(stored(a)) === JSON.stringify(stored(b));
}

/** Saves an owner's edit in one transaction, writing only the fields that changed. */
export function updateBucket(doc: Y.Doc, id: BucketId, content: BucketContent): void {
	const bucket = roundRoots(doc).buckets.get(id);
	if (!bucket) throw new Error(`No bucket ${id}`);
	doc.transact(() => {
		if (bucket.get('title') !== content.title) bucket.set('title', content.title);
		if (bucket.get('summary') !== content.summary) bucket.set('summary', content.summary);
		const description = bucket.get('description');
		if (description instanceof Y.Text) replaceText(description, content.description);
		const items = bucket.get('items');
		if (items instanceof Y.Array && !sameItems(items.toArray() as BudgetItem[], content.items)) {
			items.delete(0, items.length);
			items.push(stored(content.items));
		}
	});
}

/** Appends a comment to the bucket's thread (the server created it); false if there is none yet. */
export function addComment(doc: Y.Doc, bucketId: BucketId, author: MemberId, text: string, at = Date.now()): boolean {
	const thread = roundRoots(doc).comments.get(bucketId);
	if (!thread) return false;
	thread.push([{ id: randomId(), author, text, at }]);
	return true;
}

/** Deletes one of the member's own comments. */
export function deleteComment(doc: Y.Doc, bucketId: BucketId, commentId: string, author: MemberId): void {
	const thread = roundRoots(doc).comments.get(bucketId);
	if (!thread) return;
	const index = thread.toArray().findIndex((c) => c.id === commentId && c.author === author);
	if (index >= 0) thread.delete(index, 1);
}
