// DESIGN §4: the guard's resolution of structs and deletions, checked on raw Yjs updates against a
// server document (no network).
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { checkUpdate, type GuardContext } from '../../server/sync/guard.js';

const ALICE = 'alice_member_1';
const BOB = 'bob_member_01';

function context(writer: string, overrides: Partial<GuardContext> = {}): GuardContext {
	return {
		writer,
		doc: { kind: 'round' },
		bucketOwners: () => undefined,
		clientOwner: () => undefined,
		...overrides
	};
}

/** Everything `client` has that `server` lacks, as one V1 update. */
const diff = (client: Y.Doc, server: Y.Doc) => Y.encodeStateAsUpdate(client, Y.encodeStateVector(server));

/** Server and client copies of one document, in sync. */
function pair(setup: (doc: Y.Doc) => void = () => {}): { server: Y.Doc; client: Y.Doc } {
	const server = new Y.Doc();
	setup(server);
	const client = new Y.Doc();
	Y.applyUpdate(client, Y.encodeStateAsUpdate(server));
	return { server, client };
}

function newBucket(doc: Y.Doc, id: string): Y.Map<unknown> {
	const bucket = new Y.Map<unknown>();
	bucket.set('title', 'T');
	bucket.set('description', new Y.Text('d'));
	const items = new Y.Array<unknown>();
	items.push([{ label: 'a', min: 1, max: null }]);
	bucket.set('items', items);
	doc.getMap('buckets').set(id, bucket);
	return bucket;
}

describe('§4 guard resolution', () => {
	it('§4 a new bucket key with nested types created in the same update resolves to buckets/<id>: allowed, recorded as new', () => {
		const { server, client } = pair();
		newBucket(client, 'bucket_new_1');
		const verdict = checkUpdate(server, diff(client, server), context(ALICE));
		expect(verdict).toMatchObject({ ok: true, changes: true });
		if (!verdict.ok) return;
		expect([...verdict.newBuckets]).toEqual(['bucket_new_1']);
		expect([...verdict.touchedBuckets]).toEqual(['bucket_new_1']);
		expect([...verdict.clients]).toEqual([client.clientID]);
	});

	it('§4 edits inside an existing bucket (text after text, array items) resolve through the server doc to their bucket', () => {
		const { server, client } = pair((doc) => newBucket(doc, 'bucket_old_1'));
		const bucket = client.getMap('buckets').get('bucket_old_1') as Y.Map<unknown>;
		(bucket.get('description') as Y.Text).insert(1, ' more');
		(bucket.get('items') as Y.Array<unknown>).push([{ label: 'b', min: 2 }]);
		const owned = context(ALICE, { bucketOwners: () => [ALICE] });
		expect(checkUpdate(server, diff(client, server), owned)).toMatchObject({ ok: true, touchedBuckets: new Set(['bucket_old_1']) });
		const stranger = context(BOB, { bucketOwners: () => [ALICE] });
		expect(checkUpdate(server, diff(client, server), stranger)).toMatchObject({ ok: false, reason: "not_owner: writes another member's bucket" });
	});

	it('§4 deleting text in a bucket resolves the delete set through the doc', () => {
		const { server, client } = pair((doc) => newBucket(doc, 'bucket_old_2'));
		((client.getMap('buckets').get('bucket_old_2') as Y.Map<unknown>).get('description') as Y.Text).delete(0, 1);
		const update = diff(client, server);
		expect(checkUpdate(server, update, context(BOB, { bucketOwners: () => [ALICE] }))).toMatchObject({ ok: false });
		expect(checkUpdate(server, update, context(ALICE, { bucketOwners: () => [ALICE] }))).toMatchObject({ ok: true, changes: true });
	});

	it('§4 deletions the server already has are no change (an honest step 2 carries the whole delete set)', () => {
		const { server, client } = pair((doc) => {
			newBucket(doc, 'bucket_old_3');
			((doc.getMap('buckets').get('bucket_old_3') as Y.Map<unknown>).get('description') as Y.Text).delete(0, 1);
		});
		const step2 = Y.encodeStateAsUpdate(client, Y.encodeStateVector(server));
		expect(checkUpdate(server, step2, context(BOB))).toMatchObject({ ok: true, changes: false });
	});

	it('§4 an update depending on a struct the server lacks is refused, not left pending', () => {
		const { server, client } = pair();
		const commands = client.getArray('commands');
		commands.push([{ id: 'first_command' }]);
		const known = Y.encodeStateVector(client);
		commands.push([{ id: 'second_command' }]);
		const gap = Y.encodeStateAsUpdate(client, known);
		const member = context(ALICE, { doc: { kind: 'member', owner: ALICE } });
		expect(checkUpdate(server, gap, member)).toMatchObject({ ok: false, reason: expect.stringMatching(/missing/) });
	});

	it('§4 server-only roots, unknown roots, comment arrays and foreign comments are refused', () => {
		const cases: [string, (doc: Y.Doc) => void, RegExp][] = [
			['ledger', (doc) => doc.getArray('ledger').push([{ seq: 1 }]), /ledger is written by the server/],
			['round', (doc) => doc.getMap('round').set('phase', 'closed'), /round is written by the server/],
			['unknown', (doc) => doc.getMap('other').set('x', 1), /unknown root other/],
			['comment array', (doc) => doc.getMap('comments').set('bucket_old_4', new Y.Array()), /created by the server/]
		];
		for (const [what, write, reason] of cases) {
			const { server, client } = pair();
			write(client);
			expect(checkUpdate(server, diff(client, server), context(ALICE)), what).toMatchObject({ ok: false, reason: expect.stringMatching(reason) });
		}
		const { server, client } = pair((doc) => doc.getMap('comments').set('bucket_old_4', new Y.Array()));
		(client.getMap('comments').get('bucket_old_4') as Y.Array<unknown>).push([{ id: 'comment_0001', author: BOB, text: 'x', at: 1 }]);
		expect(checkUpdate(server, diff(client, server), context(BOB))).toMatchObject({ ok: true });
		expect(checkUpdate(server, diff(client, server), context(ALICE))).toMatchObject({ ok: false });
	});

	it('§4 member docs: only the owner, only inserts into commands', () => {
		const { server, client } = pair((doc) => doc.getArray('commands').push([{ id: 'old_command' }]));
		client.getArray('commands').push([{ id: 'new_command' }]);
		const update = diff(client, server);
		expect(checkUpdate(server, update, context(ALICE, { doc: { kind: 'member', owner: ALICE } }))).toMatchObject({ ok: true });
		expect(checkUpdate(server, update, context(BOB, { doc: { kind: 'member', owner: ALICE } }))).toMatchObject({ ok: false });
		const deleting = pair((doc) => doc.getArray('commands').push([{ id: 'old_command' }]));
		deleting.client.getArray('commands').delete(0, 1);
		const member = context(ALICE, { doc: { kind: 'member', owner: ALICE } });
		expect(checkUpdate(deleting.server, diff(deleting.client, deleting.server), member)).toMatchObject({ ok: false, reason: 'append_only: commands are append-only' });
		const receipts = pair();
		receipts.client.getArray('receipts').push([{ commandId: 'x', ok: true }]);
		expect(checkUpdate(receipts.server, diff(receipts.client, receipts.server), member)).toMatchObject({ ok: false });
	});

	it('§4 a clientID bound to another member is refused', () => {
		const { server, client } = pair();
		client.getArray('commands').push([{ id: 'command_01' }]);
		const member = context(BOB, { doc: { kind: 'member', owner: BOB }, clientOwner: (id) => (id === client.clientID ? ALICE : undefined) });
		expect(checkUpdate(server, diff(client, server), member)).toMatchObject({ ok: false, reason: expect.stringMatching(/belongs to another writer/) });
	});

	it('§4 garbage never throws', () => {
		const server = new Y.Doc();
		for (const bytes of [[], [0], [1, 2, 3], [255, 255, 255, 255, 255, 255, 255, 255, 255, 1], [5, 1, 200, 3, 0, 0, 8, 7, 0]]) {
			expect(checkUpdate(server, new Uint8Array(bytes), context(ALICE)).ok, JSON.stringify(bytes)).toBeDefined();
		}
	});

	it('§4 a long chain of items in one update resolves without deep recursion', () => {
		const { server, client } = pair();
		const commands = client.getArray('commands');
		// Inserting at the front each time makes every item point at the previous one (no merging).
		for (let i = 0; i < 20_000; i++) commands.insert(0, [{ id: `command_${String(i).padStart(5, "0")}` }]);
		const verdict = checkUpdate(server, diff(client, server), context(ALICE, { doc: { kind: 'member', owner: ALICE } }));
		expect(verdict).toMatchObject({ ok: true, changes: true });
	});
});
