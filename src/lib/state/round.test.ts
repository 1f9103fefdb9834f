import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { applyAwarenessUpdate, Awareness, encodeAwarenessUpdate } from 'y-protocols/awareness';
import type { BucketId, LedgerEntry, MemberId } from '$lib/domain/types';
import { createBucket } from './bucket-edit';
import { roundRoots, type Comment } from './doc';
import { RoundView } from './round.svelte';
import { linkDocs } from './testing';

const settings = {
	name: 'Fest',
	currency: 'EUR',
	locale: 'fr-FR',
	phase: 'funding',
	defaultAllocation: 5000,
	maxPerMemberPerBucket: null,
	transparency: 'named',
	requireApproval: false
};

/** The server's side of a round doc: what the sequencer writes. */
function serverDoc() {
	const doc = new Y.Doc();
	const roots = roundRoots(doc);
	doc.transact(() => {
		for (const [k, v] of Object.entries(settings)) roots.round.set(k, v);
		roots.members.set('alice', { name: 'Alice', role: 'facilitator', active: true });
		roots.members.set('bob', { name: 'Bob', role: 'member', active: true });
	});
	return { doc, roots };
}

function entry(seq: number, fields: Partial<LedgerEntry>): LedgerEntry {
	return { seq, at: 1000 + seq, type: 'contribute', amount: 0, ...fields } as LedgerEntry;
}

describe('RoundView', () => {
	it('§2 joins owners’ content with the server’s bucketState, comments and named funders', () => {
		const server = serverDoc();
		const client = new Y.Doc();
		linkDocs(server.doc, client);
		const view = new RoundView();
		view.attach(client);
		const id = createBucket(client, {
			title: 'Lights',
			summary: 'LED',
			description: '**bright**',
			items: [{ label: 'Lamps', min: 4000 as never, max: 6000 as never }]
		});
		expect(view.buckets[0]).toMatchObject({ id, title: 'Lights', status: 'pending', comments: null });
		server.doc.transact(() => {
			server.roots.bucketState.set(id, { status: 'open', owners: ['bob' as MemberId], minGoal: 4000, maxGoal: 6000, total: 1500 } as never);
			server.roots.comments.set(id, new Y.Array<Comment>());
			server.roots.ledger.push([
				entry(1, { type: 'open', settings: settings as never }),
				entry(2, { type: 'create', bucketId: id, memberId: 'bob' as MemberId }),
				entry(3, { type: 'allocate', memberId: 'alice' as MemberId, amount: 5000 as never }),
				entry(4, { type: 'allocate', memberId: 'bob' as MemberId, amount: 5000 as never }),
				entry(5, { bucketId: id, memberId: 'alice' as MemberId, amount: 1000 as never }),
				entry(6, { bucketId: id, memberId: 'bob' as MemberId, amount: 700 as never }),
				entry(7, { type: 'withdraw', bucketId: id, memberId: 'bob' as MemberId, amount: 200 as never })
			]);
		});
		const bucket = view.bucketById.get(id);
		expect(bucket).toMatchObject({ status: 'open', total: 1500, minGoal: 4000, owners: ['bob'], comments: [], createdAt: 1002 });
		expect(bucket?.description).toBe('**bright**');
		expect(bucket?.funders).toEqual([
			{ memberId: 'alice', amount: 1000 },
			{ memberId: 'bob', amount: 500 }
		]);
		expect(view.settings?.currency).toBe('EUR');
		expect(view.memberName('bob')).toBe('Bob');
	});

	it('§8 celebrates a bucket that goes from open to funded while watched, not one already funded', () => {
		const server = serverDoc();
		const { bucketState, buckets } = server.roots;
		server.doc.transact(() => {
			for (const id of ['b-already-funded', 'b-about-to-fund']) {
				const m = new Y.Map<unknown>();
				buckets.set(id, m);
				m.set('title', id);
			}
			bucketState.set('b-already-funded', { status: 'funded', owners: [], minGoal: 10, maxGoal: 10, total: 10 } as never);
			bucketState.set('b-about-to-fund', { status: 'open', owners: [], minGoal: 10, maxGoal: 10, total: 5 } as never);
		});
		const view = new RoundView();
		view.attach(server.doc);
		expect(view.celebrations).toEqual([]);
		bucketState.set('b-about-to-fund', { status: 'funded', owners: [], minGoal: 10, maxGoal: 10, total: 10 } as never);
		expect(view.celebrations).toEqual([{ bucketId: 'b-about-to-fund', title: 'b-about-to-fund' }]);
		view.dismissCelebration('b-about-to-fund' as BucketId);
		expect(view.celebrations).toEqual([]);
	});

	it('§8 online members come from awareness, once each', () => {
		const doc = new Y.Doc();
		const other = new Y.Doc();
		const awareness = new Awareness(doc);
		const remote = new Awareness(other);
		const view = new RoundView();
		view.attach(doc);
		view.watchAwareness(awareness, 'alice' as MemberId);
		expect(view.online).toEqual(['alice']);
		remote.setLocalStateField('memberId', 'bob');
		// bob's state relayed as the server does, twice (a member with two tabs counts once)
		applyAwarenessUpdate(awareness, encodeAwarenessUpdate(remote, [other.clientID]), 'peer');
		const tab = new Awareness(new Y.Doc());
		tab.setLocalStateField('memberId', 'bob');
		applyAwarenessUpdate(awareness, encodeAwarenessUpdate(tab, [tab.clientID]), 'peer');
		expect(view.online.sort()).toEqual(['alice', 'bob']);
	});

	it('re-attaching after a resync shows the new document only', () => {
		const first = serverDoc();
		const view = new RoundView();
		view.attach(first.doc);
		const second = new Y.Doc();
		view.attach(second);
		expect(view.settings).toBeNull();
		first.roots.round.set('name', 'changed');
		expect(view.settings).toBeNull();
	});
});
