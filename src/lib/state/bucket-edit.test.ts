import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import type { BucketId, MemberId } from '$lib/domain/types';
import { addComment, createBucket, deleteComment, replaceText, updateBucket } from './bucket-edit';
import { roundRoots, type Comment } from './doc';
import { linkDocs } from './testing';

describe('bucket content', () => {
	it('§2 a new bucket is one new key with title, summary, Y.Text description and Y.Array items', () => {
		const doc = new Y.Doc();
		let updates = 0;
		doc.on('update', () => updates++);
		const id = createBucket(doc, { title: 'Lights', summary: 'LED', description: 'Hi', items: [{ label: 'Lamps', min: 100 as never }] });
		expect(id).toMatch(/^[A-Za-z0-9_-]{10,64}$/);
		expect(updates).toBe(1);
		const bucket = roundRoots(doc).buckets.get(id);
		expect(bucket?.get('description')).toBeInstanceOf(Y.Text);
		expect(bucket?.toJSON()).toEqual({ title: 'Lights', summary: 'LED', description: 'Hi', items: [{ label: 'Lamps', min: 100, max: null }] });
	});

	it('replaceText edits only the changed middle, so two owners’ edits merge', () => {
		const a = new Y.Doc();
		const b = new Y.Doc();
		const unlink = linkDocs(a, b);
		a.getText('t').insert(0, 'The stage is dark.');
		unlink();
		replaceText(a.getText('t'), 'The big stage is dark.');
		replaceText(b.getText('t'), 'The stage is very dark.');
		linkDocs(a, b);
		expect(a.getText('t').toString()).toBe('The big stage is very dark.');
		expect(b.getText('t').toString()).toBe(a.getText('t').toString());
	});

	it('updateBucket writes only what changed', () => {
		const doc = new Y.Doc();
		const id = createBucket(doc, { title: 'A', summary: 'S', description: 'D', items: [{ label: 'x', min: 1 as never }] });
		const changed: string[] = [];
		roundRoots(doc).buckets.get(id)?.observeDeep((events) => events.forEach((e) => changed.push(...(e.path.length ? [String(e.path[0])] : [...(e as Y.YMapEvent<unknown>).keysChanged]))));
		updateBucket(doc, id, { title: 'B', summary: 'S', description: 'D', items: [{ label: 'x', min: 1 as never, max: null }] });
		expect(changed).toEqual(['title']);
	});

	it('§2 comments: append to the server-made thread, delete only one’s own', () => {
		const doc = new Y.Doc();
		const bucket = 'bucket-lights' as BucketId;
		expect(addComment(doc, bucket, 'member-ana' as MemberId, 'too early')).toBe(false);
		roundRoots(doc).comments.set(bucket, new Y.Array<Comment>());
		addComment(doc, bucket, 'member-ana' as MemberId, 'Great', 5);
		addComment(doc, bucket, 'member-bob' as MemberId, 'Agreed', 6);
		const [ana, bob] = roundRoots(doc).comments.get(bucket)?.toArray() ?? [];
		deleteComment(doc, bucket, ana?.id ?? '', 'member-bob' as MemberId);
		expect(roundRoots(doc).comments.get(bucket)?.length).toBe(2);
		deleteComment(doc, bucket, bob?.id ?? '', 'member-bob' as MemberId);
		expect(roundRoots(doc).comments.get(bucket)?.toArray().map((c) => c.text)).toEqual(['Great']);
	});
});
