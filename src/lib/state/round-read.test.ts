import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { Amount, BucketId, LedgerEntry, MemberId } from '$lib/domain/types';
import { roundRoots } from './doc';
import { readBuckets, readMembers } from './round-read';

const alice = 'member_alice' as MemberId;
const funded = 'bucket_funded_1' as BucketId;
const ledger: LedgerEntry[] = [
	{ seq: 1, at: 1, type: 'open', amount: 0 as Amount, settings: {} },
	{ seq: 2, at: 2, type: 'allocate', amount: 100 as Amount, memberId: alice },
	{ seq: 3, at: 3, type: 'create', amount: 0 as Amount, bucketId: funded, memberId: alice },
	{ seq: 4, at: 4, type: 'contribute', amount: 60 as Amount, bucketId: funded, memberId: alice }
];

describe('§11 the browser drops what does not parse', () => {
	it('§11 garbled values in the round doc never throw: a bucket known to the server still shows, untitled, with its funders', () => {
		const doc = new Y.Doc();
		const roots = roundRoots(doc);
		doc.transact(() => {
			roots.members.set(alice, { name: 'Alice', role: 'member', active: true });
			roots.members.set('member_broken', 'not a member' as never);
			doc.getMap('buckets').set(funded, new Y.Text('garbage'));
			doc.getMap('buckets').set('bucket_text_01', new Y.Text('garbage'));
			roots.bucketState.set(funded, { status: 'funded', owners: [alice], minGoal: 50, maxGoal: 50, total: 60 } as never);
			const thread = new Y.Array<unknown>();
			doc.getMap('comments').set(funded, thread);
			const good = { id: 'comment_good1', author: alice, text: 'ok', at: 5 };
			thread.push([good, { id: 'comment_no_at', author: alice, text: 'x' }, { ...good, text: 'same id' }, null, 42]);
		});
		const buckets = readBuckets(doc, ledger);
		expect(buckets.map((b) => b.id)).toEqual([funded]);
		expect(buckets[0]).toMatchObject({ title: '', items: [], status: 'funded', total: 60, funders: [{ memberId: alice, amount: 60 }] });
		expect(buckets[0]?.comments).toEqual([{ id: 'comment_good1', author: alice, text: 'ok', at: 5 }]);
		expect([...readMembers(doc).keys()]).toEqual([alice]);
	});

	it('§11 budget items that do not parse are dropped', () => {
		const doc = new Y.Doc();
		doc.transact(() => {
			const bucket = new Y.Map<unknown>();
			doc.getMap('buckets').set(funded, bucket);
			bucket.set('title', 42);
			const items = new Y.Array<unknown>();
			bucket.set('items', items);
			items.push([{ label: 'Bois', min: 10, max: null }, { label: 'x', min: 'ten' }, 'junk']);
		});
		const [bucket] = readBuckets(doc, []);
		expect(bucket).toMatchObject({ title: '', items: [{ label: 'Bois', min: 10, max: null }], status: 'pending' });
	});
});
