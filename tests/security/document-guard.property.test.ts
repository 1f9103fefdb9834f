// DESIGN §4 and §11: the guard against an oracle. Random mixes of allowed and forbidden
// writes from several members; for each update the oracle applies it to a COPY of the server's
// document, reads what changed from Yjs' own events (root, path, key, values: a different route
// from the guard's struct resolution) and judges it with the writer table and parsers of the
// document schema. The guard's verdict must agree; accepted updates are applied, so the document
// evolves as on a server.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { checkUpdate, type GuardContext } from '../../server/sync/guard.js';
import { bucketField, parseBucketString, parseBudgetItem, parseComment, writerOf, type BucketField } from '../../src/lib/domain/document.js';

const MEMBERS = ['member_alice', 'member_bob01', 'member_carol'] as const;
const FIRST = 'bucket_first';

type Op = (doc: Y.Doc, writer: string, n: number) => void;

const bucketMap = (doc: Y.Doc, id: string) => doc.getMap('buckets').get(id) as Y.Map<unknown> | undefined;
const someBucket = (doc: Y.Doc, n: number) => {
	const keys = [...doc.getMap('buckets').keys()].sort();
	return keys[n % keys.length]!;
};
const thread = (doc: Y.Doc, n: number) => doc.getMap('comments').get(someBucket(doc, n)) as Y.Array<unknown> | undefined;

function fullBucket(title: string): Y.Map<unknown> {
	const bucket = new Y.Map<unknown>();
	bucket.set('title', title);
	bucket.set('description', new Y.Text('d'));
	const items = new Y.Array<unknown>();
	items.push([{ label: 'a', min: 1, max: null }]);
	bucket.set('items', items);
	return bucket;
}

const OPS: Record<string, Op> = {
	title: (doc, _w, n) => bucketMap(doc, someBucket(doc, n))?.set('title', `T${n}`),
	longTitle: (doc, _w, n) => bucketMap(doc, someBucket(doc, n))?.set('title', 'x'.repeat(300)),
	numberTitle: (doc, _w, n) => bucketMap(doc, someBucket(doc, n))?.set('title', n),
	unknownField: (doc, _w, n) => bucketMap(doc, someBucket(doc, n))?.set('colour', 'red'),
	deleteTitle: (doc, _w, n) => bucketMap(doc, someBucket(doc, n))?.delete('title'),
	deleteSummary: (doc, _w, n) => bucketMap(doc, someBucket(doc, n))?.delete('summary'),
	text: (doc, _w, n) => (bucketMap(doc, someBucket(doc, n))?.get('description') as Y.Text | undefined)?.insert(0, 'more '),
	item: (doc, _w, n) => (bucketMap(doc, someBucket(doc, n))?.get('items') as Y.Array<unknown> | undefined)?.push([{ label: 'b', min: n, max: null }]),
	badItem: (doc, _w, n) => (bucketMap(doc, someBucket(doc, n))?.get('items') as Y.Array<unknown> | undefined)?.push([{ label: 'b', min: -n - 1 }]),
	clearItems: (doc, _w, n) => {
		const items = bucketMap(doc, someBucket(doc, n))?.get('items') as Y.Array<unknown> | undefined;
		items?.delete(0, items.length);
	},
	newBucket: (doc, _w, n) => doc.getMap('buckets').set(`bucket_new_${String(n).padStart(4, '0')}`, fullBucket('New')),
	textBucket: (doc, _w, n) => doc.getMap('buckets').set(`bucket_txt_${String(n).padStart(4, '0')}`, new Y.Text('x')),
	deleteBucket: (doc, _w, n) => doc.getMap('buckets').delete(someBucket(doc, n)),
	replaceBucket: (doc, _w, n) => doc.getMap('buckets').set(someBucket(doc, n), fullBucket('Again')),
	comment: (doc, writer, n) => thread(doc, n)?.push([{ id: `comment_${writer}_${n}`, author: writer, text: 'hi', at: n }]),
	foreignComment: (doc, _w, n) => thread(doc, n)?.push([{ id: `comment_forged_${n}`, author: MEMBERS[0], text: 'hi', at: n }]),
	commentNoAt: (doc, writer, n) => thread(doc, n)?.push([{ id: `comment_noat_${n}`, author: writer, text: 'hi' }]),
	deleteComment: (doc, _w, n) => {
		const list = thread(doc, n);
		if (list && list.length > 0) list.delete(n % list.length, 1);
	},
	deleteThread: (doc, _w, n) => doc.getMap('comments').delete(someBucket(doc, n)),
	memberKey: (doc, _w, n) => doc.getMap('members').set(`member_new_${n}`, { name: 'X', role: 'facilitator', active: true }),
	phase: (doc) => doc.getMap('round').set('phase', 'closed'),
	ledger: (doc, writer) => doc.getArray('ledger').push([{ seq: 99, type: 'allocate', memberId: writer, amount: 1 }]),
	unknownRoot: (doc) => doc.getMap('elsewhere').set('k', 1)
};

/** Everything `update` changes, read from Yjs' events on a copy; judged against the schema. */
function oracle(server: Y.Doc, update: Uint8Array, writer: string, owners: Map<string, string[]>): boolean {
	const copy = new Y.Doc();
	Y.applyUpdate(copy, Y.encodeStateAsUpdate(server));
	const seenIds = new Map<string, Set<string>>();
	for (const [bucketId, list] of copy.getMap('comments')) {
		seenIds.set(bucketId, new Set((list as Y.Array<{ id: string }>).toArray().map((c) => c.id)));
	}
	// Yjs computes an event's changes only inside its handler: judge there.
	const judged: boolean[] = [];
	for (const name of new Set([...copy.share.keys(), 'buckets', 'comments', 'members', 'round', 'ledger', 'elsewhere', 'bucketState'])) {
		const type = name === 'ledger' ? copy.getArray(name) : copy.getMap(name);
		type.observeDeep((list) => list.forEach((event) => judged.push(allowed(name, event, writer, owners, seenIds, copy))));
	}
	Y.applyUpdate(copy, update);
	return judged.every(Boolean);
}

function allowed(
	root: string,
	event: Y.YEvent<Y.AbstractType<unknown>>,
	writer: string,
	owners: Map<string, string[]>,
	seenIds: Map<string, Set<string>>,
	copy: Y.Doc
): boolean {
	const role = writerOf('round', root);
	const path = event.path as (string | number)[];
	if (role === 'bucket-owners') {
		if (path.length === 0) {
			return [...event.changes.keys].every(([key, change]) => {
				const value = (event.target as Y.Map<unknown>).get(key);
				return change.action === 'add' && !owners.has(key) && value instanceof Y.Map && bucketParses(value);
			});
		}
		const bucketId = String(path[0]);
		if (!owners.get(bucketId)?.includes(writer) && !(path.length >= 1 && !owners.has(bucketId))) return false;
		if (path.length === 1) {
			return [...event.changes.keys].every(([key, change]) => {
				const field = bucketField(key);
				if (!field) return false;
				if (change.action === 'delete') return !field.required;
				return fieldParses(key as BucketField, (event.target as Y.Map<unknown>).get(key));
			});
		}
		return fieldParses(String(path[1]) as BucketField, event.target);
	}
	if (role === 'own-comments') {
		if (path.length !== 1) return false;
		const ids = seenIds.get(String(path[0])) ?? new Set<string>();
		for (const item of event.changes.added) {
			for (const value of item.content.getContent()) {
				const parsed = parseComment(value, writer);
				if (!parsed.ok || ids.has(parsed.value.id)) return false;
				ids.add(parsed.value.id);
			}
		}
		for (const item of event.changes.deleted) {
			if (!item.content.getContent().every((value) => parseComment(value, writer).ok)) return false;
		}
		return copy.getMap('comments').has(String(path[0]));
	}
	return false;
}

function fieldParses(field: BucketField, value: unknown): boolean {
	const spec = bucketField(field);
	if (!spec) return false;
	if (spec.kind === 'string') return parseBucketString(field, value).ok;
	if (spec.kind === 'text') return value instanceof Y.Text && value.length <= spec.max;
	return value instanceof Y.Array && value.length <= spec.max && value.toArray().every((item) => parseBudgetItem(item).ok);
}

function bucketParses(bucket: Y.Map<unknown>): boolean {
	return [...bucket.keys()].every((key) => fieldParses(key as BucketField, bucket.get(key)));
}

function setup(): { server: Y.Doc; owners: Map<string, string[]> } {
	const server = new Y.Doc();
	server.transact(() => {
		server.getMap('buckets').set(FIRST, fullBucket('First'));
		const comments = new Y.Array<unknown>();
		comments.push([{ id: 'comment_alice_0', author: MEMBERS[0], text: 'first', at: 1 }]);
		server.getMap('comments').set(FIRST, comments);
	});
	return { server, owners: new Map([[FIRST, [MEMBERS[0]]]]) };
}

describe('§4 the guard agrees with the writer table', () => {
	it('§4 property: random allowed and forbidden writes from several members, judged as the oracle judges them', () => {
		const names = Object.keys(OPS);
		fc.assert(
			fc.property(
				fc.array(fc.record({ op: fc.constantFrom(...names), member: fc.nat(MEMBERS.length - 1), n: fc.nat(1000) }), { minLength: 1, maxLength: 25 }),
				(steps) => {
					const { server, owners } = setup();
					const clients = new Map<number, string>();
					for (const { op, member, n } of steps) {
						const writer = MEMBERS[member]!;
						const client = new Y.Doc();
						Y.applyUpdate(client, Y.encodeStateAsUpdate(server));
						client.transact(() => OPS[op]!(client, writer, n));
						const update = Y.encodeStateAsUpdate(client, Y.encodeStateVector(server));
						const context: GuardContext = {
							writer,
							doc: { kind: 'round' },
							bucketOwners: (id) => owners.get(id),
							clientOwner: (id) => clients.get(id)
						};
						const verdict = checkUpdate(server, update, context);
						const expected = oracle(server, update, writer, owners);
						expect(verdict.ok, `${op} by ${writer} (n=${n}): ${verdict.ok ? 'accepted' : verdict.reason}`).toBe(expected);
						if (!verdict.ok) continue;
						for (const id of verdict.newBuckets) owners.set(id, [writer]);
						for (const id of verdict.clients) clients.set(id, writer);
						Y.applyUpdate(server, update);
						// The server creates each new bucket's thread, as the sequencer does.
						for (const id of verdict.newBuckets) server.getMap('comments').set(id, new Y.Array());
					}
				}
			),
			{ numRuns: 150 }
		);
	});
});
